"""The options of the command line, each defined once as an ``Annotated`` alias.

A command declares ``region: Region = None`` and gets ``--region/-r`` with the same help
as every other command that has it. The shared ones come first (``ProjectArg``,
``Region``, ``Lang``, ``Out``, ``Quiet``, ``Strict`` and the ``--format/-f`` family, whose
choices depend on what the command produces); then the options only one command has.

Nothing here imports more than Typer and ``trainkit.model.status``: ``trainkit --help``
builds every option without loading the library.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from trainkit.model.formats import OUTPUT_FORMATS
from trainkit.model.status import Status

# -- the values of --format ---------------------------------------------------------------


class ReportFormat(str, Enum):
    """How ``validate`` reports its findings."""

    text = "text"
    json = "json"
    github = "github"


class AgendaOutput(str, Enum):
    """How ``agenda`` gives its timetable: a table on the terminal, or a file."""

    table = "table"
    md = "md"
    docx = "docx"
    pdf = "pdf"
    html = "html"


class ListFormat(str, Enum):
    """How ``list`` gives its overview."""

    table = "table"
    json = "json"


class SchemaKind(str, Enum):
    """The file types ``schema`` prints a JSON Schema of."""

    module = "module"
    region = "region"
    manifest = "manifest"
    translation = "translation"
    glossary = "glossary"


# -- shared by several commands -----------------------------------------------------------

#: The default of ``ProjectArg``: the current folder.
HERE = Path(".")

ProjectArg = Annotated[Path, typer.Argument(
    help="Project folder (the one holding trainkit.yaml).", show_default="current folder")]

Region = Annotated[Optional[str], typer.Option(
    "--region", "-r", help="Region (default: the manifest's output.region).")]

Lang = Annotated[Optional[str], typer.Option(
    "--lang", "-l", help="Language (default: the region's first language).")]

Out = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Output folder (default: the manifest's output.out_dir, i.e. dist/).")]

Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only the paths written and errors.")]

Strict = Annotated[bool, typer.Option(
    "--strict", help="Treat warnings as errors (exit 1 if there are any).")]

def _output_formats(values: list[str] | None) -> list[str] | None:
    """``--format`` values, each one of ``OUTPUT_FORMATS`` (the one list of formats)."""
    for value in values or []:
        if value not in OUTPUT_FORMATS:
            raise typer.BadParameter(
                f"{value!r} is not one of {', '.join(map(repr, OUTPUT_FORMATS))}.")
    return values


OutputFormats = Annotated[Optional[list[str]], typer.Option(
    "--format", "-f", callback=_output_formats, metavar="[" + "|".join(OUTPUT_FORMATS) + "]",
    autocompletion=lambda: list(OUTPUT_FORMATS),
    help="Output format; repeat for several (default: output.formats).")]

ReportFormatOption = Annotated[ReportFormat, typer.Option(
    "--format", "-f", help="Report as text, json or GitHub annotations.")]

ListFormatOption = Annotated[ListFormat, typer.Option(
    "--format", "-f", help="A table, or JSON for scripts.")]

AdaptationsOption = Annotated[bool, typer.Option(
    "--adaptations", help="Region x adaptation slot: filled, inherited, default or missing, "
                          "with each region's last review.")]

AgendaFormatOption = Annotated[AgendaOutput, typer.Option(
    "--format", "-f", help="Print a table, or write md, docx, pdf or html.")]

# -- validate -----------------------------------------------------------------------------

NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Ignore and do not write the .trainkit-cache folder.")]

# -- build --------------------------------------------------------------------------------

EditionOption = Annotated[Optional[str], typer.Option(
    "--edition", "-e", help="Edition to build, e.g. trainer or participant.")]

AudienceOption = Annotated[Optional[str], typer.Option(
    "--audience", "-a", help="Build for one audience: keep only its modules and blocks.")]

ReferenceDocx = Annotated[Optional[Path], typer.Option(
    "--reference-docx", help="Take DOCX styles and page setup from this Word file.")]

StatusOption = Annotated[Optional[Status], typer.Option(
    "--status", help="Require every module to have this status; fail naming the others.")]

DropOthers = Annotated[bool, typer.Option(
    "--drop-others", help="With --status: leave the other modules out instead.")]

Review = Annotated[bool, typer.Option(
    "--review", help="Review copy: version, status, reviewers and last review per module.")]

BuildAll = Annotated[bool, typer.Option(
    "--all", help="Every region x edition x format, in parallel; only what changed.")]

Force = Annotated[bool, typer.Option(
    "--force", help="With --all: rebuild every output, changed or not.")]

Jobs = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", help="With --all: worker processes (default: one per core).")]

Languages = Annotated[bool, typer.Option(
    "--languages", help="With --all: every language each region lists, not its first.")]

Watch = Annotated[bool, typer.Option(
    "--watch", "-w", help="Stay up and rebuild each time a project file changes.")]

# -- handout ------------------------------------------------------------------------------

ModuleIds = Annotated[Optional[list[str]], typer.Argument(
    metavar="MODULE_ID", show_default=False,
    help="Ids of the modules to make handouts of (or use --module).")]

ModuleOption = Annotated[Optional[list[str]], typer.Option(
    "--module", "-m", metavar="ID", help="A module to make a handout of; repeat for several.")]

AllModules = Annotated[bool, typer.Option(
    "--all", help="A handout of every module of the region.")]

DeprecatedProject = Annotated[Optional[Path], typer.Option(
    "--project", "-p", help="Deprecated: give the project folder as the first argument.")]

# -- agenda -------------------------------------------------------------------------------

Days = Annotated[int, typer.Option("--days", "-d", min=1, help="Number of training days.")]

DayLength = Annotated[str, typer.Option(
    "--day-length", help="Teaching time per day, breaks not counted.")]

Start = Annotated[str, typer.Option("--start", help="Time the day starts.")]

Breaks = Annotated[str, typer.Option(
    "--breaks", help="Breaks as TIME+LENGTH, comma-separated; 45m or longer is lunch.")]

# -- schema -------------------------------------------------------------------------------

SchemaKindArg = Annotated[SchemaKind, typer.Argument(
    help="Which file type: module, region, manifest, translation or glossary.")]
