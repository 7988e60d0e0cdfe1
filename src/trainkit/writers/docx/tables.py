"""Tables built as ``w:tbl`` elements directly (python-docx's ``add_table`` scans the body
for the page width on every call).

The table style gives borders, cell margins and the look of the header row; the first
row is marked ``w:tblHeader`` so Word and LibreOffice repeat it on every page.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainkit.writers.docx.oxml import Element, last_child, sub, w

#: GFM column alignment -> ``w:jc`` value.
JUSTIFY = {"left": "left", "center": "center", "right": "right"}


def new_table(container: Element, style_id: str, widths: Sequence[int], *,
              header_row: bool = True, total_row: bool = False) -> Element:
    """A ``w:tbl`` with ``style_id`` and columns of ``widths`` twips, appended."""
    table = sub(container, "w:tbl")
    properties = sub(table, "w:tblPr")
    w(properties, "tblStyle", style_id)
    sub(properties, "w:tblW", {"w:w": 5000, "w:type": "pct"})
    look = 0x0600 | (0x0020 if header_row else 0) | (0x0040 if total_row else 0)
    sub(properties, "w:tblLook", {
        "w:val": f"{look:04X}", "w:firstRow": int(header_row), "w:lastRow": int(total_row),
        "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})
    grid = sub(table, "w:tblGrid")
    for width in widths:
        sub(grid, "w:gridCol", {"w:w": width})
    return table


def new_row(table: Element, *, header: bool = False) -> Element:
    """A ``w:tr``; a header row repeats at the top of each page (``w:tblHeader``)."""
    row = sub(table, "w:tr")
    if header:
        properties = sub(row, "w:trPr")
        w(properties, "cantSplit")
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
    """``total`` twips split in proportion to ``shares``."""
    whole = sum(shares) or 1.0
    return [max(1, int(total * share / whole)) for share in shares]
