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

A right-to-left word among them (the Arabic back-matter prefix "ملحق") cannot be set a
character at a time: its letters take joined forms and run right to left. The sheet sets
each such word on two pages of its own (body font, folio font), so WeasyPrint shapes it,
and the stamps copy its glyphs in the order WeasyPrint drew them. A label holding such a
word reads right to left, as the contents print it: "ملحق–5" has the word at the right
and the number at the left (the bidirectional algorithm's order, ``_visual``).
"""

from __future__ import annotations

import re
import unicodedata
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
#: The strings of the text-showing operators ``[...] TJ`` and ``<...> Tj``.
_SHOWN = re.compile(rb"\[([^\]]*)\]\s*TJ|(<[0-9a-fA-F]+>)\s*Tj")
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def rtl_words(text: str) -> list[str]:
    """The runs of right-to-left letters (Arabic, Hebrew) in ``text``, each once."""
    runs = re.findall(r"\w+", "".join(
        ch if unicodedata.bidirectional(ch) in ("R", "AL") else " " for ch in text))
    return list(dict.fromkeys(runs))


def glyph_sheet_html(language: str, direction: str, extra: str = "") -> str:
    """The document whose two pages hold ``GLYPHS`` in the body font, then the folio font,
    with ``extra`` characters: eastern digits, the letters of an Arabic back-matter prefix."""
    glyphs = GLYPHS + "".join(dict.fromkeys(ch for ch in extra if ch not in GLYPHS))
    words = "".join(f'<p style="break-before: page">{word}</p>'
                    f'<p class="folio-font" style="break-before: page">{word}</p>'
                    for word in rtl_words(extra))  # shaped by WeasyPrint, pages 3 and on
    return (f'<!DOCTYPE html><html lang="{language}" dir="{direction}"><head>'
            '<meta charset="utf-8"><title>glyphs</title></head><body class="glyph-sheet">'
            f'<p>{glyphs}</p><p class="folio-font" style="break-before: page">{glyphs}</p>'
            f"{words}</body></html>")


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
    #: Right-to-left words as WeasyPrint shaped them: their glyphs, left to right.
    words: dict[str, list[int]] = field(default_factory=dict)

    def glyphs(self, text: str) -> list[int]:
        """The glyphs that draw ``text`` left to right. A label with a shaped word reads
        right to left: the word (as one piece) at the right, its number to its left."""
        tokens: list[tuple[list[int], int]] = []  # glyphs and bidi level (1 RTL, 2 LTR)
        shaped = False
        index = 0
        while index < len(text):
            word = next((w for w in self.words if text.startswith(w, index)), None)
            if word is not None:
                tokens.append((self.words[word], 1))
                shaped, index = True, index + len(word)
                continue
            if text[index] in self.codes:
                ltr = unicodedata.bidirectional(text[index]) in ("L", "EN", "AN")
                tokens.append(([self.codes[text[index]]], 2 if ltr else 1))
            index += 1
        return _visual(tokens) if shaped else [g for glyphs, _ in tokens for g in glyphs]

    def width(self, text: str, size: float) -> float:
        """The advance of ``text`` at ``size`` points, in points."""
        return sum(self.widths.get(glyph, 500.0) for glyph in self.glyphs(text)) * size / 1000

    def encode(self, text: str) -> str:
        """``text`` as the hexadecimal glyph string of a ``Tj`` operator."""
        return "".join(f"{glyph:04x}" for glyph in self.glyphs(text))


def _visual(tokens: list[tuple[list[int], int]]) -> list[int]:
    """The Unicode bidirectional algorithm's reordering (rule L2) of a right-to-left
    line: runs at level 2 (numbers, Latin) reversed, then the whole line."""
    for level in (2, 1):
        ordered: list[tuple[list[int], int]] = []
        start = 0
        while start < len(tokens):
            end = start
            while end < len(tokens) and tokens[end][1] >= level:
                end += 1
            ordered += reversed(tokens[start:end]) if end > start else [tokens[start]]
            start = max(end, start + 1)
        tokens = ordered
    return [glyph for glyphs, _ in tokens for glyph in glyphs]


def load_fonts(sheet_pdf: bytes, writer: Any) -> tuple[StampFont, StampFont]:
    """The body font and the folio font of a glyph sheet, copied into ``writer``."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(sheet_pdf))
    fonts = []
    for index, name in ((0, "/TKStampText"), (1, "/TKStampFolio")):
        font = _page_font(reader.pages[index])
        stamp = _stamp_font(name, font, writer)
        names = _to_unicode(font)
        for page in reader.pages[2 + index::2]:  # its shaped words, one a page
            if _page_font(page).indirect_reference == font.indirect_reference:
                _add_word(stamp, page, names)
        fonts.append(stamp)
    return fonts[0], fonts[1]


def _page_font(page: Any) -> Any:
    used = _TF.findall(page.get_contents().get_data())
    resources = page["/Resources"].get_object()["/Font"].get_object()
    return resources["/" + used[0].decode()].get_object()


def _to_unicode(font: Any) -> dict[int, str]:
    """Every glyph of ``font`` with the text it stands for (all forms of a letter)."""
    data = font["/ToUnicode"].get_object().get_data()
    return {int(cid, 16): bytes.fromhex(text.decode()).decode("utf-16-be", errors="ignore")
            for cid, text in _BFCHAR.findall(data)}


def _add_word(stamp: StampFont, page: Any, names: dict[int, str]) -> None:
    """The word on ``page`` of the sheet: its glyphs in the order drawn (left to right);
    the word is their text read right to left."""
    data = page.get_contents().get_data()
    shown = [_HEX.findall(array or single) for array, single in _SHOWN.findall(data)]
    glyphs = [int(text[i:i + 4], 16) for strings in shown for text in strings
              for i in range(0, len(text) - 3, 4)]
    if glyphs and all(glyph in names for glyph in glyphs):
        stamp.words["".join(names[glyph] for glyph in reversed(glyphs))] = glyphs


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
