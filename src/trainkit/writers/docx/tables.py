"""Tables built as ``w:tbl`` elements directly (python-docx's ``add_table`` scans the body
for the page width on every call).

The table style gives borders and the look of the header row. Each table also carries its
cell margins itself (``w:tblCellMar``: a reference document's table style may have none,
and a trainer who switches the style keeps them), a fixed layout with column widths
measured from the content (:func:`content_widths`, the automatic table layout of CSS), and
rows that do not break across pages (``w:cantSplit``); the first row is marked
``w:tblHeader`` so Word and LibreOffice repeat it on every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trainkit.writers.docx.oxml import Element, last_child, sub, w

#: GFM column alignment -> ``w:jc`` value.
JUSTIFY = {"left": "left", "center": "center", "right": "right"}
#: Cell margins in twips (top, left/right, bottom), as the Training Table style sets them.
CELL_MARGIN_Y = 40
CELL_MARGIN_X = 100
#: The advance of one character of table text (9.5 pt), in twips: generous (0.6 em, a
#: bold header or a wide fallback font), so that a column's longest word never breaks.
CHAR_WIDTH = 115
#: A column is never narrower than this many characters of text, nor than its longest word.
MIN_CHARS = 4


def new_table(container: Element, style_id: str, widths: Sequence[int], *,
              header_row: bool = True, total_row: bool = False) -> Element:
    """A ``w:tbl`` with ``style_id`` and columns of ``widths`` twips, appended."""
    table = sub(container, "w:tbl")
    properties = sub(table, "w:tblPr")
    w(properties, "tblStyle", style_id)
    sub(properties, "w:tblW", {"w:w": sum(widths), "w:type": "dxa"})
    sub(properties, "w:tblLayout", {"w:type": "fixed"})
    margins = sub(properties, "w:tblCellMar")
    for side, size in (("top", CELL_MARGIN_Y), ("left", CELL_MARGIN_X),
                       ("bottom", CELL_MARGIN_Y), ("right", CELL_MARGIN_X)):
        sub(margins, f"w:{side}", {"w:w": size, "w:type": "dxa"})
    look = 0x0600 | (0x0020 if header_row else 0) | (0x0040 if total_row else 0)
    sub(properties, "w:tblLook", {
        "w:val": f"{look:04X}", "w:firstRow": int(header_row), "w:lastRow": int(total_row),
        "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})
    grid = sub(table, "w:tblGrid")
    for width in widths:
        sub(grid, "w:gridCol", {"w:w": width})
    return table


def new_row(table: Element, *, header: bool = False) -> Element:
    """A ``w:tr`` kept on one page; a header row repeats at the top of each page."""
    row = sub(table, "w:tr")
    properties = sub(row, "w:trPr")
    w(properties, "cantSplit")
    if header:
        w(properties, "tblHeader")
    return row


def new_cell(row: Element, width: int, span: int = 1) -> Element:
    """A ``w:tc`` of ``width`` twips spanning ``span`` grid columns (content to add)."""
    cell = sub(row, "w:tc")
    properties = sub(cell, "w:tcPr")
    sub(properties, "w:tcW", {"w:w": width, "w:type": "dxa"})
    if span > 1:
        w(properties, "gridSpan", span)
    return cell


def finish_cell(cell: Element) -> None:
    """A cell must end with a paragraph; add an empty one when it does not."""
    last = last_child(cell)
    if last is None or last.tag.rsplit("}", 1)[-1] != "p":
        sub(cell, "w:p")


def column_widths(total: int, shares: Sequence[float]) -> list[int]:
    """``total`` twips split in proportion to ``shares`` (the sum is exactly ``total``)."""
    whole = sum(shares) or 1.0
    widths = [max(1, int(total * share / whole)) for share in shares]
    if widths:
        widths[-1] = max(1, widths[-1] + total - sum(widths))
    return widths


def content_widths(total: int, columns: Sequence[Iterable[str]]) -> list[int]:
    """Column widths for ``total`` twips from the text of each column's cells.

    As CSS lays out an automatic table: every column gets at least its longest word
    (its minimum); when the longest cells all fit on one line, the columns share the
    width in proportion to them; otherwise the room left after the minimums goes to each
    column in proportion to how much more its longest cell needs.
    """
    padding = 2 * CELL_MARGIN_X
    least, most = [], []
    for texts in columns:
        longest_word, longest = MIN_CHARS, MIN_CHARS
        for text in texts:
            longest = max(longest, len(text))
            for word in text.split():
                longest_word = max(longest_word, len(word) + 1)
        least.append(longest_word * CHAR_WIDTH + padding)
        most.append(longest * CHAR_WIDTH + padding)
    if not least:
        return []
    if sum(most) <= total or sum(least) >= total:
        return column_widths(total, most if sum(most) <= total else least)
    room = total - sum(least)
    extra = [high - low for low, high in zip(least, most, strict=True)]
    return column_widths(total, [low + room * more / (sum(extra) or 1)
                                 for low, more in zip(least, extra, strict=True)])
