"""The merged print edition: pieces in document order, then what trainkit adds itself.

Pieces arrive in any order (``Assembly``); once all are in, ``finish`` adds the blank
pages of a duplex book (``folios.py``), the internal links, the outline, the page labels,
the page numbers (``stamps.py``), the structure tree (``structure.py``) and the metadata,
gives each font face one embedded program (``font_share.py``) and writes the file
atomically, packed (``packing.py``).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from trainkit import __version__
from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.labels import module_title
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition
from trainkit.writers.pdf.font_share import share_fonts
from trainkit.writers.pdf.folios import Piece, PieceKind, PagePlan, plan_pages
from trainkit.writers.pdf.packing import write_packed
from trainkit.writers.pdf.page_record import record_document
from trainkit.writers.pdf.piece_cache import ChunkResult, Rect
from trainkit.writers.pdf.stamps import Stamper, load_fonts
from trainkit.writers.pdf.structure import StructureTree

PX_TO_PT = 0.75


class Placeable(Protocol):
    """What the merge needs of a chunk: its cache key, its kind and its number prefix."""

    @property
    def key(self) -> str: ...

    @property
    def kind(self) -> PieceKind: ...

    @property
    def prefix(self) -> str: ...


class Assembly:
    """The merged PDF, built as chunk results arrive, in whatever order they come.

    ``chunks`` is the document's order (the front matter's place is filled in last: its
    contents need every other chunk's page numbers). Each result is inserted after the
    pages of the chunks before it that are already in.
    """

    def __init__(self, chunks: list[Any], tagged: bool = False) -> None:
        from pypdf import PdfWriter

        self.writer = PdfWriter()
        self.chunks: list[Any] = chunks
        self._pages: dict[int, int] = {}
        #: The pieces' structure trees, merged into one (tagged PDF).
        self.structure = StructureTree(self.writer) if tagged else None

    def add(self, key: str, result: ChunkResult) -> None:
        """Insert ``result`` at every place of the document whose chunk has ``key``."""
        from pypdf import PdfReader

        for index, chunk in enumerate(self.chunks):
            if chunk is None or chunk.key != key or index in self._pages:
                continue
            before = sum(pages for placed, pages in self._pages.items() if placed < index)
            reader = PdfReader(io.BytesIO(result.pdf))
            self.writer.merge(before, reader, import_outline=False)
            if self.structure is not None:
                self.structure.add(index, reader, result.pdf, before,
                                   getattr(chunk, "language", None))
            self._pages[index] = result.pages

    def placed(self) -> list[tuple[Any, int]]:
        """Every chunk in document order, with the index of its first page."""
        first, placed = 0, []
        for index, chunk in enumerate(self.chunks):
            assert chunk is not None and index in self._pages, "every chunk is merged first"
            placed.append((chunk, first))
            first += self._pages[index]
        return placed


def pieces_of(chunks: list[Placeable], results: dict[str, ChunkResult]) -> list[Piece]:
    """The book's pieces; the front matter's cover and imprint pages carry no number."""
    pieces = []
    for chunk in chunks:
        result = results[chunk.key]
        unnumbered = result.anchors["toc-title"][0] if "toc-title" in result.anchors else 0
        pieces.append(Piece(chunk.kind, result.pages, chunk.prefix,
                            unnumbered if chunk.kind == "front" else 0))
    return pieces


def book_plan(edition: AssembledEdition, pieces: list[Piece]) -> PagePlan:
    output = edition.manifest.output
    return plan_pages(pieces, duplex=output.duplex,
                      continuous=output.page_numbers == "continuous", digits=edition.digits)


@dataclass(frozen=True, slots=True)
class Placed:
    """A chunk of the merged document, its result, and the index of its first page."""

    chunk: Any
    result: ChunkResult
    first: int


Anchor = tuple[int, float, float]


def finish(edition: AssembledEdition, assembly: Assembly, results: dict[str, ChunkResult],
           sheet: ChunkResult, target: Path) -> int:
    """Add blank pages, links, outline, page labels and numbers, metadata; write the file."""
    writer = assembly.writer
    chunks = [chunk for chunk, _ in assembly.placed()]
    plan = book_plan(edition, pieces_of(chunks, results))
    for index in plan.blanks:
        size = writer.pages[index - 1].mediabox
        writer.insert_blank_page(float(size.width), float(size.height), index)
    placed = [Placed(chunk, results[chunk.key], first)
              for chunk, first in zip(chunks, plan.firsts)]
    anchors = global_anchors(placed)
    _add_links(writer, placed, anchors)
    _add_outline(writer, edition, anchors)
    _add_page_labels(writer, plan)
    _add_page_numbers(writer, plan, placed, anchors, sheet, edition.direction == "rtl")
    _record_pages(writer, placed, edition.date)  # each page's text block, for the preflight
    _add_metadata(writer, edition)
    if assembly.structure is not None:
        assembly.structure.finish(edition.language, edition.manifest.title)
    share_fonts(writer)
    try:
        with atomic_target(target) as temporary, temporary.open("wb") as stream:
            write_packed(writer, stream)
    except OSError as error:
        raise RenderError(f"{target.name}: cannot write the file: {error.strerror}") from error
    return len(writer.pages)


def _record_pages(writer: Any, placed: list[Placed], date: datetime.date) -> None:
    """Each page's text block and whether it is blank on purpose (the blank pages trainkit
    inserts for a duplex book are), for the preflight."""
    records: list[tuple[Rect | None, bool]] = [(None, True)] * len(writer.pages)
    for item in placed:
        result = item.result
        for page in range(result.pages):
            block = result.text_blocks[page] if page < len(result.text_blocks) else None
            records[item.first + page] = (block, page in result.blank_pages)
    for index in range(1, len(records)):  # an inserted blank page: its neighbour's block
        if records[index][0] is None:
            records[index] = (records[index - 1][0], records[index][1])
    record_document(writer, records, date)


def global_anchors(placed: list[Placed]) -> dict[str, Anchor]:
    anchors: dict[str, Anchor] = {}
    for item in placed:
        for name, (page, x, y) in item.result.anchors.items():
            anchors.setdefault(name, (item.first + page, x, y))
    return anchors


def _add_links(writer: Any, placed: list[Placed], anchors: dict[str, Anchor]) -> None:
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    for item in placed:
        result = item.result
        for page, (x1, y1, x2, y2), name in result.links:
            if name not in anchors:
                continue  # a section the edition left out: validation reports dangling links
            height = result.page_height
            target_page, left, top = anchors[name]
            rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
            fit = Fit.xyz(left=left * PX_TO_PT, top=height - top * PX_TO_PT, zoom=0)
            writer.add_annotation(item.first + page,
                                  Link(rect=rect, target_page_index=target_page, fit=fit))


def _add_outline(writer: Any, edition: AssembledEdition, anchors: dict[str, Anchor]) -> None:
    words = edition.labels

    def add(title: str, anchor: str, parent: Any = None) -> Any:
        if anchor not in anchors:
            return parent
        plain = title.replace("\u00a0", " ").replace("\u202f", " ")  # searchable bookmarks
        return writer.add_outline_item(title=plain, page_number=anchors[anchor][0], parent=parent)

    add(words["contents"], "toc-title")
    part_item: Any = None
    for module in edition.modules:
        if module.part and f"part-{module.number}" in anchors:
            part_item = add(module.part, f"part-{module.number}")
        parent = part_item if module.part else None
        title = module_title(edition.language, module.number, module.meta.title)
        module_item = add(title, module.anchor, parent)
        for block in module.blocks:
            if isinstance(block, d.Heading) and block.level == 2:
                label = f"{block.number} {d.plain_text(block.children)}".strip()
                add(label, f"{module.meta.id}--{block.anchor}", module_item)
    for anchor in ("legal-index", "abbreviations", "durations", "coverage", "glossary",
                   "national-law"):
        add(words[anchor], anchor)


def _add_page_labels(writer: Any, plan: PagePlan) -> None:
    ends = [r.first - 1 for r in plan.ranges[1:]] + [len(plan.labels) - 1]
    for labels, last in zip(plan.ranges, ends):
        if last < labels.first:
            continue
        if labels.style:
            writer.set_page_label(labels.first, last, style=labels.style,
                                  prefix=labels.prefix, start=labels.start)
        else:
            writer.set_page_label(labels.first, last, prefix=labels.prefix, start=labels.start)


def _add_page_numbers(writer: Any, plan: PagePlan, placed: list[Placed],
                      anchors: dict[str, Anchor], sheet: ChunkResult, rtl: bool) -> None:
    """The folios, and the pages that cross-references left room for (the number at the
    end of the room away from the word "page": its right end, its left end in Arabic)."""
    text_font, folio_font = load_fonts(sheet.pdf, writer)
    stamper = Stamper(writer, text_font, folio_font)
    for item in placed:
        result = item.result
        for page in range(result.pages):
            label = plan.labels[item.first + page]
            if label.printed:
                margins = result.margins[page] if page < len(result.margins) else None
                stamper.folio(item.first + page, label.text, margins)
        height = result.page_height
        for slot in result.slots:
            if slot.target not in anchors:
                continue
            text = plan.labels[anchors[slot.target][0]].text
            font = folio_font if slot.sans else text_font
            size = slot.size * PX_TO_PT
            x, align = (slot.left, "left") if rtl else (slot.right, "right")
            stamper.add(item.first + slot.page, text, x * PX_TO_PT,
                        height - slot.baseline * PX_TO_PT, size, slot.colour, font, align)
    stamper.write()


def _add_metadata(writer: Any, edition: AssembledEdition) -> None:
    from pypdf.generic import NameObject, TextStringObject

    from trainkit.writers.html.metadata import edition_keywords, edition_subject

    writer.add_metadata({
        "/Title": edition.manifest.title,
        "/Author": edition.manifest.publisher or edition.manifest.title,
        "/Subject": edition_subject(edition),
        "/Keywords": ", ".join(edition_keywords(edition)),
        "/Creator": f"trainkit {__version__}",
        "/Producer": f"WeasyPrint {weasyprint_version()} and pypdf",
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject(edition.language)


@lru_cache(maxsize=1)
def weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it (that takes 0.5 s)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - WeasyPrint is a dependency
        return "unknown"
