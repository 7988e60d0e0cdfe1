"""Review anchors: every paragraph of a review copy tied to its source file and line.

``AnchoringWriter`` is the edition writer with one addition: after each block (and each
module's opening) is written, every new paragraph without an anchor gets a hidden
bookmark ``_tk_<file>_<line>_<serial>`` around its content. ``<file>`` is an index into
the table of module files the export stores in the document's custom properties
(``tk.file.<n>``), ``<line>`` the 1-based line of the source file, ``<serial>`` keeps
names unique. Bookmarks whose names start with an underscore are hidden in Word's
bookmark list; Word and LibreOffice keep them through editing and saving, and a deleted
paragraph takes its bookmark with it.

Where each paragraph comes from:

- a paragraph, heading, code block, figure or training block title: the node's line;
- a list item: the line of its first paragraph (nested blocks carry their own);
- a table cell: the line of its row (the header on the table's line, body row ``i`` on
  ``line + 1 + i``, after the delimiter row);
- the module's title, summary, facts, objectives and review table, written from the
  front-matter: line 1 (``FRONT_MATTER``), the import narrows it by the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.writers.docx.context import Kit, Place
from trainkit.writers.docx.edition import EditionWriter
from trainkit.writers.docx.oxml import Element, bookmark, qn

PREFIX = "_tk_"
NAME = re.compile(r"^_tk_(\d+)_(\d+)_(\d+)$")
#: The line anchors of a module's front-matter point to.
FRONT_MATTER = 1


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a paragraph of the review copy comes from."""

    file: int
    line: int


def parse_anchor(name: str) -> Anchor | None:
    """The anchor a bookmark ``name`` encodes, or None for any other bookmark."""
    match = NAME.match(name)
    return Anchor(int(match.group(1)), int(match.group(2))) if match else None


@dataclass(slots=True)
class AnchorTable:
    """The files anchored (index -> project-relative path) and the anchors written."""

    files: list[str] = field(default_factory=list)
    count: int = 0

    def file_index(self, path: str) -> int:
        if path not in self.files:
            self.files.append(path)
        return self.files.index(path) + 1


def _has_anchor(p: Element) -> bool:
    return any(b.get(qn("w:name"), "").startswith(PREFIX)
               for b in p.iter(qn("w:bookmarkStart")))


class AnchoringWriter(EditionWriter):
    """The edition writer, with a source anchor in every paragraph it writes."""

    def __init__(self, edition: AssembledEdition, kit: Kit,
                 sources: dict[str, str] | None = None) -> None:
        super().__init__(edition, kit)
        #: Module id -> the file its body was read from (a translation's own file).
        self.sources = sources or {}
        self.anchor_table = AnchorTable()
        self._file = 0

    def _tag(self, p: Element, line: int) -> None:
        if line <= 0 or self._file == 0 or _has_anchor(p):
            return
        self.anchor_table.count += 1
        name = f"{PREFIX}{self._file}_{line}_{self.anchor_table.count}"
        bookmark(p, name, self.plan.names.next_id())

    def _new(self, container: Element, before: int) -> list[Element]:
        return list(container)[before:]

    def module(self, module: EditionModule, place: Place, after_part_page: bool) -> None:
        path = self.sources.get(module.meta.id, module.path)
        self._file = self.anchor_table.file_index(path)
        container = place.story.container
        before = len(container)
        super().module(module, place, after_part_page)
        for element in self._new(container, before):
            for p in element.iter(qn("w:p")):
                self._tag(p, FRONT_MATTER)
        self._file = 0

    def block(self, node: d.Block, place: Place) -> None:
        container = place.story.container
        before = len(container)
        super().block(node, place)
        if self._file == 0:
            return
        new = self._new(container, before)
        line = getattr(node, "line", 0)
        if isinstance(node, d.Table):
            self._tag_table(node, new)
        elif isinstance(node, (d.BulletList, d.OrderedList)):
            self._tag_items(node, new)
        for element in new:
            for p in element.iter(qn("w:p")):
                self._tag(p, line)

    def _tag_table(self, node: d.Table, new: list[Element]) -> None:
        if node.line <= 0:
            return
        for table in (e for e in new if e.tag == qn("w:tbl")):
            for index, row in enumerate(table.iter(qn("w:tr"))):
                for p in row.iter(qn("w:p")):
                    self._tag(p, node.line + (index + 1 if index else 0))

    def _tag_items(self, node: d.BulletList | d.OrderedList, new: list[Element]) -> None:
        """The paragraph each item opens (the ones nested blocks did not anchor)."""
        lines = [_item_line(item, node.line) for item in node.items]
        untagged = [p for element in new for p in element.iter(qn("w:p"))
                    if not _has_anchor(p)]
        if len(untagged) == len(lines):
            for p, line in zip(untagged, lines, strict=True):
                self._tag(p, line)


def _item_line(item: d.ListItem, fallback: int) -> int:
    for block in item.blocks:
        line = getattr(block, "line", 0)
        if line:
            return int(line)
    return fallback
