"""Relationship ids and part names, allocated in O(1).

python-docx finds a free ``rIdN`` by trying every number from 1 and looks for an existing
relationship by scanning them all; with a hyperlink per paragraph that is quadratic
(PERFORMANCE_NOTES.md). A :class:`PartLinks` scans its part's relationships once, then
counts on and remembers every target it has related.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI

from trainkit.writers.docx.oxml import clean_text

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part

_NUMBERED = re.compile(r"^rId(\d+)$")


class PartLinks:
    """Adds relationships from one part, each target once."""

    def __init__(self, part: Part) -> None:
        self.part = part
        numbers = [int(match.group(1)) for rid in part.rels
                   if (match := _NUMBERED.match(rid))]
        self._next = max(numbers, default=0) + 1
        self._external: dict[str, str] = {}
        self._internal: dict[int, str] = {}

    def _new_id(self) -> str:
        rid = f"rId{self._next}"
        self._next += 1
        return rid

    def hyperlink(self, url: str) -> str:
        """The id of an external hyperlink relationship to ``url``."""
        url = clean_text(url)
        rid = self._external.get(url)
        if rid is None:
            rid = self._external[url] = self._new_id()
            self.part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
        return rid

    def relate(self, target: Part, reltype: str) -> str:
        """The id of a relationship of ``reltype`` to the part ``target``."""
        rid = self._internal.get(id(target))
        if rid is None:
            rid = self._internal[id(target)] = self._new_id()
            self.part.rels.add_relationship(reltype, target, rid)
        return rid

    def add(self, target: Part, reltype: str) -> str:
        """A new relationship to ``target`` even if one exists (headers, footers)."""
        rid = self._new_id()
        self.part.rels.add_relationship(reltype, target, rid)
        return rid


class PartNames:
    """Free part names like ``/word/header7.xml``, from one walk over the package."""

    def __init__(self, package: OpcPackage) -> None:
        self._taken = {str(part.partname) for part in package.iter_parts()}
        self._counters: dict[str, int] = {}

    def take(self, name: str) -> PackURI:
        """``name`` if no part has it yet, else the next free name like it."""
        if name not in self._taken:
            self._taken.add(name)
            return PackURI(name)
        stem, dot, extension = name.rpartition(".")
        return self.next(f"{stem}%d{dot}{extension}")

    def next(self, template: str) -> PackURI:
        """The next free name for ``template`` (which holds one ``%d``)."""
        number = self._counters.get(template, 0)
        while True:
            number += 1
            name = template % number
            if name not in self._taken:
                self._counters[template] = number
                self._taken.add(name)
                return PackURI(name)
