"""The command line: parse options, call the library, print, choose the exit code.

This is the only module that writes to the terminal or exits. Exit codes: 0 success,
1 content errors or a failed render, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.text import Text

from trainkit import __version__
from trainkit.errors import TrainkitError, UsageError

if TYPE_CHECKING:
    from trainkit.build import BuiltFile
    from trainkit.errors import ContentError

app = typer.Typer(
    name="trainkit",
    help="Write training manuals as Markdown modules; publish region-specific editions.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, soft_wrap=True)
errors_console = Console(stderr=True, highlight=False, soft_wrap=True)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class SchemaKind(str, Enum):
    module = "module"
    region = "region"
    manifest = "manifest"


ProjectArg = Annotated[
    Path, typer.Argument(help="Project folder (the one holding trainkit.yaml).",
                         show_default="current folder")]


def _version(value: bool) -> None:
    if value:
        console.print(f"trainkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Write training manuals as Markdown modules; publish region-specific editions."""


def _fail(error: TrainkitError) -> NoReturn:
    errors_console.print(Text(f"error: {error}", style="bold red"))
    raise typer.Exit(2 if isinstance(error, UsageError) else 1)


@app.command()
def validate(
    project: ProjectArg = Path("."),
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings as errors (exit 1 if there are any).")] = False,
    report: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="Report as text, json or GitHub annotations.")] = ReportFormat.text,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Ignore and do not write the .trainkit-cache folder.")] = False,
) -> None:
    """Check every file of a project and report every problem at once."""
    from trainkit.diagnostics import format_github, format_json, format_text
    from trainkit.validate import source_lines, validate_project

    try:
        result = validate_project(project, strict=strict, use_cache=not no_cache)
    except TrainkitError as error:
        _fail(error)
    if report is ReportFormat.json:
        sys.stdout.write(format_json(result.diagnostics))
    elif report is ReportFormat.github:
        sys.stdout.write(format_github(result.diagnostics))
    else:
        text = format_text(result.diagnostics, source_lines(result.project, result.diagnostics))
        _print_report(text)
    raise typer.Exit(0 if result.ok else 1)


def _print_report(text: str) -> None:
    for line in text.rstrip("\n").split("\n"):
        console.print(Text(line, style=_line_style(line)))


def _line_style(line: str) -> str:
    if line.startswith("error"):
        return "bold red"
    if line.startswith("warning"):
        return "bold yellow"
    if line.startswith("  = hint"):
        return "cyan"
    return ""


class OutputFormat(str, Enum):
    pdf = "pdf"
    html = "html"
    docx = "docx"


@app.command()
def build(
    project: ProjectArg = Path("."),
    region: Annotated[Optional[str], typer.Option(
        "--region", "-r", help="Region to build (default: the manifest's output.region).")] = None,
    edition: Annotated[Optional[str], typer.Option(
        "--edition", "-e", help="Edition to build, e.g. trainer or participant.")] = None,
    audience: Annotated[Optional[str], typer.Option(
        "--audience", "-a", help="Build for one audience: keep only its modules and blocks.")] = None,
    formats: Annotated[Optional[list[OutputFormat]], typer.Option(
        "--format", "-f", help="Output format; repeat for several (default: output.formats).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder (default: output.out_dir, i.e. dist/).")] = None,
    reference_docx: Annotated[Optional[Path], typer.Option(
        "--reference-docx", help="Take DOCX styles and page setup from this Word file.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only the paths written and errors.")] = False,
) -> None:
    """Build an edition of the manual as PDF, HTML and/or DOCX."""
    from trainkit.build import BuildOptions, build_edition
    from trainkit.errors import ContentError

    options = BuildOptions(
        region=region, edition=edition, audience=audience,
        formats=tuple(f.value for f in formats) if formats else None,
        out_dir=out, strict=strict, reference_docx=reference_docx)
    try:
        with _progress(quiet) as progress:
            result = build_edition(project, options, progress)
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)
    for built in result.files:
        console.print(str(built.path))
        if not quiet:
            errors_console.print(Text(f"  {_describe_file(built)}", style="dim"))
    for failure in result.failures:
        errors_console.print(Text(f"error: {failure}", style="bold red"))
    raise typer.Exit(0 if result.ok else 1)


def _describe_file(built: BuiltFile) -> str:
    parts = [f"{built.pages} pages"] if built.pages else []
    parts += [_human_size(built.size), f"{built.seconds:.1f} s"]
    return ", ".join(parts)


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _report_content_error(error: ContentError) -> None:
    from trainkit.diagnostics import format_text

    for line in format_text(error.diagnostics, error.sources).rstrip("\n").split("\n"):
        errors_console.print(Text(line, style=_line_style(line)))
    errors_console.print(Text(f"error: {error}", style="bold red"))


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    if quiet or not errors_console.is_terminal:
        yield lambda step: None
        return
    with errors_console.status("Starting") as status:
        yield lambda step: status.update(step + "…")


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file type: module, region or manifest.")],
) -> None:
    """Print the JSON Schema of a file type, for editors and other tools."""
    from pydantic import BaseModel

    from trainkit.schemas import Manifest, ModuleMeta, RegionProfile

    models: dict[str, type[BaseModel]] = {
        "module": ModuleMeta, "region": RegionProfile, "manifest": Manifest}
    model = models[kind.value]
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()
