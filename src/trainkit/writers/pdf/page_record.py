"""Each page's text block, recorded in the PDF for the preflight to read back.

A printed page has a text block (the page area, inside the margins) and furniture around
it (running head, folio). The layout checker needs the text block to tell body text from
furniture and to find text outside it, and the margins are the stylesheet's business, so
the writer records the block WeasyPrint used on each page, in the page's ``/PieceInfo``:
the PDF's place for an application's private data about a page (ISO 32000-1, 14.5)::

    /PieceInfo << /Trainkit << /LastModified (D:20261201000000Z)
                               /Private << /TextBlock [x1 y1 x2 y2] /Blank true >> >> >>

in PDF points from the bottom left; ``/Blank`` is there when WeasyPrint made the page
blank on purpose (a break to a left or right page). Readers and printers ignore it.
"""

from __future__ import annotations

import datetime
from typing import Any

Rect = tuple[float, float, float, float]
PX_TO_PT = 0.75
APPLICATION = "/Trainkit"


def record_page(page: Any, block_px: Rect | None, blank: bool, height_pt: float,
                modified: datetime.date) -> None:
    """Write ``block_px`` (CSS px from the top left) into ``page``'s ``/PieceInfo``."""
    from pypdf.generic import (
        ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
        TextStringObject,
    )

    if block_px is None:
        return
    x1, y1, x2, y2 = block_px
    box = [x1 * PX_TO_PT, height_pt - y2 * PX_TO_PT, x2 * PX_TO_PT, height_pt - y1 * PX_TO_PT]
    private = DictionaryObject({
        NameObject("/TextBlock"): ArrayObject(FloatObject(round(v, 3)) for v in box)})
    if blank:
        private[NameObject("/Blank")] = BooleanObject(True)
    data = DictionaryObject({
        NameObject("/LastModified"): TextStringObject(f"D:{modified:%Y%m%d}000000Z"),
        NameObject("/Private"): private,
    })
    page[NameObject("/PieceInfo")] = DictionaryObject({NameObject(APPLICATION): data})


def record_document(writer: Any, pages: list[tuple[Rect | None, bool]],
                    modified: datetime.date) -> None:
    """Record each page of ``writer``: ``pages`` holds (text block in CSS px, blank)."""
    for page, (block, blank) in zip(writer.pages, pages, strict=False):
        record_page(page, block, blank, float(page.mediabox.height), modified)


def read_page(page: Any) -> tuple[Rect | None, bool]:
    """The text block (PDF points from the bottom left) and blank flag a page records."""
    try:
        private = page["/PieceInfo"][APPLICATION]["/Private"]
        x1, y1, x2, y2 = (float(v) for v in private["/TextBlock"])
    except (KeyError, TypeError, ValueError):
        return None, False
    return (x1, y1, x2, y2), bool(private.get("/Blank", False))
