"""Writing the package with the body streamed: one module in memory at a time.

python-docx saves a document by serialising each part whole; for a manual of 1,000
modules the body's element tree took about 400 MiB and its serialisation another 100.
Here ``word/document.xml`` is written into the ZIP archive while the edition is written:
the body's elements are built in a detached ``w:body`` container, and each time a piece
is finished (the cover and contents, a module, the back matter) it is serialised, written
and dropped. The other parts (styles, numbering, footnotes, headers, pictures,
properties) are written afterwards from python-docx's package, as ``PackageWriter`` does.

The first piece (cover and contents) is kept as XML text (its element tree, with an entry
for each of thousands of headings, would stay in memory): :func:`rewrite` writes the
archive again with that piece replaced, to fill in the contents' page numbers, copying the
rest of the body as it is.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.spec import default_content_types
from docx.oxml.parser import oxml_parser
from lxml import etree

from trainkit.writers.docx.oxml import Element, parse, qn

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part

DOCUMENT = "word/document.xml"
SETTINGS = "word/settings.xml"
_BODY = b"<w:body/>"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


class BodyStream:
    """``word/document.xml`` written piece by piece into an open archive.

    ``container`` is where the writer appends body elements; :meth:`flush` writes what it
    holds and empties it. Everything is serialised in the namespaces of the document
    element, so no piece declares them again.
    """

    def __init__(self, archive: zipfile.ZipFile, document: Element,
                 prepare: Callable[[Element], None] | None = None) -> None:
        xml: bytes = serialize_part_xml(document)
        if xml.count(_BODY) != 1:
            raise ValueError("the reference document's body is not empty")
        head, tail = xml.split(_BODY)
        self.head = head + b"<w:body>"
        self._tail = b"</w:body>" + tail
        self._prepare = prepare
        self._stream: IO[bytes] = archive.open(DOCUMENT, "w", force_zip64=True)
        self._stream.write(self.head)
        self.container: Element = cast(Element, oxml_parser.makeelement(
            qn("w:body"), nsmap=document.nsmap))
        #: The first piece's XML, kept for :func:`rewrite`.
        self.kept = b""
        empty = cast(bytes, etree.tostring(self.container, encoding="UTF-8",
                                           xml_declaration=False))
        self._start = empty[:-2] + b">"  # <w:body xmlns:...>, to parse a piece again

    def serialize(self, elements: list[Element] | None = None) -> bytes:
        """The XML of the elements in ``container`` (or of ``elements``, put there), as
        they read inside the body; ``container`` is left empty."""
        if elements is not None:
            for element in elements:
                self.container.append(element)
        if len(self.container) == 0:
            return b""
        xml = cast(bytes, etree.tostring(self.container, encoding="UTF-8",
                                         xml_declaration=False))
        del self.container[:]
        return xml[xml.index(b">") + 1:-len(b"</w:body>")]

    def flush(self, *, keep: bool = False) -> None:
        """Write the elements of ``container`` and empty it (``keep``: add the XML to
        :attr:`kept`; the kept flushes must be the first ones)."""
        if self._prepare is not None:
            self._prepare(self.container)
        data = self.serialize()
        self._stream.write(data)
        if keep:
            self.kept += data

    def parse(self, piece: bytes) -> list[Element]:
        """The elements of a piece of body XML, as :meth:`serialize` gave it."""
        return list(parse(self._start + piece + b"</w:body>"))

    def close(self) -> None:
        self.flush()
        self._stream.write(self._tail)
        self._stream.close()

    def abandon(self) -> None:
        """Close the archive's entry after a failure (the archive is thrown away)."""
        if not self._stream.closed:
            self._stream.close()


def content_types(parts: list[Part]) -> bytes:
    """``[Content_Types].xml`` for ``parts``: defaults by extension where the OPC
    specification has one, an override for every other part."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        extension = part.partname.ext
        if (extension.lower(), part.content_type) in default_content_types:
            defaults[extension] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_TYPES}">']
    lines += [f'<Default Extension="{extension}" ContentType="{kind}"/>'
              for extension, kind in sorted(defaults.items())]
    lines += [f'<Override PartName="{name}" ContentType="{kind}"/>'
              for name, kind in sorted(overrides.items())]
    return ("".join(lines) + "</Types>").encode("utf-8")


def write_parts(archive: zipfile.ZipFile, document: Document) -> None:
    """Every part but the body's XML (already streamed), with relationships and types."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    archive.writestr("[Content_Types].xml", content_types(parts))
    archive.writestr("_rels/.rels", package.rels.xml)
    for part in parts:
        if part is not document.part:
            archive.writestr(part.partname.membername, part.blob)
        if len(part.rels):
            archive.writestr(part.partname.rels_uri.membername, part.rels.xml)


#: zlib's level for the archive: 3 takes about 45% of the default 6's time on a large
#: body (0.37 s against 0.84 s for 1,000 modules' 51 MB of XML) for an 11% larger file.
COMPRESSION = 3


def rewrite(source: Path, target: Path, offset: int, old_length: int, piece: bytes,
            replaced: dict[str, bytes]) -> None:
    """Copy the archive ``source`` to ``target``, with ``old_length`` bytes of the body
    XML at ``offset`` replaced by ``piece`` and the parts in ``replaced`` (by member
    name) replaced whole."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as new:
        for info in old.infolist():
            name = info.filename
            if name in replaced:
                new.writestr(name, replaced[name])
            elif name == DOCUMENT:
                with old.open(info) as reading, new.open(name, "w", force_zip64=True) as writing:
                    writing.write(_read_exactly(reading, offset))
                    _read_exactly(reading, old_length)
                    writing.write(piece)
                    shutil.copyfileobj(reading, writing, 1 << 20)
            else:
                new.writestr(name, old.read(info), compress_type=info.compress_type)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("the body XML is shorter than expected")
    return data
