"""Real Word footnotes: the ``/word/footnotes.xml`` part, which python-docx has no API for.

The part holds the two separator footnotes Word expects (ids -1 and 0) and then one
``w:footnote`` per note; the body calls a note with a ``w:footnoteReference`` run. The
part is created on the first footnote, related from the document part, and listed in
``[Content_Types].xml`` by python-docx's package writer from its content type. The
settings' ``w:footnotePr`` names the separators, as Word writes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart

from trainkit.writers.docx.oxml import Element, make, qn, sub, w
from trainkit.writers.docx.relations import PartLinks, PartNames

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart

SEPARATOR_IDS = (-1, 0)


def new_footnotes_element() -> Element:
    """A ``w:footnotes`` element holding the separator and continuation separator."""
    root = make("w:footnotes")
    for note_id, kind in zip(SEPARATOR_IDS, ("separator", "continuationSeparator"),
                             strict=True):
        note = sub(root, "w:footnote", {"w:type": kind, "w:id": note_id})
        p = sub(note, "w:p")
        properties = sub(p, "w:pPr")
        sub(properties, "w:spacing", {"w:after": 0, "w:line": 240, "w:lineRule": "auto"})
        sub(sub(p, "w:r"), f"w:{kind}")
    return root


class Footnotes:
    """The footnotes part of one document, created when the first note is added."""

    def __init__(self, document_part: DocumentPart, links: PartLinks, names: PartNames) -> None:
        self._document_part = document_part
        self._document_links = links
        self._names = names
        self._part: XmlPart | None = None
        self._links: PartLinks | None = None
        self._next_id = 1
        self.created = False

    @property
    def part(self) -> XmlPart:
        if self._part is None:
            self._part = self._find_or_create()
        return self._part

    @property
    def links(self) -> PartLinks:
        """Relationships from the footnotes part (links and images inside notes)."""
        if self._links is None:
            self._links = PartLinks(self.part)
        return self._links

    def _find_or_create(self) -> XmlPart:
        for rel in self._document_part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                part = rel.target_part
                if isinstance(part, XmlPart):
                    ids = [n.get(qn("w:id")) or "0" for n in part.element]
                    numbers = [int(i) for i in ids if i.lstrip("-").isdigit()]
                    self._next_id = max([*numbers, 0]) + 1
                    return part
        element = new_footnotes_element()
        part = XmlPart(self._names.take("/word/footnotes.xml"), CT.WML_FOOTNOTES, element,
                       self._document_part.package)
        self._document_links.relate(part, RT.FOOTNOTES)
        self.created = True
        return part

    def add(self) -> tuple[int, Element]:
        """A new, empty footnote: its id and its ``w:footnote`` element to fill."""
        note_id = self._next_id
        self._next_id += 1
        note = sub(self.part.element, "w:footnote", {"w:id": note_id})
        return note_id, note


def reference_run(parent: Element, note_id: int, style_id: str) -> Element:
    """The ``w:footnoteReference`` run that calls note ``note_id``."""
    r = sub(parent, "w:r")
    w(sub(r, "w:rPr"), "rStyle", style_id)
    sub(r, "w:footnoteReference", {"w:id": note_id})
    return r


def mark_run(p: Element, style_id: str) -> None:
    """The note's own number (``w:footnoteRef``) at the start of its first paragraph."""
    mark = make("w:r")
    w(sub(mark, "w:rPr"), "rStyle", style_id)
    sub(mark, "w:footnoteRef")
    space = make("w:r")
    text = sub(space, "w:t", {"xml:space": "preserve"})
    text.text = " "
    properties = p.find(qn("w:pPr"))
    index = 1 if properties is not None else 0
    p.insert(index, mark)
    p.insert(index + 1, space)
