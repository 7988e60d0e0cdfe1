"""The command line: parse options, call the library, print, choose the exit code.

This is the only module that writes to the terminal or exits. Exit codes: 0 success,
1 content errors or a failed render, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.text import Text

from trainkit import __version__
from trainkit.errors import TrainkitError, UsageError
from trainkit.model.status import Status

if TYPE_CHECKING:
    from trainkit.writers.dispatch import BuiltFile
    from trainkit.diagnostics import Diagnostic
    from trainkit.errors import ContentError
    from rich.console import RenderableType

    from rich.table import Table

    from trainkit.commands.build import BuildOptions
    from trainkit.commands.listing import Listing
    from trainkit.commands.build_all import MatrixResult, OutputStatus
    from trainkit.assembly.timetable import Timetable
    from trainkit.commands.watch import WatchedBuild
    from trainkit.writers.pdf.render_pool import RenderPool

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
    translation = "translation"
    glossary = "glossary"


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
    from trainkit.checks.validate import source_lines, validate_project

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
    lang: Annotated[Optional[str], typer.Option(
        "--lang", "-l", help="Language of the edition (default: the region's first language).")
    ] = None,
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
    status: Annotated[Optional[Status], typer.Option(
        "--status", help="Require every module to have this status; fail naming the others.")
    ] = None,
    drop_others: Annotated[bool, typer.Option(
        "--drop-others", help="With --status: leave the other modules out instead.")] = False,
    review: Annotated[bool, typer.Option(
        "--review", help="Review copy: version, status, reviewers and last review per module.")
    ] = False,
    build_all: Annotated[bool, typer.Option(
        "--all", help="Every region x edition x format, in parallel; only what changed.")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --all: rebuild every output, changed or not.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", help="With --all: worker processes (default: one per core).")] = None,
    languages: Annotated[bool, typer.Option(
        "--languages", help="With --all: every language each region lists, not its first.")
    ] = False,
    watch: Annotated[bool, typer.Option(
        "--watch", "-w", help="Stay up and rebuild each time a project file changes.")] = False,
) -> None:
    """Build an edition of the manual as PDF, HTML and/or DOCX (--all: every edition)."""
    if drop_others and status is None:
        _fail(UsageError("--drop-others needs --status, e.g. --status approved --drop-others"))
    if (force or jobs is not None or languages) and not build_all:
        _fail(UsageError("--force, --jobs and --languages only apply to build --all"))
    if watch and build_all:
        _fail(UsageError("--watch rebuilds one edition; leave out --all"))
    chosen_formats = tuple(f.value for f in formats) if formats else None
    if watch:
        _watch(project, _build_options(region, edition, audience, lang, chosen_formats, out,
                                       reference_docx, strict, status, drop_others, review),
               quiet)
    if build_all:
        _build_all(project, _build_options(
            region, edition, audience, lang, chosen_formats, out, reference_docx, strict,
            status, drop_others, review), force, jobs, languages, quiet)
    from trainkit.writers.pdf.render_pool import early_pool

    # Started before trainkit's other modules are imported: the PDF workers import
    # WeasyPrint (0.4 s) while this process loads and validates the project.
    with early_pool(chosen_formats, None) or nullcontext() as pool:
        options = _build_options(region, edition, audience, lang, chosen_formats, out,
                                 reference_docx, strict, status, drop_others, review)
        _build_one(project, options, quiet, pool)


def _build_options(region: str | None, edition: str | None, audience: str | None,
                   lang: str | None, formats: tuple[str, ...] | None, out: Path | None,
                   reference_docx: Path | None, strict: bool, status: Status | None,
                   drop_others: bool, review: bool) -> BuildOptions:
    from trainkit.commands.build import BuildOptions

    return BuildOptions(
        region=region, edition=edition, audience=audience, language=lang,
        formats=formats,  # type: ignore[arg-type]  # OutputFormat values are Format names
        out_dir=out, strict=strict, reference_docx=reference_docx,
        only_status=status if drop_others else None,
        require_status=None if drop_others else status, review=review)


def _watch(project: Path, options: BuildOptions, quiet: bool) -> NoReturn:
    """``build --watch``: report each build as it ends; Ctrl-C stops (exit code 0)."""
    from trainkit.errors import ContentError
    from trainkit.commands.watch import watch

    def report(build: WatchedBuild) -> None:
        if build.changed and not quiet:
            shown = ", ".join(build.changed[:3]) + (" ..." if len(build.changed) > 3 else "")
            errors_console.print(Text(f"changed: {shown}", style="cyan"))
        if build.error is not None:
            if isinstance(build.error, ContentError):
                _report_content_error(build.error)
            else:
                errors_console.print(Text(f"error: {build.error}", style="bold red"))
        elif build.result is not None:
            _report_warnings(build.result.warnings, quiet)
            _report_files(build.result.files, build.result.failures, quiet)
        if not quiet:
            errors_console.print(Text(f"watching {project} for changes (Ctrl-C to stop)",
                                      style="dim"))

    try:
        watch(project, options, report)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    except TrainkitError as error:
        _fail(error)
    raise typer.Exit(0)


def _build_one(project: Path, options: BuildOptions, quiet: bool,
               pool: RenderPool | None) -> NoReturn:
    from trainkit.commands.build import build_edition
    from trainkit.errors import ContentError

    try:
        with _progress(quiet) as progress:
            result = build_edition(project, options, progress, renderer=pool)
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)
    _report_warnings(result.warnings, quiet)
    _report_files(result.files, result.failures, quiet)
    raise typer.Exit(0 if result.ok else 1)


def _report_warnings(warnings: list[Diagnostic], quiet: bool) -> None:
    for warning in warnings:
        if not quiet:
            errors_console.print(Text(
                f"warning[{warning.code}]: {warning.path}:{warning.line}:{warning.column}: "
                f"{warning.message}", style="yellow"))


def _report_files(files: list[BuiltFile], failures: list[str], quiet: bool) -> None:
    for built in files:
        console.print(str(built.path))
        if not quiet:
            errors_console.print(Text(f"  {_describe_file(built)}", style="dim"))
    for failure in failures:
        errors_console.print(Text(f"error: {failure}", style="bold red"))


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


def _build_all(project: Path, options: BuildOptions, force: bool, jobs: int | None,
               all_languages: bool, quiet: bool) -> NoReturn:
    """``build --all``: the matrix, a live table while it runs, a summary at the end."""
    from trainkit.errors import ContentError
    from trainkit.commands.build_all import MatrixOptions, build_matrix, usage_check

    matrix_options = MatrixOptions(options, force=force, jobs=jobs, all_languages=all_languages)
    try:
        usage_check(matrix_options)
        with _matrix_progress(quiet) as on_event:
            result = build_matrix(project, matrix_options, on_event)
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)
    _print_matrix_summary(result, quiet)
    raise typer.Exit(0 if result.ok else 1)


_STATE_STYLES = {"queued": "dim", "building": "cyan", "done": "green", "failed": "bold red",
                 "up to date": "blue"}


@contextmanager
def _matrix_progress(quiet: bool) -> Iterator[Callable[[OutputStatus], None]]:
    """A live table on a terminal; one line per finished output otherwise."""
    if quiet:
        yield lambda status: None
        return
    if not errors_console.is_terminal:
        def line(status: OutputStatus) -> None:
            if status.state in ("done", "failed"):
                errors_console.print(f"{status.state}: {status.job.name}")
        yield line
        return
    from rich.live import Live

    rows: dict[str, OutputStatus] = {}
    with Live(console=errors_console, auto_refresh=False, transient=True) as live:
        def update(status: OutputStatus) -> None:
            rows[status.job.name] = status
            live.update(_matrix_table(list(rows.values()), live=True), refresh=True)
        yield update


def _matrix_table(outputs: list[OutputStatus], *, live: bool = False) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=None if live else box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("output")
    table.add_column("state")
    for name in ("pages", "size", "time"):
        table.add_column(name, justify="right")
    for status in outputs:
        table.add_row(status.job.name, Text(status.state, style=_STATE_STYLES[status.state]),
                      str(status.pages) if status.pages else "",
                      _human_size(status.size) if status.size is not None else "",
                      f"{status.seconds:.1f} s" if status.seconds is not None else "")
    return table


def _print_matrix_summary(result: MatrixResult, quiet: bool) -> None:
    if not quiet:
        _print_wide(_matrix_table(result.outputs))
    for status in result.outputs:
        if status.state == "failed":
            errors_console.print(Text(f"error: {status.job.name}: {status.message}",
                                      style="bold red"))
        elif status.untranslated and not quiet:
            errors_console.print(Text(
                f"warning[TK604]: {status.job.name}: {status.untranslated} module(s) have no "
                f"translation into `{status.job.language}` and are printed in the source "
                "language", style="yellow"))
    total, fresh = len(result.outputs), result.count("up to date")
    if fresh == total:
        console.print(f"Nothing to rebuild: all {total} outputs are up to date "
                      "(--force rebuilds them).")
    else:
        console.print(f"{total} outputs: {result.count('done')} built, {fresh} up to date, "
                      f"{result.count('failed')} failed.")


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file type: module, region, manifest, translation or glossary.")],
) -> None:
    """Print the JSON Schema of a file type, for editors and other tools."""
    from pydantic import BaseModel

    from trainkit.schemas import Manifest, ModuleMeta, RegionProfile
    from trainkit.schemas.glossary import Glossary
    from trainkit.schemas.translation import TranslationMeta

    models: dict[str, type[BaseModel]] = {
        "module": ModuleMeta, "region": RegionProfile, "manifest": Manifest,
        "translation": TranslationMeta, "glossary": Glossary}
    model = models[kind.value]
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


class AgendaOutput(str, Enum):
    table = "table"
    md = "md"
    docx = "docx"
    pdf = "pdf"
    html = "html"


@app.command()
def agenda(
    days: Annotated[int, typer.Option(
        "--days", "-d", min=1, help="Number of training days.")],
    project: ProjectArg = Path("."),
    region: Annotated[Optional[str], typer.Option(
        "--region", "-r", help="Region whose modules to plan (default: output.region).")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", "-l", help="Language (default: the region's first language).")] = None,
    day_length: Annotated[str, typer.Option(
        "--day-length", help="Teaching time per day, breaks not counted.")] = "6h",
    start: Annotated[str, typer.Option("--start", help="Time the day starts.")] = "09:00",
    breaks: Annotated[str, typer.Option(
        "--breaks", help="Breaks as TIME+LENGTH, comma-separated; 45m or longer is lunch.")
    ] = "10:30+15m,12:30+60m,15:00+15m",
    output: Annotated[AgendaOutput, typer.Option(
        "--format", "-f", help="Print a table, or write md, docx, pdf or html.")
    ] = AgendaOutput.table,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder for files (default: output.out_dir).")] = None,
) -> None:
    """Pack a region's modules into training days and print or export the timetable."""
    from trainkit.assembly.agenda import AgendaSettings, parse_breaks, parse_clock, parse_length
    from trainkit.errors import ContentError
    from trainkit.commands.agenda import plan_for_region
    from trainkit.assembly.timetable import overflow_message

    try:
        settings = AgendaSettings(days, parse_length(day_length, "--day-length"),
                                  parse_clock(start), parse_breaks(breaks))
        timetable = plan_for_region(project, region, settings, lang)
        if not timetable.agenda.fits:
            errors_console.print(Text(f"error: {overflow_message(timetable)}", style="bold red"))
            raise typer.Exit(1)
        if output is AgendaOutput.table:
            _print_agenda(timetable)
        else:
            from trainkit.writers.agenda import write_agenda

            console.print(str(write_agenda(timetable, output.value, out)))
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)


def _print_agenda(timetable: Timetable) -> None:
    from rich.table import Table

    from trainkit.assembly.timetable import day_rows, day_title

    words = timetable.words
    console.print(Text(timetable.heading(), style="bold"))
    console.print(timetable.facts())
    for day in timetable.agenda.days:
        table = Table(title=day_title(timetable, day), title_justify="left")
        for column in (words["time"], words["module"], words["duration"]):
            table.add_column(column)
        for row in day_rows(timetable, day):
            table.add_row(row.time, row.what, row.duration,
                          style="dim italic" if row.kind != "module" else None)
        console.print(table)


@app.command()
def handout(
    modules: Annotated[Optional[list[str]], typer.Argument(
        help="Ids of the modules to make handouts of.", show_default=False)] = None,
    all_modules: Annotated[bool, typer.Option(
        "--all", help="A handout of every module of the region.")] = False,
    project: Annotated[Path, typer.Option(
        "--project", "-p", help="Project folder (the one holding trainkit.yaml).")] = Path("."),
    region: Annotated[Optional[str], typer.Option(
        "--region", "-r", help="Region (default: the manifest's output.region).")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", "-l", help="Language (default: the region's first language).")] = None,
    formats: Annotated[Optional[list[OutputFormat]], typer.Option(
        "--format", "-f", help="Output format; repeat for several (default: output.formats).")
    ] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder (default: output.out_dir, i.e. dist/).")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only the paths written and errors.")] = False,
) -> None:
    """Write participant handouts: one module, no trainer notes or answers, room for notes."""
    from trainkit.errors import ContentError
    from trainkit.commands.handout import HandoutOptions, build_handouts

    options = HandoutOptions(
        modules=tuple(modules or ()), all_modules=all_modules, region=region,
        formats=tuple(f.value for f in formats) if formats else None, out_dir=out,
        language=lang)
    try:
        with _progress(quiet) as progress:
            result = build_handouts(project, options, progress)
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)
    _report_files(result.files, result.failures, quiet)
    raise typer.Exit(0 if result.ok else 1)


class ListFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("list")
def list_command(
    project: ProjectArg = Path("."),
    output: Annotated[ListFormat, typer.Option(
        "--format", "-f", help="A table, or JSON for scripts.")] = ListFormat.table,
) -> None:
    """List the modules each region includes, with status, version and durations."""
    from trainkit.errors import ContentError
    from trainkit.commands.listing import project_listing

    try:
        listing = project_listing(project)
    except ContentError as error:
        _report_content_error(error)
        raise typer.Exit(1) from None
    except TrainkitError as error:
        _fail(error)
    if output is ListFormat.json:
        sys.stdout.write(json.dumps(listing.to_data(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print_listing(listing)


_STATUS_STYLES = {"approved": "green", "in-review": "yellow", "draft": "bold red"}


def _print_listing(listing: Listing) -> None:
    from rich import box
    from rich.table import Table

    from trainkit.commands.listing import EDITIONS_NOTE
    from trainkit.schemas.common import format_duration

    table = Table(title=listing.title, title_justify="left", show_footer=True,
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("module", footer="total", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("version")
    table.add_column("duration", justify="right")
    for region in listing.regions:
        table.add_column(region.id, justify="center", footer=format_duration(region.minutes))
    for row in listing.modules:
        marks = ["✓" if region.id in row.regions else "·" for region in listing.regions]
        table.add_row(row.id, Text(row.status, style=_STATUS_STYLES.get(row.status, "")),
                      row.version, format_duration(row.minutes), *marks)
    _print_wide(table)
    editions = ", ".join(f"{e.id} ({e.title})" for e in listing.editions)
    console.print(f"Editions {editions}: {EDITIONS_NOTE}.")


def _print_wide(table: RenderableType) -> None:
    """Print a table; when piped, as wide as it needs rather than cut at 80 columns."""
    from rich.measure import Measurement

    if console.is_terminal:
        console.print(table)
        return
    needed = Measurement.get(console, console.options.update_width(1000), table).maximum
    Console(highlight=False, width=max(console.width, needed)).print(table)


def main() -> None:
    """Console-script entry point."""
    app()
