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
from collections.abc import Callable
from typing import Annotated, Optional

import typer

from trainkit.cli import completion
from trainkit.model.formats import OUTPUT_FORMATS
from trainkit.model.status import Status

# -- the values of --format ---------------------------------------------------------------


class ReportFormat(str, Enum):
    """How ``validate`` reports its findings."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class Reporting:
    """The report format the running command was given (``--format`` of ``validate``,
    ``--diagnostics-format`` of ``build`` and ``handout``): ``errors.report`` writes a
    usage error or the findings that stopped a command in it."""

    format: str = "text"


def _remember_format(value: ReportFormat | None) -> ReportFormat | None:
    if value is not None:
        Reporting.format = value.value
    return value


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
    review_log = "review-log"
    national_law = "national-law"


# -- shared by several commands -----------------------------------------------------------

#: The default of ``ProjectArg``: the current folder.
HERE = Path(".")

def _project_folder(value: Path) -> Path:
    """No folder given: the nearest folder holding trainkit.yaml at or above the current
    one (as git and ruff search), else the current folder (whose error says so)."""
    if value != HERE:
        return value
    from trainkit.loading.project import search_project_root

    found = search_project_root(Path.cwd())
    return HERE if found is None or found == Path.cwd().resolve() else found


ProjectArg = Annotated[Path, typer.Argument(
    help="Project folder (default: the nearest one holding trainkit.yaml, searching "
         "upwards from the current folder).", callback=_project_folder,
    show_default=False)]

Region = Annotated[Optional[str], typer.Option(
    "--region", "-r", autocompletion=completion.regions, help="Region (default: the manifest's output.region).")]

Lang = Annotated[Optional[str], typer.Option(
    "--lang", "-l", autocompletion=completion.languages, help="Language (default: the region's first language).")]

Out = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Output folder (default: the manifest's output.out_dir, i.e. dist/).")]

Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only the paths written and errors.")]

Strict = Annotated[bool, typer.Option(
    "--strict", help="Treat warnings as errors (exit 1 if there are any).")]

def _in_range(low: int, high: int | None = None) -> Callable[[int | None], int | None]:
    """A callback that refuses a number outside ``low``..``high`` in plain words (Typer's
    own ``min=`` says "Input should be greater than or equal to 1")."""
    def check(value: int | None) -> int | None:
        if value is not None and (value < low or (high is not None and value > high)):
            limit = f"at least {low}" if high is None else f"between {low} and {high}"
            raise typer.BadParameter(f"{value} is not allowed: it must be {limit}.")
        return value
    return check


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
    "--format", "-f", callback=_remember_format, is_eager=True,
    help="Report as text, json, GitHub annotations or SARIF 2.1.0.")]

DiagnosticsFormat = Annotated[ReportFormat, typer.Option(
    "--diagnostics-format", callback=_remember_format, is_eager=True,
    help="Report findings as text, json, GitHub annotations or SARIF 2.1.0.")]

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
    "--edition", "-e", autocompletion=completion.editions, help="Edition to build, e.g. trainer or participant.")]

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

Preflight = Annotated[bool, typer.Option(
    "--preflight", help="Read each PDF written back and report its layout problems, page by "
                        "page (exit 1 if there are any).")]

Watch = Annotated[bool, typer.Option(
    "--watch", "-w", help="Stay up and rebuild each time a project file changes.")]

NoTags = Annotated[bool, typer.Option(
    "--no-tags", help="PDF without tags (structure for screen readers): a little faster; "
                      "default: the manifest's output.tagged_pdf (true).")]

# -- handout ------------------------------------------------------------------------------

ModuleIds = Annotated[Optional[list[str]], typer.Argument(
    metavar="MODULE_ID", show_default=False, autocompletion=completion.modules,
    help="Ids of the modules to make handouts of (or use --module).")]

ModuleOption = Annotated[Optional[list[str]], typer.Option(
    "--module", "-m", metavar="ID", autocompletion=completion.modules, help="A module to make a handout of; repeat for several.")]

AllModules = Annotated[bool, typer.Option(
    "--all", help="A handout of every module of the region.")]

DeprecatedProject = Annotated[Optional[Path], typer.Option(
    "--project", "-p", help="Deprecated: give the project folder as the first argument.")]

# -- agenda -------------------------------------------------------------------------------

Days = Annotated[int, typer.Option("--days", "-d", callback=_in_range(1),
                                   help="Number of training days.")]

DayLength = Annotated[str, typer.Option(
    "--day-length", help="Teaching time per day, breaks not counted.")]

Start = Annotated[str, typer.Option("--start", help="Time the day starts.")]

Breaks = Annotated[str, typer.Option(
    "--breaks", help="Breaks as TIME+LENGTH, comma-separated; 45m or longer is lunch.")]

def _docx_toc(value: str | None) -> str | None:
    """``--docx-toc``: ``update`` or ``fields``."""
    if value is not None and value not in ("update", "fields"):
        raise typer.BadParameter(f"{value!r} is not one of 'update', 'fields'.")
    return value


DocxToc = Annotated[Optional[str], typer.Option(
    "--docx-toc", callback=_docx_toc, metavar="[update|fields]",
    help="DOCX contents: update fills in the page numbers with LibreOffice (the default "
         "when soffice is installed); fields leaves them for Word to fill in.")]

MinSession = Annotated[str, typer.Option(
    "--min-session", help="Shortest piece of a module on either side of a break.")]

# -- schema -------------------------------------------------------------------------------

SchemaKindArg = Annotated[SchemaKind, typer.Argument(
    help="Which file type: module, region, manifest, translation, glossary, review-log or "
         "national-law.")]

# -- init, new ----------------------------------------------------------------------------

InitTarget = Annotated[Path, typer.Argument(
    help="Folder to create the project in (created if missing).",
    show_default="current folder")]

TitleOption = Annotated[Optional[str], typer.Option(
    "--title", "-t", help="Title of the manual (default: from the folder's name).")]

ModuleTitle = Annotated[str, typer.Argument(help="Title of the new module, quoted.")]

ModuleIdOption = Annotated[Optional[str], typer.Option(
    "--id", help="Id of the new module (default: made from its title).")]

# -- matrix, build --shard ----------------------------------------------------------------


class MatrixFormat(str, Enum):
    """How ``matrix`` prints the build matrix."""

    json = "json"
    github = "github"


MatrixFormatOption = Annotated[MatrixFormat, typer.Option(
    "--format", "-f", help="JSON, or a `matrix=...` line for $GITHUB_OUTPUT.")]

ShardsOption = Annotated[Optional[int], typer.Option(
    "--shards", callback=_in_range(1), help="A matrix of N shards (1/N ... N/N) for build --all --shard.")]

ShardOption = Annotated[Optional[str], typer.Option(
    "--shard", metavar="I/N", help="With --all: build only share I of N (balanced).")]

# -- preview ------------------------------------------------------------------------------

Host = Annotated[str, typer.Option(
    "--host", help="Address to serve on; 127.0.0.1 keeps the preview on this machine.")]

Port = Annotated[int, typer.Option("--port", "-p", callback=_in_range(0, 65535),
                                   help="Port to serve on (0: any free port).")]
