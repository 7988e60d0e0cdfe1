"""Which page of a print edition gets which number, and where blank pages go.

The edition is a sequence of pieces (front matter, part title pages, modules, back
matter), each laid out on its own. Given their page counts this plans the book:

- Printed on both sides (``duplex``), every piece starts on a right-hand page: a blank
  page is added after a piece that ends on one. Blank pages carry no number and no
  running head (trainkit adds them to the merged file; WeasyPrint never saw them).
- The front matter is numbered i, ii, iii...; its first pages (the cover and the imprint on
  its back) carry no number.
- Per-module numbering (the default): module 3's pages are "3–1", "3–2"...; the back
  matter's "A–1"...; a part's title page shows none ("·" in the PDF's page labels).
- Continuous numbering: 1 to N from the first page after the front matter to the last;
  part title pages and blank pages count but show no number.

The numbers are the same in the PDF's page labels, on the pages (``stamps.py`` writes
them) and wherever the book refers to a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from trainkit.labels import localize_digits

PieceKind = Literal["front", "part", "module", "back"]
BACK_PREFIX = "A\u2013"


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of the book: its kind, its page count and its number prefix."""

    kind: PieceKind
    pages: int
    #: "3–" for module 3, "A–" for the back matter, "" otherwise.
    prefix: str = ""
    #: Pages at the start that carry no number (the cover and the imprint).
    unnumbered: int = 0


@dataclass(frozen=True, slots=True)
class PageLabel:
    """A page's number, and whether it is printed on the page."""

    text: str
    printed: bool


@dataclass(frozen=True, slots=True)
class LabelRange:
    """A run of pages numbered alike, as the PDF's ``/PageLabels`` describe it."""

    first: int
    style: str | None
    prefix: str | None
    start: int


@dataclass(frozen=True, slots=True)
class PagePlan:
    """Where each piece starts, the blank pages added, and every page's number."""

    firsts: tuple[int, ...]
    blanks: tuple[int, ...]
    labels: tuple[PageLabel, ...]
    ranges: tuple[LabelRange, ...]

    def label(self, piece: int, page: int) -> str:
        """The number of page ``page`` (from 0) of piece ``piece``."""
        return self.labels[self.firsts[piece] + page].text


def roman(number: int) -> str:
    """4 -> "iv"."""
    numerals = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
                ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
    text = ""
    for numeral, value in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text


def plan_pages(pieces: list[Piece], *, duplex: bool, continuous: bool,
               digits: str = "western") -> PagePlan:
    """The book made of ``pieces`` (the front matter first, if any); with ``eastern``
    ``digits`` the numbers are in Arabic-Indic digits, which the PDF's decimal page labels
    cannot show: each such page gets its label as a prefix of its own."""
    firsts: list[int] = []
    blanks: list[int] = []
    labels: list[PageLabel] = []
    ranges: list[LabelRange] = []
    counter = 0  # continuous numbering: the number of the last page
    for index, piece in enumerate(pieces):
        firsts.append(len(labels))
        numbered = continuous and piece.kind != "front"
        if piece.kind == "front":
            ranges.append(LabelRange(len(labels), "/r", None, 1))
        elif numbered:
            if not any(r.style == "/D" for r in ranges):
                ranges.append(LabelRange(len(labels), "/D", None, counter + 1))
        elif piece.kind == "part":
            ranges.append(LabelRange(len(labels), None, "\u00b7", 1))
        else:
            ranges.append(LabelRange(len(labels), "/D", piece.prefix, 1))
        blank = duplex and index + 1 < len(pieces) and (len(labels) + piece.pages) % 2 == 1
        for page in range(1, piece.pages + 1 + blank):
            text = localize_digits(_number(piece, page, counter + page if numbered else 0),
                                   digits)
            printed = page <= piece.pages and piece.kind != "part" and page > piece.unnumbered
            labels.append(PageLabel(text, printed))
        if blank:
            blanks.append(len(labels) - 1)
        if numbered:
            counter += piece.pages + blank
    if digits == "eastern":
        ranges = _eastern_ranges(ranges, labels)
    return PagePlan(tuple(firsts), tuple(blanks), tuple(labels), tuple(ranges))


def _eastern_ranges(ranges: list[LabelRange], labels: list[PageLabel]) -> list[LabelRange]:
    """``ranges`` with each decimal one split into pages labelled by their own text."""
    ends = [r.first for r in ranges[1:]] + [len(labels)]
    result: list[LabelRange] = []
    for labels_range, end in zip(ranges, ends):
        if labels_range.style != "/D":
            result.append(labels_range)
            continue
        result.extend(LabelRange(page, None, labels[page].text, 1)
                      for page in range(labels_range.first, end))
    return result


def _number(piece: Piece, page: int, continuous: int) -> str:
    """The number of page ``page`` (from 1) of ``piece``; ``continuous`` if not 0."""
    if continuous:
        return str(continuous)
    if piece.kind == "front":
        return roman(page)
    if piece.kind == "part":
        return "\u00b7"
    return f"{piece.prefix}{page}"
