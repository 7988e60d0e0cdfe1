"""One structure tree for a tagged edition merged from tagged pieces (PDF/UA-1).

WeasyPrint tags each piece it renders (``pdf_tags``): a ``/StructTreeRoot`` whose one
``/Document`` element holds the piece's headings (``H1``...), paragraphs, lists (``L``,
``LI``), tables (``Table``, ``TR``, ``TH``, ``TD``) and figures (``Figure`` with the
image's alt text as ``/Alt``), and a ``/ParentTree`` from each page's ``/StructParents``
number (and each link annotation's ``/StructParent``) to the elements its marked content
belongs to. pypdf copies pages, not trees, and drops ``/StructParents``.

``StructureTree`` copies each piece's tree as the piece is merged: its ``/Document``
becomes a ``/Part`` (with the piece's own ``/Lang`` when it is not the edition's: a
module left in its source language) under the edition's one ``/Document``, and its
numbers are renumbered into one ``/ParentTree``. ``finish`` writes the root and what
PDF/UA asks of the catalogue: ``/MarkInfo``, ``/Lang``, ``DisplayDocTitle`` and the XMP
metadata that names the standard. What trainkit writes after layout (``stamps.py``: the
folios, cross-references' page numbers) is marked as an artifact there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape


@dataclass(slots=True)
class StructureTree:
    """The structure trees of the merged pieces, by the piece's place in the document."""

    writer: Any
    _parts: dict[int, list[Any]] = field(default_factory=dict)
    _nums: list[tuple[int, Any]] = field(default_factory=list)
    _next: int = 0

    def add(self, place: int, reader: Any, first: int, language: str | None) -> None:
        """Copy the tree of the piece ``reader`` whose pages were merged from ``first`` on
        (right after the merge: the pages are then still there). ``place`` orders the
        pieces; ``language``, if given, is set on the piece's element."""
        from pypdf.generic import NameObject, NumberObject, TextStringObject

        root = reader.root_object.get("/StructTreeRoot")
        if root is None:
            return  # an untagged piece
        root = root.get_object()
        pairs = _number_tree(root["/ParentTree"].get_object())
        keys = {old: self._next + offset for offset, (old, _) in enumerate(pairs)}
        self._next += len(pairs)
        for index, page in enumerate(reader.pages):
            merged = self.writer.pages[first + index]
            if "/StructParents" in page and int(page["/StructParents"]) in keys:
                merged[NameObject("/StructParents")] = NumberObject(
                    keys[int(page["/StructParents"])])
            for annotation in merged.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation and int(annotation["/StructParent"]) in keys:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        keys[int(annotation["/StructParent"])])
        parts = []
        for kid in _kids(root):
            element = kid.get_object()
            if "/P" in element:
                del element["/P"]  # or cloning it would copy the piece's root too
            element[NameObject("/S")] = NameObject("/Part")
            copy = element.clone(self.writer)
            if language:
                copy[NameObject("/Lang")] = TextStringObject(language)
            parts.append(copy.indirect_reference)
        self._parts[place] = parts
        self._nums.extend((keys[old], value.clone(self.writer)) for old, value in pairs)

    def finish(self, language: str, title: str) -> None:
        """Write the one tree and the catalogue entries of a tagged PDF."""
        from pypdf.generic import (
            ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject,
            TextStringObject,
        )

        writer = self.writer
        root = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot")}))
        parts = [part for place in sorted(self._parts) for part in self._parts[place]]
        document = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root,
            NameObject("/Lang"): TextStringObject(language),
            NameObject("/K"): ArrayObject(parts)}))
        for part in parts:
            part.get_object()[NameObject("/P")] = document
        nums = ArrayObject()
        for key, value in sorted(self._nums, key=lambda pair: pair[0]):
            nums.extend((NumberObject(key), value))
        tree = root.get_object()
        tree[NameObject("/K")] = document
        tree[NameObject("/ParentTree")] = writer._add_object(
            DictionaryObject({NameObject("/Nums"): nums}))
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(self._next)
        catalogue = writer.root_object
        catalogue[NameObject("/StructTreeRoot")] = root
        catalogue[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)})
        catalogue[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        _add_xmp(writer, language, title)


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """The (key, value) pairs of a number tree, its ``/Kids`` included, in key order."""
    pairs: list[tuple[int, Any]] = []
    nums = node.get("/Nums", [])
    pairs.extend((int(key), value) for key, value in zip(nums[0::2], nums[1::2]))
    for kid in node.get("/Kids", []):
        pairs.extend(_number_tree(kid.get_object()))
    return sorted(pairs, key=lambda pair: pair[0])


def _kids(root: Any) -> list[Any]:
    kids = root.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, list) else [kids]


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _add_xmp(writer: Any, language: str, title: str) -> None:
    """The XMP metadata PDF/UA-1 asks for: the title, and the part of the standard."""
    from pypdf.generic import NameObject, StreamObject

    stream = StreamObject()
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    stream.set_data(_XMP.format(title=escape(title), language=escape(language)).encode())
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
