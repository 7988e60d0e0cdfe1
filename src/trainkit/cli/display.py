"""What the command line shows: reports, tables, file summaries and progress.

Two consoles: ``console`` (standard output) gets what a script may read (reports, the
paths written, tables, JSON); ``errors_console`` (standard error) gets everything about
the run (warnings, errors, progress, sizes and times). Findings are always printed with
``diagnostics.format_text``, the layout of ``trainkit validate``, whichever command met
them.

A terminal whose encoding cannot print every character (``PYTHONIOENCODING=ascii``, an
old Windows code page) gets plain stand-ins (``x`` and ``.`` for the ``✓`` and ``·`` of
``list``, ``...`` for ``…``, ``?`` for a character it lacks otherwise), ASCII table
borders (Rich's own choice) and ``\\u`` escapes in JSON, never a ``UnicodeEncodeError``:
see ``prepare_streams``.

Nothing here imports more than Rich at start-up; trainkit's models are imported where a
function needs them.
"""

from __future__ import annotations

import codecs
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from trainkit.checks.validate import Validation
    from trainkit.assembly.timetable import Timetable
    from trainkit.commands.build import BuildResult
    from trainkit.writers.dispatch import BuiltFile
    from trainkit.commands.build_all import MatrixResult, OutputStatus
    from trainkit.commands.listing import Listing
    from trainkit.diagnostics import Diagnostic
    from trainkit.errors import ContentError

#: Rich's markup and emoji codes are off: what trainkit prints (paths, titles, region
#: names, messages quoting a module) is the user's text, and ``[draft]`` or ``:x:`` in it
#: must print as written. Styles come from ``Text`` objects.
console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
errors_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False,
                         emoji=False)

_ERROR, _WARNING, _HINT = "bold red", "bold yellow", "cyan"
_STATE_STYLES = {"queued": "dim", "building": "cyan", "done": "green", "failed": _ERROR,
                 "up to date": "blue"}
_STATUS_STYLES = {"approved": "green", "in-review": "yellow", "draft": _ERROR}


# -- encodings ----------------------------------------------------------------------------

#: Plain stand-ins for the characters trainkit prints beyond ASCII; anything else a
#: stream's encoding lacks becomes ``?``.
PLAIN = {"✓": "x", "·": ".", "…": "...", "–": "-", "—": "-", "×": "x", "→": "->",
         "‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"',
         "\u00a0": " ", "\u202f": " ", "\u2009": " "}  # the no-break spaces typography adds
_ERRORS = "trainkit-plain"


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    missing = error.object[error.start:error.end]
    return "".join(PLAIN.get(character, "?") for character in missing), error.end


codecs.register_error(_ERRORS, _plain)


def can_encode(encoding: str | None, text: str) -> bool:
    """Whether a stream in ``encoding`` can write ``text``."""
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def prepare_streams() -> None:
    """Make standard output and error print plain stand-ins for what their encoding lacks
    (``✓`` as ``x``, ``…`` as ``...``, others as ``?``) instead of failing on it."""
    for stream in (sys.stdout, sys.stderr):
        if (isinstance(stream, io.TextIOWrapper)
                and stream.errors in ("strict", "backslashreplace")  # Python's defaults
                and not can_encode(stream.encoding, "".join(PLAIN))):
            stream.reconfigure(errors=_ERRORS)


def write_out(text: str) -> None:
    """Machine-readable text to standard output, as is."""
    sys.stdout.write(text)


def write_json(data: Any) -> None:
    """``data`` as indented JSON on standard output."""
    write_json_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_json_text(text: str) -> None:
    """JSON text to standard output; with ``\\u`` escapes if the encoding needs them."""
    if not can_encode(getattr(sys.stdout, "encoding", None), text):
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=True) + "\n"
    sys.stdout.write(text)


# -- messages -----------------------------------------------------------------------------


def error_line(message: str) -> None:
    """``error: <message>`` on standard error."""
    errors_console.print(Text(f"error: {message}", style=_ERROR))


def warning_line(message: str) -> None:
    """``warning: <message>`` on standard error."""
    errors_console.print(Text(f"warning: {message}", style="yellow"))


def findings(diagnostics: Sequence[Diagnostic], sources: dict[str, list[str]],
             on: Console) -> None:
    """Findings in the compiler-style layout of ``validate``, ending with the summary."""
    from trainkit.diagnostics import format_text

    for line in format_text(diagnostics, sources).rstrip("\n").split("\n"):
        on.print(Text(line, style=_line_style(line)))


def _line_style(line: str) -> str:
    if line.startswith("error"):
        return _ERROR
    if line.startswith("warning"):
        return _WARNING
    if line.startswith("  = hint"):
        return _HINT
    return ""


def content_error(error: ContentError, report: str = "text") -> None:
    """The findings that stopped a command, then what it did not do."""
    if report != "text":
        diagnostics, _ = _here(error.diagnostics, {}, error.root)
        _machine_report(diagnostics, report, str(error))
        return
    diagnostics, sources = _here(error.diagnostics, error.sources, error.root)
    findings(diagnostics, sources, errors_console)
    error_line(str(error))


def usage_error(message: str, report: str) -> None:
    """A usage error in the report format the command was given (text: ``error: ...``)."""
    if report == "text":
        error_line(message)
    else:
        _machine_report([], report, message)


def validation(result: Validation, report: str) -> None:
    """``trainkit validate``'s report in the chosen format, on standard output."""
    from trainkit.checks.validate import source_lines

    found = result.diagnostics
    diagnostics, sources = _here(found, source_lines(result.project, found) if report == "text"
                                 else {}, result.project.root)
    if report == "text":
        findings(diagnostics, sources, console)
    else:
        _machine_report(diagnostics, report)


def _here(diagnostics: Sequence[Diagnostic], sources: dict[str, list[str]],
          root: Path | None) -> tuple[list[Diagnostic], dict[str, list[str]]]:
    from trainkit.diagnostics import relocated

    return relocated(diagnostics, sources, root)


#: Reports that are one JSON document on standard output, with nothing else printed there.
DOCUMENT_FORMATS = ("json", "sarif")


def _machine_report(diagnostics: Sequence[Diagnostic], report: str,
                    error: str | None = None) -> None:
    """Findings (and what stopped the command) as json, github or sarif on stdout."""
    from trainkit import __version__
    from trainkit.diagnostics import format_github, format_github_error, format_json
    from trainkit.diagnostics import format_sarif

    if report == "json":
        write_json_text(format_json(diagnostics, error))
    elif report == "sarif":
        write_json_text(format_sarif(diagnostics, __version__, error))
    else:
        write_out(format_github(diagnostics) + (format_github_error(error) if error else ""))


# -- files written ------------------------------------------------------------------------


def build_result(result: BuildResult, quiet: bool, report: str = "text") -> None:
    """A build's warnings (unless ``quiet``, or in ``report``'s format), the files it
    wrote and what failed (in ``report``'s format, with the ``--preflight`` findings:
    ``display_tools.layout`` prints them as text)."""
    if report in DOCUMENT_FORMATS or (report != "text" and (result.warnings or result.preflight)):
        from trainkit.writers.pdf.preflight import layout_diagnostics

        found = [*result.warnings, *layout_diagnostics(result.preflight)]
        _machine_report(_here(found, {}, result.root)[0], report)  # one report for both
    elif result.warnings and not quiet:
        findings(*_here(result.warnings, result.sources, result.root), errors_console)
    for notice in result.notices:  # what a writer could not do as asked, and why
        errors_console.print(Text(f"note: {notice}", style="cyan"))
    files(result.files, result.failures, quiet, report)


def files(written: Sequence[BuiltFile], failures: Sequence[str], quiet: bool,
          report: str = "text") -> None:
    """Each path on standard output (its pages, size and time below it unless ``quiet``),
    then each failure. With a ``report`` that is one JSON document (json, sarif), the
    paths go to standard error: standard output holds the report alone."""
    out = errors_console if report in DOCUMENT_FORMATS else console
    for built in written:
        out.print(str(built.path))
        if not quiet:
            errors_console.print(Text(f"  {_describe_file(built)}", style="dim"))
    for failure in failures:
        error_line(failure)


def paths(written: Sequence[Path]) -> None:
    """Paths written, one a line, on standard output."""
    for path in written:
        console.print(str(path))


def _describe_file(built: BuiltFile) -> str:
    parts = [f"{built.pages} pages"] if built.pages else []
    parts += [human_size(built.size), f"{built.seconds:.1f} s"]
    return ", ".join(parts)


def human_size(size: int) -> str:
    """``512 B``, ``3.4 KB``, ``1.2 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# -- progress -----------------------------------------------------------------------------


def _ignore(event: object) -> None:
    return None


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A spinner naming the current step, on a terminal unless ``quiet``."""
    if quiet or not errors_console.is_terminal:
        yield _ignore
        return
    spinner = "dots" if can_encode(errors_console.encoding, "⠋") else "line"
    with errors_console.status("Starting", spinner=spinner) as status:
        yield lambda step: status.update(step + "…")


def watch_changes(changed: Sequence[str], quiet: bool) -> None:
    """``changed: a.md, b.md, c.md ...`` before a rebuild in ``build --watch``."""
    if changed and not quiet:
        shown = ", ".join(changed[:3]) + (" ..." if len(changed) > 3 else "")
        errors_console.print(Text(f"changed: {shown}", style="cyan"))


def watching(project: Path, quiet: bool) -> None:
    """The line ``build --watch`` prints after each build."""
    if not quiet:
        errors_console.print(Text(f"watching {project} for changes (Ctrl-C to stop)",
                                  style="dim"))


@contextmanager
def matrix_progress(quiet: bool) -> Iterator[Callable[[OutputStatus], None]]:
    """``build --all``: a live table on a terminal; one line per finished output otherwise."""
    if quiet:
        yield _ignore
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
                      human_size(status.size) if status.size is not None else "",
                      f"{status.seconds:.1f} s" if status.seconds is not None else "")
    return table


def matrix_summary(result: MatrixResult, quiet: bool) -> None:
    """``build --all``: the table of outputs, failures, untranslated outputs, the counts."""
    if not quiet:
        _print_wide(_matrix_table(result.outputs))
    for status in result.outputs:
        if status.state == "failed":
            error_line(f"{status.job.name}: {status.message}")
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


# -- tables -------------------------------------------------------------------------------


def agenda(timetable: Timetable) -> None:
    """``trainkit agenda``: the heading, the facts and one table per day."""
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


def listing(found: Listing) -> None:
    """``trainkit list``: modules x regions, with totals, then the editions."""
    from rich import box
    from rich.table import Table

    from trainkit.commands.listing import EDITIONS_NOTE
    from trainkit.schemas.common import format_duration

    table = Table(title=found.title, title_justify="left", show_footer=True,
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("module", footer="total", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("version")
    table.add_column("duration", justify="right")
    for region in found.regions:
        table.add_column(region.id, justify="center", footer=format_duration(region.minutes))
    table.add_column("reviewed", no_wrap=True)  # the last review, and comments left open
    table.add_column("open", justify="right")
    for row in found.modules:
        marks = ["✓" if region.id in row.regions else "·" for region in found.regions]
        table.add_row(row.id, Text(row.status, style=_STATUS_STYLES.get(row.status, "")),
                      row.version, format_duration(row.minutes), *marks,
                      row.last_reviewed or "—", str(row.open_comments or "·"))
    _print_wide(table)
    if any(region.parent for region in found.regions):
        console.print("Regions:")
        for region in found.regions:
            extends = f" (extends {region.parent})" if region.parent else ""
            console.print(f"{'  ' * (region.depth + 1)}{region.id}: {region.name}{extends}",
                          markup=False)
    editions = ", ".join(f"{e.id} ({e.title})" for e in found.editions)
    console.print(f"Editions {editions}: {EDITIONS_NOTE}.")


def _print_wide(table: RenderableType) -> None:
    """Print a table; when piped, as wide as it needs rather than cut at 80 columns."""
    from rich.measure import Measurement

    if console.is_terminal:
        console.print(table)
        return
    needed = Measurement.get(console, console.options.update_width(1000), table).maximum
    Console(highlight=False, width=max(console.width, needed), markup=False,
            emoji=False).print(table)

