"""``trainkit agenda --format md|docx|pdf|html``: the file written, and with
``--preflight`` the layout findings of the PDF (``writers/pdf/preflight``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from trainkit.cli import display, display_tools
from trainkit.cli.options import AgendaOutput

if TYPE_CHECKING:
    from trainkit.assembly.timetable import Timetable
    from trainkit.writers.agenda import AgendaFormat


def export_agenda(timetable: Timetable, output: AgendaOutput, out: Path | None,
                  preflight: bool) -> int:
    """Write the agenda file (``output``: not ``table``) and print its path; the exit
    code: 1 if ``preflight`` found layout problems in the PDF, else 0."""
    from trainkit.writers.agenda import write_agenda

    written = write_agenda(timetable, cast("AgendaFormat", output.value), out)
    display.paths([written])
    if not (preflight and output is AgendaOutput.pdf):
        return 0
    from trainkit.writers.pdf.preflight import check_pdf

    found = {written: check_pdf(written)}
    display_tools.layout(found, timetable.resolver.root, "text")
    return 1 if found[written] else 0
