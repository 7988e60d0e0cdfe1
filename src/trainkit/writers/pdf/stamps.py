"""Page numbers written by trainkit onto the merged PDF, after layout.

A module is laid out on its own, so the pages it starts on in the book are not known while
WeasyPrint lays it out. Rather than lay it out again once they are, trainkit leaves room
and writes the numbers itself: the folio at the foot of each page, and the page after a
cross-reference ("Module 7: Following the money, page 7–1") where the room was left
(``Slot``). So a module whose page count did not change is never laid out again, whatever
happens to the numbering around it.

The numbers are set in the edition's own fonts: a "glyph sheet" (two pages holding the
characters page numbers use, in the body font and in the sans-serif of the folios) is laid
out by WeasyPrint like any chunk and cached; its two embedded font subsets are copied into
the merged file once and shared by every page. Characters are looked up through the
fonts' ``ToUnicode`` maps, advances through their ``W`` arrays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Every character a page number may hold: digits, the en dash of "3–12", the "A" of the
#: appendix pages, the middle dot of part pages, roman numerals of the front matter.
GLYPHS = "0123456789\u2013A\u00b7ivxlcdm"
#: The Arabic-Indic digits of editions with ``digits: eastern``.
EASTERN_GLYPHS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
PX_TO_PT = 0.75

_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4,8})>")
_TF = re.compile(rb"/([^\s/]+)\s+[\d.]+\s+Tf")


def glyph_sheet_html(language: str, direction: str, extra: str = "") -> str:
    """The document whose two pages hold ``GLYPHS`` in the body font, then the folio font,
    with ``extra`` characters: eastern digits, the letters of an Arabic back-matter prefix."""
    glyphs = GLYPHS + "".join(dict.fromkeys(ch for ch in extra if ch not in GLYPHS))
    return (f'<!DOCTYPE html><html lang="{language}" dir="{direction}"><head>'
            '<meta charset="utf-8"><title>glyphs</title></head><body class="glyph-sheet">'
            f'<p>{glyphs}</p><p class="folio-font" style="break-before: page">{glyphs}</p>'
            "</body></html>")


#: Without running heads or numbers: only the two paragraphs' fonts are in the sheet.
SHEET_CSS = ("@page { @top-left { content: none; } @top-right { content: none; } "
             "@bottom-center { content: none; } } "
             '.folio-font { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; }')


@dataclass(slots=True)
class StampFont:
    """An embedded font subset the stamps are set in."""

    resource: str  # its name in the pages' /Font resources
    font: Any  # the font dictionary, as an indirect object of the merged file
    codes: dict[str, int]
    widths: dict[int, float]
    ascent: float
    descent: float

    def width(self, text: str, size: float) -> float:
        """The advance of ``text`` at ``size`` points, in points."""
        return sum(self.widths.get(self.codes.get(ch, 0), 500.0) for ch in text) * size / 1000

    def encode(self, text: str) -> str:
        """``text`` as the hexadecimal glyph string of a ``Tj`` operator."""
        return "".join(f"{self.codes[ch]:04x}" for ch in text if ch in self.codes)


def load_fonts(sheet_pdf: bytes, writer: Any) -> tuple[StampFont, StampFont]:
    """The body font and the folio font of a glyph sheet, copied into ``writer``."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(sheet_pdf))
    fonts = []
    for index, name in ((0, "/TKStampText"), (1, "/TKStampFolio")):
        page: Any = reader.pages[index]
        used = _TF.findall(page.get_contents().get_data())
        resources = page["/Resources"].get_object()["/Font"].get_object()
        font = resources["/" + used[0].decode()].get_object()
        fonts.append(_stamp_font(name, font, writer))
    return fonts[0], fonts[1]


def _stamp_font(name: str, font: Any, writer: Any) -> StampFont:
    data = font["/ToUnicode"].get_object().get_data()
    codes: dict[str, int] = {}
    for cid, text in _BFCHAR.findall(data):
        char = bytes.fromhex(text.decode()).decode("utf-16-be", errors="ignore")
        if len(char) == 1:
            codes.setdefault(char, int(cid, 16))
    descendant = font["/DescendantFonts"][0].get_object()
    widths = _widths(descendant.get("/W", []))
    descriptor = descendant["/FontDescriptor"].get_object()
    copied = font.clone(writer).indirect_reference
    return StampFont(name, copied, codes, widths, float(descriptor["/Ascent"]),
                     float(descriptor["/Descent"]))


def _widths(array: Any) -> dict[int, float]:
    """A CID font's ``W`` array (``c [w1 w2 ...]`` or ``c1 c2 w``) as a dictionary."""
    widths: dict[int, float] = {}
    items = list(array)
    i = 0
    while i + 1 < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], list) or hasattr(items[i + 1], "__iter__"):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


@dataclass(slots=True)
class Stamper:
    """Text to write on pages of the merged file, collected then written at once."""

    writer: Any
    text_font: StampFont
    folio_font: StampFont
    _marks: dict[int, list[str]] = field(default_factory=dict)

    def add(self, page: int, text: str, x: float, baseline: float, size: float,
            colour: str, font: StampFont, align: str = "left") -> None:
        """Write ``text`` on ``page``: ``x`` is its left edge (``align`` left), its centre
        or its right edge, and ``baseline`` its baseline, in points from the bottom left."""
        width = font.width(text, size)
        left = {"left": x, "center": x - width / 2, "right": x - width}[align]
        red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        self._marks.setdefault(page, []).append(
            f"/Artifact BMC BT {red:.3f} {green:.3f} {blue:.3f} rg {font.resource} {size:.2f} "
            f"Tf 1 0 0 1 {left:.2f} {baseline:.2f} Tm <{font.encode(text)}> Tj ET EMC")

    def folio(self, page: int, text: str, margins: tuple[float, float, float] | None,
              size: float = 9.0, colour: str = "#5b6573") -> None:
        """The page number ``text`` centred under the text block of ``page``."""
        width = float(self.writer.pages[page].mediabox.width)
        left, right, bottom = ((m * PX_TO_PT for m in margins) if margins
                               else (0.0, 0.0, 22 / 25.4 * 72))
        font = self.folio_font
        middle = bottom / 2 - (font.ascent + font.descent) / 2000 * size
        self.add(page, text, left + (width - left - right) / 2, middle, size, colour, font,
                 "center")

    def write(self) -> None:
        """Write every stamp: each page's content is wrapped so that its graphics state
        (WeasyPrint leaves its coordinate transform in force) cannot move the stamps."""
        from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

        if not self._marks:
            return
        opening = DecodedStreamObject()
        opening.set_data(b"q\n")
        save = self.writer._add_object(opening)
        for index, marks in self._marks.items():
            page = self.writer.pages[index]
            stream = DecodedStreamObject()
            stream.set_data(("Q\nq\n" + "\n".join(marks) + "\nQ\n").encode("ascii"))
            contents = page.get("/Contents")
            old = contents.get_object() if contents is not None else None
            parts = list(old) if isinstance(old, list) else ([contents] if contents else [])
            page[NameObject("/Contents")] = ArrayObject(
                [save, *parts, self.writer._add_object(stream)])
            self._add_fonts(page)

    def _add_fonts(self, page: Any) -> None:
        from pypdf.generic import DictionaryObject, NameObject

        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        fonts = resources["/Font"].get_object()
        for font in (self.text_font, self.folio_font):
            fonts[NameObject(font.resource)] = font.font
