"""A rendered print chunk, and the cache that keeps it between builds.

A chunk result is the PDF bytes with what the merge needs: the page count and height,
the page and position of every anchor, and the internal links (taken out of WeasyPrint's
hands, because their targets may live in another chunk), in CSS px from the top left.

The cache lives in the project folder (``.trainkit-cache/pdf-chunks``), which is
untrusted input, so an entry is data only and sealed (``cacheseal``): see ``ChunkCache``.
"""

from __future__ import annotations

import json
import os
import struct
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from trainkit.loading import seal
from trainkit.files import atomic_target

Rect = tuple[float, float, float, float]


class Slot(NamedTuple):
    """Room left in a line for a page number that trainkit writes after layout
    (``stamps.py``): its page, its left and right edges and its baseline in CSS px from
    the top left, the font size in px, the anchor whose page it shows, the text colour
    (``#rrggbb``) and whether the text around it is sans-serif."""

    page: int
    left: float
    right: float
    baseline: float
    size: float
    target: str
    colour: str
    sans: bool


#: A page's left, right and bottom margins in CSS px, where trainkit writes its number.
Margins = tuple[float, float, float]


@dataclass(slots=True)
class ChunkResult:
    """A rendered chunk: its PDF, pages, anchors and internal links (CSS px from top-left)."""

    pdf: bytes
    pages: int
    page_height: float
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    links: list[tuple[int, Rect, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    #: Each page's margins (the page numbers are written in the bottom one).
    margins: list[Margins] = field(default_factory=list)


class ChunkCache:
    """Rendered chunks by content hash, in a folder that is safe to delete.

    An entry is a file of its own: a magic line, a seal (``cacheseal``), then the
    payload: the length of a JSON header (pages, page height, anchors, links), the
    header, and the PDF bytes. Nothing in it is executed, and an entry that was not
    sealed on this machine (say, committed to the project) is only a miss.
    """

    MAX_AGE_SECONDS = 14 * 24 * 3600
    MAGIC = b"trainkit-chunk-1\n"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.chunk"

    def get(self, key: str) -> ChunkResult | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        start = len(self.MAGIC) + seal.TAG_BYTES
        payload = memoryview(data)[start:]
        if not data.startswith(self.MAGIC) or not seal.verify(
                payload, data[len(self.MAGIC):start]):
            return None
        result = decode_chunk(payload)
        if result is not None:
            with suppress(OSError):
                os.utime(path)
        return result

    def put(self, key: str, result: ChunkResult) -> None:
        payload = encode_chunk(result)
        try:
            with atomic_target(self._path(key)) as temporary, temporary.open("wb") as stream:
                stream.write(self.MAGIC + seal.seal(payload))
                stream.write(payload)
        except OSError:
            return  # a read-only checkout still builds, only more slowly

    def prune(self) -> None:
        """Forget chunks no build has used for two weeks, and files of older formats."""
        limit = time.time() - self.MAX_AGE_SECONDS
        try:
            entries = [*self.folder.glob("*.chunk"), *self.folder.glob("*.pickle")]
        except OSError:
            return
        for path in entries:
            try:
                if path.suffix == ".pickle" or path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue


def encode_chunk(result: ChunkResult) -> bytes:
    """A rendered chunk as bytes: header length, JSON header, PDF."""
    header = json.dumps({
        "pages": result.pages,
        "page_height": result.page_height,
        "anchors": {name: list(place) for name, place in result.anchors.items()},
        "links": [[page, list(rect), name] for page, rect, name in result.links],
        "slots": [list(slot) for slot in result.slots],
        "margins": [list(margins) for margins in result.margins],
    }).encode("utf-8")
    return struct.pack(">I", len(header)) + header + result.pdf


def decode_chunk(payload: memoryview | bytes) -> ChunkResult | None:
    """The chunk ``encode_chunk`` wrote, or None if ``payload`` is not one."""
    try:
        (length,) = struct.unpack_from(">I", payload)
        header = json.loads(bytes(payload[4:4 + length]))
        pages, height = header["pages"], header["page_height"]
        anchors = {name: _place(place) for name, place in header["anchors"].items()
                   if isinstance(name, str)}
        links = [(_page(page), _rect(rect), name) for page, rect, name in header["links"]
                 if isinstance(name, str)]
        slots = [_slot(slot) for slot in header.get("slots", [])]
        margins = [_margins(item) for item in header.get("margins", [])]
        if not isinstance(pages, int) or not isinstance(height, int | float):
            return None
        return ChunkResult(bytes(payload[4 + length:]), pages, float(height), anchors, links,
                           slots=slots, margins=margins)
    except (struct.error, ValueError, KeyError, TypeError, AttributeError):
        return None


def _page(value: object) -> int:
    if not isinstance(value, int) or value < 0:
        raise ValueError("a page index")
    return value


def _number(value: object) -> float:
    if not isinstance(value, int | float):
        raise TypeError("a number")
    return float(value)


def _numbers(value: object, count: int) -> list[float]:
    if not isinstance(value, list) or len(value) != count:
        raise ValueError(f"{count} numbers")
    return [_number(item) for item in value]


def _place(value: object) -> tuple[int, float, float]:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError("a page and a position")
    x, y = _numbers(value[1:], 2)
    return _page(value[0]), x, y


def _slot(value: object) -> Slot:
    if not isinstance(value, list) or len(value) != 8:
        raise ValueError("a slot")
    page, target, colour, sans = value[0], value[5], value[6], value[7]
    if not isinstance(target, str) or not isinstance(colour, str) or not isinstance(sans, bool):
        raise TypeError("a slot")
    left, right, baseline, size = _numbers(value[1:5], 4)
    return Slot(_page(page), left, right, baseline, size, target, colour, sans)


def _margins(value: object) -> Margins:
    left, right, bottom = _numbers(value, 3)
    return left, right, bottom


def _rect(value: object) -> Rect:
    x1, y1, x2, y2 = _numbers(value, 4)
    return x1, y1, x2, y2
