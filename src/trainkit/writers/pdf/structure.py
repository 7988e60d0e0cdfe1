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

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape


@dataclass(slots=True)
class StructureTree:
    """The structure trees of the merged pieces, by the piece's place in the document."""

    writer: Any
    _parts: dict[int, list[int]] = field(default_factory=dict)
    #: Each number of the one /ParentTree and its value, as PDF syntax.
    _nums: list[tuple[int, bytes]] = field(default_factory=list)
    _next: int = 0
    #: The one /Document element, written by ``finish``.
    _document: Any = None

    def add(self, place: int, reader: Any, pdf: bytes, first: int,
            language: str | None) -> None:
        """Copy the tree of the piece ``reader`` (its file: ``pdf``), whose pages were
        merged from ``first`` on
        (right after the merge: the pages are then still there). ``place`` orders the
        pieces; ``language``, if given, is set on the piece's element."""
        reference = reader.trailer["/Root"].get_object().raw_get("/StructTreeRoot")
        if reference is None:
            return  # an untagged piece
        if self._document is None:
            from pypdf.generic import DictionaryObject

            self._document = self.writer._add_object(DictionaryObject())
        root = reference.get_object()
        raw = raw_objects(reader, pdf)
        tree = root.raw_get("/ParentTree")
        if tree is None or tree.idnum not in raw:
            return  # not as WeasyPrint writes it: left untagged rather than wrong
        pairs = parent_tree(raw[tree.idnum])
        keys = {old: self._next + offset for offset, (old, _, _) in enumerate(pairs)}
        self._next += len(pairs)
        self._renumber_pages(reader, first, keys)
        kids = _kids(root)
        mapping = self._copy(reader, raw, [*kids, *(n for _, refs, _ in pairs for n in refs)],
                             reference.idnum, set(kids), language)
        self._parts[place] = [mapping[kid] for kid in kids if kid in mapping]
        for old, refs, array in pairs:
            value = b" ".join(b"%d 0 R" % mapping[n] for n in refs if n in mapping)
            self._nums.append((keys[old], b"[" + value + b"]" if array else value))

    def _renumber_pages(self, reader: Any, first: int, keys: dict[int, int]) -> None:
        """The pages' /StructParents and their annotations' /StructParent, renumbered."""
        from pypdf.generic import NameObject, NumberObject

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

    def _copy(self, reader: Any, raw: dict[int, bytes], starts: list[int], root: int,
              kids: set[int], language: str | None) -> dict[int, int]:
        """Copy the objects reachable from ``starts`` into the writer as bytes, with their
        references renumbered: the piece's pages and annotations (pypdf copied them) to
        their copies, its root to the one /Document; a kid of the root becomes a /Part.
        The object number of each copy, by the piece's object number."""
        writer, raw_type = self.writer, _raw_type()
        translated = writer._id_translated.get(id(reader), {})
        mapping = {root: self._document.idnum}
        copies: list[tuple[Any, bytes]] = []
        queue = list(starts)
        while queue:
            number = queue.pop()
            if number in mapping:
                continue
            if number in translated:
                mapping[number] = translated[number]
            elif number in raw:
                copy = raw_type(b"")
                mapping[number] = writer._add_object(copy).idnum
                copies.append((copy, raw[number]))
                queue.extend(int(m.group(1)) for m in _REFERENCE.finditer(raw[number]))
            else:  # outside the object streams (a stream): copied by pypdf
                obj = reader.get_object(number)
                if obj is not None:
                    mapping[number] = obj.clone(writer).indirect_reference.idnum
        parts = {mapping[kid] for kid in kids}

        def renumber(match: re.Match[bytes]) -> bytes:
            number = mapping.get(int(match.group(1)))
            return b"%d 0 R" % number if number is not None else match.group(0)

        for copy, data in copies:
            copy.data = _REFERENCE.sub(renumber, data)
            if copy.indirect_reference.idnum in parts:
                copy.data = _as_part(copy.data, language)
        return mapping

    def finish(self, language: str, title: str) -> None:
        """Write the one tree and the catalogue entries of a tagged PDF."""
        from pypdf.generic import (
            ArrayObject, BooleanObject, DictionaryObject, IndirectObject, NameObject,
            NumberObject, TextStringObject,
        )

        writer = self.writer
        if self._document is None:
            return  # no tagged piece
        root = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot")}))
        parts = [IndirectObject(part, 0, writer)
                 for place in sorted(self._parts) for part in self._parts[place]]
        document = self._document.get_object()
        document.update({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root,
            NameObject("/Lang"): TextStringObject(language),
            NameObject("/K"): ArrayObject(parts)})
        nums = b" ".join(b"%d %s" % (key, value) for key, value in sorted(self._nums))
        tree = root.get_object()
        tree[NameObject("/K")] = self._document
        tree[NameObject("/ParentTree")] = writer._add_object(
            _raw_type()(b"<< /Nums [" + nums + b"] >>"))
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(self._next)
        catalogue = writer.root_object
        catalogue[NameObject("/StructTreeRoot")] = root
        catalogue[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)})
        catalogue[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        _add_xmp(writer, language, title)


#: A reference as WeasyPrint (pydyf) writes them. A string holding such text (an alt
#: text saying "12 0 R") would be renumbered too: harmless, and not worth a PDF lexer.
_REFERENCE = re.compile(rb"(\d+) (\d+) R")
_TOKEN = re.compile(rb"\[|\]|(\d+) \d+ R|(-?\d+)")


def keep_structure_apart(document: Any, pdf: Any) -> None:
    """A WeasyPrint ``finisher`` (in the workers): write the structure tree's objects on
    their own rather than in the piece's object stream. pypdf parses a whole object
    stream as soon as it needs one of its objects (a page); so it never parses the tree,
    which ``StructureTree`` copies as bytes."""
    import pydyf  # type: ignore[import-untyped]

    class Apart(pydyf.Dictionary):  # type: ignore[misc]
        @property
        def compressible(self) -> bool:
            return False

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and type(obj) is pydyf.Dictionary and (
                obj.get("Type") in _STRUCTURE_TYPES or "Nums" in obj):
            obj.__class__ = Apart


_STRUCTURE_TYPES = frozenset({"/StructElem", "/StructTreeRoot", "/OBJR"})


def raw_objects(reader: Any, pdf: bytes) -> dict[int, bytes]:
    """The piece's objects that are not streams, as bytes, by object number, read without
    parsing them (most of the time pypdf would take over a tagged piece)."""
    objects: dict[int, bytes] = {}
    for number, offset in reader.xref.get(0, {}).items():
        start = pdf.find(b"obj", offset) + 3
        end = pdf.find(b"endobj", start)
        body = pdf[start:end].strip()
        if start > 2 and end > 0 and not body.endswith(b"endstream"):
            objects[number] = body
    for number in {stream for stream, _ in reader.xref_objStm.values()}:
        stream = reader.get_object(number)
        data, first = stream.get_data(), int(stream["/First"])
        header = [int(value) for value in data[:first].split()]
        numbers, offsets = header[0::2], [*header[1::2], len(data) - first]
        for index, object_number in enumerate(numbers):
            objects[object_number] = data[first + offsets[index]:first + offsets[index + 1]]
    return objects


def parent_tree(data: bytes) -> list[tuple[int, list[int], bool]]:
    """The /Nums of a /ParentTree written by WeasyPrint: (key, object numbers, whether
    they are an array: a page's) triples, by key."""
    start = data.find(b"/Nums")
    pairs: list[tuple[int, list[int], bool]] = []
    depth, key = 0, None
    for match in _TOKEN.finditer(data, start if start >= 0 else len(data)):
        token = match.group(0)
        if token == b"[":
            depth += 1
            if depth == 2 and key is not None:
                pairs.append((key, [], True))
        elif token == b"]":
            depth -= 1
            key = None if depth == 1 else key
            if depth == 0:
                break
        elif match.group(1) is not None and key is not None:
            if depth == 1:
                pairs.append((key, [int(match.group(1))], False))
                key = None
            else:
                pairs[-1][1].append(int(match.group(1)))
        elif match.group(2) is not None and depth == 1:
            key = int(match.group(2))
    return sorted(pairs, key=lambda pair: pair[0])


def _as_part(data: bytes, language: str | None) -> bytes:
    """A piece's /Document element as a /Part, with its own /Lang if given."""
    data = data.replace(b"/S /Document", b"/S /Part", 1)
    if language:
        data = data.rstrip()[:-2] + b" /Lang (" + language.encode("ascii", "ignore") + b")>>"
    return data


def _kids(root: Any) -> list[int]:
    kids = root.raw_get("/K")
    if kids is None:
        return []
    if hasattr(kids, "idnum"):
        resolved = kids.get_object()
        if not isinstance(resolved, list):
            return [kids.idnum]
        kids = resolved
    return [kid.idnum for kid in kids if hasattr(kid, "idnum")]


@lru_cache(maxsize=1)
def _raw_type() -> Any:
    """The class of objects copied as bytes (pypdf imported only when needed)."""
    from pypdf.generic import PdfObject

    class RawObject(PdfObject):
        """An object written as it was read, its references already renumbered."""

        def __init__(self, data: bytes) -> None:
            self.data = data

        def write_to_stream(self, stream: Any, encryption_key: object = None) -> None:
            stream.write(self.data)

        def hash_bin(self) -> int:
            return hash(self.data)

    return RawObject


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
