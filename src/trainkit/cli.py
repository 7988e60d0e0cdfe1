"""The command line: parse options, call the library, print, choose the exit code.

This is the only module that writes to the terminal or exits. Exit codes: 0 success,
1 content errors or a failed render, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from trainkit import __version__
from trainkit.errors import TrainkitError, UsageError

app = typer.Typer(
    name="trainkit",
    help="Write training manuals as Markdown modules; publish region-specific editions.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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
        out.print(f"trainkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Write training manuals as Markdown modules; publish region-specific editions."""


def _fail(error: TrainkitError) -> NoReturn:
    err.print(Text(f"error: {error}", style="bold red"))
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
        style = None
        if line.startswith("error"):
            style = "bold red"
        elif line.startswith("warning"):
            style = "bold yellow"
        elif line.startswith("  = hint"):
            style = "cyan"
        out.print(Text(line, style=style or ""))


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file type: module, region or manifest.")],
) -> None:
    """Print the JSON Schema of a file type, for editors and other tools."""
    from trainkit.schemas import Manifest, ModuleMeta, RegionProfile

    model = {"module": ModuleMeta, "region": RegionProfile, "manifest": Manifest}[kind.value]
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()
