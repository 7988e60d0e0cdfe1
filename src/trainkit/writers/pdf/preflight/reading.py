"""A built PDF read back: where each piece of text and each image is on each page.

``read_pages`` walks each page's content stream with a small interpreter of the text and
graphics operators that place things (``q Q cm BT ET Tm Td TD T* TL Tf Tc Tw Tz Ts Tj TJ
' " Do``). A text run is one text-showing operator: its baseline, its start and end (the
glyphs' advance widths from the font dictionary, as PDF readers place them) and its font
size, in PDF points from the bottom left of the page. Images are the rectangles of the
``Do`` operators that draw them. Text is not decoded: the checks need where text is, and
the writer's marks (named destinations) say what it is.

The content stream is tokenized with one regular expression: pypdf's general parser
takes 30-80 ms a page, which is most of a preflight of a hundred pages; this takes a
few. It reads what WeasyPrint writes (hexadecimal strings, Type0 and simple fonts) and
is best effort for other PDFs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from trainkit.writers.pdf.page_record import read_page

Rect = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_TOKEN = re.compile(
    rb"(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))"
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)"
    rb"|<<|>>"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)>"
    rb"|\((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)"
    rb"|(?P<open>\[)|(?P<close>\])"
    rb"|(?P<op>[A-Za-z'\"*][A-Za-z0-9'\"*]*)"
    rb"|%[^\r\n]*", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True, slots=True)
class Run:
    """One text-showing operator: baseline ``y``, from ``x1`` to ``x2``, at ``size`` pt."""

    x1: float
    x2: float
    y: float
    size: float


@dataclass(slots=True)
class PageContent:
    """What is on one page, in PDF points from its bottom left."""

    index: int
    folio: str
    width: float
    height: float
    #: The text block the writer recorded (``page_record``), or None.
    block: Rect | None
    blank: bool
    runs: list[Run] = field(default_factory=list)
    images: list[Rect] = field(default_factory=list)


def read_pages(reader: Any) -> list[PageContent]:
    """Every page of ``reader`` (a ``pypdf.PdfReader``) with its text runs and images."""
    labels = list(reader.page_labels)
    pages = []
    fonts: dict[int, _Font] = {}
    for index, page in enumerate(reader.pages):
        box = page.mediabox
        block, blank = read_page(page)
        content = PageContent(index, labels[index] if index < len(labels) else str(index + 1),
                              float(box.width), float(box.height), block, blank)
        data = page.get_contents()
        if data is not None:
            _Interpreter(content, page.get("/Resources"), fonts).run(data.get_data())
        pages.append(content)
    return pages


class _Font:
    """Advance widths (in thousandths of an em) of a font dictionary's character codes."""

    def __init__(self, font: Any) -> None:
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = 1000.0 if self.two_bytes else 500.0
        if self.two_bytes:
            descendant = font["/DescendantFonts"][0].get_object()
            self.default = float(descendant.get("/DW", 1000))
            array = list(descendant.get("/W", []))
            i = 0
            while i + 1 < len(array):
                first, second = array[i], array[i + 1]
                if isinstance(second, list):
                    for offset, width in enumerate(second):
                        self.widths[int(first) + offset] = float(width)
                    i += 2
                else:
                    for code in range(int(first), int(array[i + 1]) + 1):
                        self.widths[code] = float(array[i + 2])
                    i += 3
        else:
            first_char = int(font.get("/FirstChar", 0))
            for offset, width in enumerate(font.get("/Widths", [])):
                self.widths[first_char + offset] = float(width)

    def advances(self, data: bytes) -> list[tuple[int, float]]:
        """(code, width) of each character code in ``data``."""
        if self.two_bytes:
            codes = [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
        else:
            codes = list(data)
        return [(code, self.widths.get(code, self.default)) for code in codes]


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _matrix(values: list[Any]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values)
    return a, b, c, d, e, f


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _string(match: re.Match[bytes]) -> bytes:
    if match.group("hex") is not None:
        digits = re.sub(rb"\s", b"", match.group("hex"))
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    raw = match.group("lit")
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: _ESCAPES.get(
        m.group(1), bytes([int(m.group(1), 8) & 255]) if m.group(1)[:1].isdigit()
        else m.group(1)), raw, flags=re.DOTALL)


class _Interpreter:
    """Runs a content stream, appending the runs and images it places to ``content``."""

    def __init__(self, content: PageContent, resources: Any, fonts: dict[int, _Font],
                 depth: int = 0) -> None:
        self.content, self.fonts, self.depth = content, fonts, depth
        self.resources = resources.get_object() if hasattr(resources, "get_object") else (
            resources or {})
        self.ctm: Matrix = IDENTITY
        self.stack: list[Matrix] = []
        self.tm = self.tlm = IDENTITY
        self.font: _Font | None = None
        self.size = self.char_space = self.word_space = self.rise = self.leading = 0.0
        self.scale = 1.0

    def run(self, data: bytes, ctm: Matrix = IDENTITY) -> None:
        self.ctm = ctm
        operands: list[Any] = []
        arrays: list[list[Any]] = []
        for match in _TOKEN.finditer(data):
            kind = match.lastgroup
            if kind == "num":
                value: Any = float(match.group())
            elif kind == "name":
                value = match.group().decode("latin-1")
            elif kind in ("hex", "lit"):
                value = _string(match)
            elif kind == "open":
                arrays.append([])
                continue
            elif kind == "close":
                if arrays:
                    value = arrays.pop()
                else:
                    continue
            elif kind == "op":
                self.operator(match.group().decode("latin-1"), operands)
                operands = []
                continue
            else:
                continue
            (arrays[-1] if arrays else operands).append(value)

    def operator(self, op: str, args: list[Any]) -> None:  # noqa: C901 - a dispatch table
        if op == "q":
            self.stack.append(self.ctm)
        elif op == "Q":
            self.ctm = self.stack.pop() if self.stack else self.ctm
        elif op == "cm" and len(args) == 6:
            self.ctm = _multiply(_matrix(args), self.ctm)
        elif op == "BT":
            self.tm = self.tlm = IDENTITY
        elif op == "Tm" and len(args) == 6:
            self.tm = self.tlm = _matrix(args)
        elif op in ("Td", "TD") and len(args) == 2:
            if op == "TD":
                self.leading = -args[1]
            self.tm = self.tlm = _multiply((1, 0, 0, 1, args[0], args[1]), self.tlm)
        elif op == "T*":
            self.tm = self.tlm = _multiply((1, 0, 0, 1, 0, -self.leading), self.tlm)
        elif op == "TL" and args:
            self.leading = args[0]
        elif op == "Tf" and len(args) == 2:
            self.font, self.size = self._font(args[0]), args[1]
        elif op == "Tc" and args:
            self.char_space = args[0]
        elif op == "Tw" and args:
            self.word_space = args[0]
        elif op == "Tz" and args:
            self.scale = args[0] / 100
        elif op == "Ts" and args:
            self.rise = args[0]
        elif op in ("Tj", "TJ", "'", '"') and args:
            if op in ("'", '"'):
                self.operator("T*", [])
            self.show(args[-1] if isinstance(args[-1], list) else [args[-1]])
        elif op == "Do" and args:
            self.draw(args[0])

    def _font(self, name: str) -> _Font | None:
        try:
            font = self.resources["/Font"][name].get_object()
        except (KeyError, TypeError, AttributeError):
            return None
        key = id(font)
        if key not in self.fonts:
            try:
                self.fonts[key] = _Font(font)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                return None
        return self.fonts[key]

    def show(self, items: list[Any]) -> None:
        advance = 0.0
        font = self.font
        for item in items:
            if isinstance(item, bytes):
                for code, width in font.advances(item) if font else []:
                    space = self.word_space if code == 32 and font and not font.two_bytes else 0.0
                    advance += (width / 1000 * self.size + self.char_space + space) * self.scale
            elif isinstance(item, float):
                advance -= item / 1000 * self.size * self.scale
        matrix = _multiply(self.tm, self.ctm)
        x1, y = _point(matrix, 0, self.rise)
        x2, _ = _point(matrix, advance, self.rise)
        size = abs(self.size * (matrix[3] if matrix[3] else matrix[1]))
        if advance:
            self.content.runs.append(Run(min(x1, x2), max(x1, x2), y, size))
        self.tm = _multiply((1, 0, 0, 1, advance, 0), self.tm)

    def draw(self, name: str) -> None:
        try:
            xobject = self.resources["/XObject"][name].get_object()
        except (KeyError, TypeError, AttributeError):
            return
        if xobject.get("/Subtype") == "/Image":
            corners = [_point(self.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            self.content.images.append((min(xs), min(ys), max(xs), max(ys)))
        elif xobject.get("/Subtype") == "/Form" and self.depth < 8:
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            inner = _Interpreter(self.content, xobject.get("/Resources", self.resources),
                                 self.fonts, self.depth + 1)
            inner.run(xobject.get_data(), _multiply(matrix, self.ctm))  # type: ignore[arg-type]
