"""The commands: the Typer app, one short function per command, and their glue.

Each command takes its options from ``options.py``, calls the library
(``trainkit.commands``, ``trainkit.checks``), hands the result to ``display.py`` and
raises ``typer.Exit`` with its exit code. Errors are not caught here: ``command``
registers every command inside ``errors.handled``. The library is imported inside the
commands, so ``trainkit --help`` loads none of it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from trainkit import __version__
from trainkit.assembly.agenda_defaults import (
    DEFAULT_BREAKS, DEFAULT_DAY_LENGTH, DEFAULT_MIN_SESSION, DEFAULT_START,
)
from trainkit.cli import display, display_tools
from trainkit.cli.errors import handled, report, run
from trainkit.cli.examples import epilog
from trainkit.cli.options import (
    HERE, AdaptationsOption, AgendaFormatOption, AgendaOutput, AllModules, AudienceOption,
    BuildAll, Breaks, DayLength, Days, DeprecatedProject, DiagnosticsFormat, DocxToc, DropOthers,
    EditionOption, Force, Host, InitTarget, Jobs, Lang, Languages, ListFormat, ListFormatOption,
    MatrixFormat, MatrixFormatOption, MinSession, ModuleIdOption, ModuleIds, ModuleOption,
    ModuleTitle, NoCache, NoTags, Out, OutputFormats, Port, Preflight, ProjectArg, Quiet,
    ReferenceDocx, Region, ReportFormat, ReportFormatOption, Reporting, Review, SchemaKindArg,
    ShardOption, ShardsOption, Start, StatusOption, Strict, TitleOption, Watch,
)
from trainkit.errors import UsageError
from trainkit.model.formats import OutputFormat
from trainkit.model.status import Status

if TYPE_CHECKING:
    from trainkit.commands.build import BuildOptions
    from trainkit.commands.watch import WatchedBuild
    from trainkit.writers.docx import TocMode
    from trainkit.writers.pdf.render_pool import RenderPool

app = typer.Typer(
    name="trainkit",
    help="Write training manuals as Markdown modules; publish region-specific editions.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Command = TypeVar("Command", bound=Callable[..., None])


def command(name: str | None = None) -> Callable[[Command], Command]:
    """Register a command whose body runs inside ``errors.handled``, as every one does."""
    def register(function: Command) -> Command:
        wrapped = handled()(function)
        app.command(name, epilog=epilog(name or function.__name__))(wrapped)
        return wrapped
    return register


def _version(value: bool) -> None:
    if value:
        display.console.print(f"trainkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Write training manuals as Markdown modules; publish region-specific editions."""
    display.prepare_streams()
    Reporting.format = "text"  # until the command's --format or --diagnostics-format


# -- validate -----------------------------------------------------------------------------


@command()
def validate(project: ProjectArg = HERE, strict: Strict = False,
             report_format: ReportFormatOption = ReportFormat.text,
             no_cache: NoCache = False) -> None:
    """Check every file of a project and report every problem at once."""
    from trainkit.checks.validate import validate_project

    result = validate_project(project, strict=strict, use_cache=not no_cache)
    display.validation(result, report_format.value)
    raise typer.Exit(0 if result.ok else 1)


# -- build --------------------------------------------------------------------------------


@command()
def build(project: ProjectArg = HERE, region: Region = None, edition: EditionOption = None,
          audience: AudienceOption = None, lang: Lang = None, formats: OutputFormats = None,
          out: Out = None, reference_docx: ReferenceDocx = None, strict: Strict = False,
          quiet: Quiet = False, status: StatusOption = None, drop_others: DropOthers = False,
          review: Review = False, build_all: BuildAll = False, force: Force = False,
          jobs: Jobs = None, languages: Languages = False, watch: Watch = False,
          diagnostics_format: DiagnosticsFormat = ReportFormat.text,
          shard: ShardOption = None, docx_toc: DocxToc = None,
          preflight: Preflight = False, no_tags: NoTags = False) -> None:
    """Build an edition of the manual as PDF, HTML and/or DOCX (--all: every edition)."""
    _check_build_usage(status, drop_others, build_all,
                       force or jobs is not None or languages or shard is not None, watch,
                       preflight)
    chosen = _format_names(formats)
    with _early_pool(chosen, started=not (watch or build_all)) as pool:
        options = replace(_build_options(region, edition, audience, lang, chosen, out,
                                         reference_docx, strict, status, drop_others, review),
                          docx_toc=cast("TocMode | None", docx_toc), preflight=preflight,
                          untagged=no_tags)
        if watch:
            raise typer.Exit(_watch(project, options, quiet))
        if build_all:
            raise typer.Exit(_build_all(project, options, force, jobs, languages, quiet,
                                        shard))
        raise typer.Exit(_build_one(project, options, quiet, pool))


def _check_build_usage(status: Status | None, drop_others: bool, build_all: bool,
                       matrix_options: bool, watch: bool, preflight: bool) -> None:
    if drop_others and status is None:
        raise UsageError("--drop-others needs --status, e.g. --status approved --drop-others")
    if matrix_options and not build_all:
        raise UsageError("--force, --jobs, --languages and --shard only apply to build --all")
    if watch and build_all:
        raise UsageError("--watch rebuilds one edition; leave out --all")
    if preflight and build_all:
        raise UsageError("--preflight checks the PDF of one edition; leave out --all")


def _format_names(formats: list[str] | None) -> tuple[OutputFormat, ...] | None:
    """The ``--format`` values (click has checked them against ``OUTPUT_FORMATS``)."""
    return tuple(cast("OutputFormat", name) for name in formats) if formats else None


def _early_pool(formats: tuple[OutputFormat, ...] | None, *,
                started: bool) -> AbstractContextManager[RenderPool | None]:
    """A PDF render pool started before the rest of trainkit is imported: its workers
    import WeasyPrint (0.4 s) while this process loads and validates the project."""
    if not started:
        return nullcontext()
    from trainkit.writers.pdf import early_pool

    return early_pool(formats, None) or nullcontext()


def _build_options(region: str | None, edition: str | None, audience: str | None,
                   lang: str | None, formats: tuple[OutputFormat, ...] | None, out: Path | None,
                   reference_docx: Path | None, strict: bool, status: Status | None,
                   drop_others: bool, review: bool) -> BuildOptions:
    from trainkit.commands.build import BuildOptions

    return BuildOptions(
        region=region, edition=edition, audience=audience, language=lang, formats=formats,
        out_dir=out, strict=strict, reference_docx=reference_docx,
        only_status=status if drop_others else None,
        require_status=None if drop_others else status, review=review)


def _build_one(project: Path, options: BuildOptions, quiet: bool,
               pool: RenderPool | None) -> int:
    from trainkit.commands.build import build_edition

    with display.progress(quiet) as progress:
        result = build_edition(project, options, progress, renderer=pool)
    display.build_result(result, quiet, Reporting.format)
    if Reporting.format == "text":
        display_tools.layout(result.preflight, result.root, "text")
    return 0 if result.ok and not any(result.preflight.values()) else 1


def _build_all(project: Path, options: BuildOptions, force: bool, jobs: int | None,
               all_languages: bool, quiet: bool, shard: str | None = None) -> int:
    """``build --all``: the matrix, a live table while it runs, a summary at the end."""
    from trainkit.commands.build_all import MatrixOptions, build_matrix, usage_check
    from trainkit.commands.shards import parse_shard

    matrix_options = MatrixOptions(options, force=force, jobs=jobs, all_languages=all_languages,
                                   shard=parse_shard(shard) if shard else None)
    usage_check(matrix_options)
    with display.matrix_progress(quiet) as on_event:
        result = build_matrix(project, matrix_options, on_event)
    display.matrix_summary(result, quiet)
    return 0 if result.ok else 1


def _watch(project: Path, options: BuildOptions, quiet: bool) -> int:
    """``build --watch``: report each build as it ends; Ctrl-C ends the watch (exit 0)."""
    from trainkit.commands.watch import watch

    with handled(interrupted=0):
        watch(project, options, partial(_report_watched, project=project, quiet=quiet))
    return 0


def _report_watched(build: WatchedBuild, *, project: Path, quiet: bool) -> None:
    display.watch_changes(build.changed, quiet)
    if build.error is not None:
        report(build.error)
    elif build.result is not None:
        display.build_result(build.result, quiet)
        display_tools.layout(build.result.preflight, build.result.root, "text")
    display.watching(project, quiet)


# -- handout ------------------------------------------------------------------------------


@command()
def handout(project: ProjectArg = HERE, modules: ModuleIds = None, more: ModuleOption = None,
            all_modules: AllModules = False, region: Region = None, lang: Lang = None,
            formats: OutputFormats = None, out: Out = None, quiet: Quiet = False,
            old_project: DeprecatedProject = None, preflight: Preflight = False,
            diagnostics_format: DiagnosticsFormat = ReportFormat.text) -> None:
    """Write participant handouts: one module, no trainer notes or answers, room for notes.

    The first argument is the project folder when it holds trainkit.yaml (or is a path
    such as . or ../course); the other arguments, and --module, name the modules.
    """
    from trainkit.commands.handout import HandoutOptions, build_handouts

    folder, ids = _handout_target(project, [*(modules or ()), *(more or ())], old_project)
    options = HandoutOptions(modules=ids, all_modules=all_modules, region=region,
                             formats=_format_names(formats), out_dir=out, language=lang,
                             preflight=preflight)
    with display.progress(quiet) as progress:
        result = build_handouts(folder, options, progress)
    display_tools.layout(result.preflight, folder, Reporting.format)  # stdout's report first
    display.files(result.files, result.failures, quiet, Reporting.format)
    raise typer.Exit(0 if result.ok and not any(result.preflight.values()) else 1)


def _handout_target(project: Path, ids: list[str],
                    old_project: Path | None) -> tuple[Path, tuple[str, ...]]:
    """The project folder and the module ids of ``handout DIR MODULE_ID...``.

    The first argument is a module id, not the project, when it is written like one
    (lowercase letters, digits, hyphens) and no project folder has that name; with the
    deprecated ``--project``, every argument is a module id, as before.
    """
    if old_project is not None:
        display.warning_line("--project/-p is deprecated and will be removed in the next "
                             "release; write `trainkit handout DIR [MODULE_ID]...`")
        return old_project, tuple(([] if project == HERE else [str(project)]) + ids)
    if project != HERE and _is_module_id(project):
        return HERE, (str(project), *ids)
    return project, tuple(ids)


def _is_module_id(argument: Path) -> bool:
    from trainkit.schemas.common import SLUG_PATTERN

    text = str(argument)
    return re.match(SLUG_PATTERN, text) is not None and not (argument / "trainkit.yaml").exists()


# -- agenda, list, schema -----------------------------------------------------------------


@command()
def agenda(days: Days, project: ProjectArg = HERE, region: Region = None, lang: Lang = None,
           day_length: DayLength = DEFAULT_DAY_LENGTH, start: Start = DEFAULT_START,
           breaks: Breaks = DEFAULT_BREAKS, min_session: MinSession = f"{DEFAULT_MIN_SESSION}m",
           output: AgendaFormatOption = AgendaOutput.table, out: Out = None,
           preflight: Preflight = False) -> None:
    """Pack a region's modules into training days and print or export the timetable."""
    from trainkit.assembly.agenda import AgendaSettings, parse_breaks, parse_clock, parse_length
    from trainkit.assembly.timetable import overflow_message
    from trainkit.commands.agenda import plan_for_region

    settings = AgendaSettings(days, parse_length(day_length, "--day-length"), parse_clock(start),
                              parse_breaks(breaks), parse_length(min_session, "--min-session"))
    timetable = plan_for_region(project, region, settings, lang)
    if not timetable.agenda.fits:
        display.error_line(overflow_message(timetable))
        raise typer.Exit(1)
    if output is AgendaOutput.table:
        display.agenda(timetable)
    else:
        from trainkit.cli.agenda_file import export_agenda

        raise typer.Exit(export_agenda(timetable, output, out, preflight))


@command("list")
def list_command(project: ProjectArg = HERE,
                 output: ListFormatOption = ListFormat.table,
                 adaptations: AdaptationsOption = False) -> None:
    """List the modules each region includes, with status, version and durations."""
    from trainkit.commands.listing import project_listing

    if adaptations:
        from trainkit.commands.adaptations import adaptation_matrix

        matrix = adaptation_matrix(project)
        if output is ListFormat.json:
            display.write_json(matrix.to_data())
        else:
            from trainkit.cli.adaptations import show_matrix

            show_matrix(matrix)
        return
    listing = project_listing(project)
    if output is ListFormat.json:
        display.write_json(listing.to_data())
    else:
        display.listing(listing)


@command()
def schema(kind: SchemaKindArg) -> None:
    """Print the JSON Schema of a file type, for editors and other tools."""
    display.write_json(_json_schema(kind.value))


def _json_schema(kind: str) -> dict[str, Any]:
    from trainkit.schemas.export import json_schema

    return json_schema(kind)


# -- matrix -------------------------------------------------------------------------------


@command()
def matrix(project: ProjectArg = HERE, output: MatrixFormatOption = MatrixFormat.json,
           languages: Languages = False, shards: ShardsOption = None) -> None:
    """Print the build matrix (region, edition, language, format) as a CI job matrix."""
    from trainkit.commands.build import BuildOptions
    from trainkit.commands.matrix import ci_matrix, list_matrix

    entries = list_matrix(project, BuildOptions(), languages)
    display_tools.ci_matrix(ci_matrix(entries, shards), output.value)


# -- preview ------------------------------------------------------------------------------


@command()
def preview(project: ProjectArg = HERE, region: Region = None, edition: EditionOption = None,
            lang: Lang = None, host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the HTML edition locally; rebuild and reload the browser on every change."""
    import threading

    from trainkit.commands.build import BuildOptions
    from trainkit.commands.preview import Preview, serve, watch_and_rebuild

    page = Preview(project, BuildOptions(region=region, edition=edition, language=lang))
    display_tools.preview_built(page.rebuild())
    server = serve(page, host, port)
    stop = threading.Event()
    try:
        with handled(interrupted=0):
            display_tools.serving(f"http://{host}:{server.server_address[1]}/")
            watch_and_rebuild(page, display_tools.preview_built, stop)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        page.close()


# -- init, new module ---------------------------------------------------------------------

new_app = typer.Typer(name="new", help="Add to a project: `trainkit new module \"Title\"`.",
                      no_args_is_help=True, rich_markup_mode=None)
app.add_typer(new_app)


@command()
def init(target: InitTarget = HERE, title: TitleOption = None) -> None:
    """Create a working project: manifest, a region, two modules, glossary, CI files."""
    from trainkit.commands.scaffold import init_project

    written = init_project(target, title)
    display_tools.initialised(target, written)


def _new_module(title: ModuleTitle, project: ProjectArg = HERE,
                module_id: ModuleIdOption = None) -> None:
    """Write a module file with complete front-matter and add it to the manifest."""
    from trainkit.commands.scaffold import new_module

    display_tools.new_module(new_module(project, title, module_id))


new_app.command("module", epilog=epilog("module"))(handled()(_new_module))


from trainkit.cli.review import review_app  # noqa: E402 (the commands above come first)
from trainkit.cli.assessment import coverage, test_paper  # noqa: E402
from trainkit.cli.export import export_app  # noqa: E402

command("coverage")(coverage)
command("test")(test_paper)

app.add_typer(review_app)
app.add_typer(export_app)


def main() -> None:
    """Console-script entry point; usage errors honour ``--format json|github|sarif``."""
    # What is loaded by now lives as long as the process: the cyclic garbage collector
    # need not walk it again and again (about 10 ms of a small build).
    gc.freeze()
    run(app)
