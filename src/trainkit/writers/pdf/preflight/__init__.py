"""Preflight: read a built PDF back and report the breaks no typesetter would leave.

``check_pdf`` reads a PDF that trainkit wrote and returns one ``LayoutFinding`` per
problem, with the page it is on (its index in the file and its printed folio):

- TK707 a footnote printed on another page than its call;
- TK708 a heading in the last lines of a page (fewer than two lines after it there);
- TK709 a question on another page than its answer;
- TK710 a table row alone at the foot of a page (or the last one alone at the top);
- TK711 a running head over one line;
- TK712 text outside the text block (running head and folio aside);
- TK713 an empty page;
- TK714 a running head or folio on the cover, a part title page or a blank page;
- TK715 a contents entry whose page number is not on its last line.

It needs what the writer marks in the file: named destinations for footnote calls and
notes, heading and question ends, answers and table rows (``writers/html/marks.py``,
kept by the merge), and each page's text block (``page_record.py``). Text positions come
from the content streams (``reading.py``); the rules are in ``rules.py``. Nothing here
prints: the command line reports the findings (``BuildResult.preflight``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainkit.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class LayoutFinding:
    """One layout problem of a built PDF, on one page."""

    code: str
    #: The page's position in the file, from 1.
    page: int
    #: The page number printed on it ("1–3", "iv"; "·" on unnumbered pages).
    folio: str
    message: str

    def diagnostic(self, path: str) -> Diagnostic:
        """The finding as a ``Diagnostic`` of ``path`` (the PDF), its page as the line and
        both its printed folio and its position in the file in the message."""
        return Diagnostic(path, self.page, 1, self.code,
                          f"page {self.folio} (PDF page {self.page}): {self.message}")

    def __str__(self) -> str:
        return f"{self.code} page {self.folio} (PDF page {self.page}): {self.message}"


def layout_diagnostics(found: Mapping[Path, Sequence[LayoutFinding]]) -> list[Diagnostic]:
    """The findings of each PDF (``BuildResult.preflight``) as diagnostics of its path."""
    return [finding.diagnostic(str(path)) for path, findings in found.items()
            for finding in findings]


def check_pdf(pdf: Path | bytes) -> list[LayoutFinding]:
    """The layout findings of the PDF at ``pdf`` (a path or its bytes), in page order."""
    from pypdf import PdfReader

    from trainkit.writers.pdf.preflight.reading import read_pages
    from trainkit.writers.pdf.preflight.rules import RULES

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    reader = PdfReader(source)
    pages = read_pages(reader)
    marks = _marks(reader)
    found = {(code, page, message) for rule in RULES for code, page, message in rule(pages, marks)}
    return [LayoutFinding(code, page + 1, pages[page].folio, message)
            for code, page, message in sorted(found, key=lambda f: (f[1], f[0], f[2]))]


def _marks(reader: Any) -> dict[str, tuple[int, float, float]]:
    """Every named destination: (page index, left, top) in PDF points."""
    marks: dict[str, tuple[int, float, float]] = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        if page is None or page < 0:
            continue
        left = float(destination.left) if destination.left is not None else 0.0
        top = float(destination.top) if destination.top is not None else 0.0
        marks[str(name)] = (page, left, top)
    return marks
