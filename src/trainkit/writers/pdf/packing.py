"""Writing the merged PDF compactly: small objects packed in compressed object streams.

pypdf writes every object on its own, uncompressed, with a classic cross-reference table.
A tagged edition holds tens of thousands of small dictionaries (its structure elements),
which WeasyPrint packs in compressed object streams (PDF 1.5): written one by one they
would make the merged file about three times the size of WeasyPrint's. ``write_packed``
writes what pypdf's ``PdfWriter.write`` would, with every object that is not a stream
packed in object streams of ``BATCH`` objects and a compressed cross-reference stream.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any, BinaryIO

BATCH = 200


def write_packed(writer: Any, output: BinaryIO) -> None:
    """Write ``writer`` (a pypdf ``PdfWriter``, not encrypted) to ``output``."""
    from pypdf.generic import StreamObject

    writer._resolve_links()  # what PdfWriter.write_stream does before writing objects
    header = max(writer.pdf_header, "%PDF-1.5")
    output.write(header.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
    objects = writer._objects
    entries: dict[int, tuple[int, int, int]] = {}
    small: list[tuple[int, Any]] = []
    for idnum, obj in enumerate(objects, start=1):
        if obj is None:
            continue
        if isinstance(obj, StreamObject):
            entries[idnum] = (1, output.tell(), 0)
            _write_object(output, idnum, obj)
        else:
            small.append((idnum, obj))
    next_id = len(objects) + 1
    for start in range(0, len(small), BATCH):
        batch = small[start:start + BATCH]
        for index, (idnum, _) in enumerate(batch):
            entries[idnum] = (2, next_id, index)
        entries[next_id] = (1, output.tell(), 0)
        output.write(_object_stream(next_id, batch))
        next_id += 1
    _write_xref(writer, output, entries, next_id)


def _write_object(output: BinaryIO, idnum: int, obj: Any) -> None:
    output.write(f"{idnum} 0 obj\n".encode())
    obj.write_to_stream(output)
    output.write(b"\nendobj\n")


def _object_stream(idnum: int, batch: list[tuple[int, Any]]) -> bytes:
    """An ``/ObjStm`` holding ``batch``, as an indirect object numbered ``idnum``."""
    body, offsets = io.BytesIO(), []
    for number, obj in batch:
        offsets.append(f"{number} {body.tell()}")
        obj.write_to_stream(body)
        body.write(b"\n")
    index = (" ".join(offsets) + "\n").encode()
    data = zlib.compress(index + body.getvalue())
    return (f"{idnum} 0 obj\n<< /Type /ObjStm /N {len(batch)} /First {len(index)} "
            f"/Filter /FlateDecode /Length {len(data)} >>\nstream\n").encode() + data + \
        b"\nendstream\nendobj\n"


def _write_xref(writer: Any, output: BinaryIO, entries: dict[int, tuple[int, int, int]],
                size: int) -> None:
    """The cross-reference stream (object ``size``), which is also the trailer."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    position = output.tell()
    entries[size] = (1, position, 0)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    rows.extend(struct.pack(">BIH", *entries.get(idnum, (0, 0, 0)))
                for idnum in range(1, size + 1))
    data = zlib.compress(b"".join(rows))
    trailer = DictionaryObject({
        NameObject("/Type"): NameObject("/XRef"),
        NameObject("/Size"): NumberObject(size + 1),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(2)]),
        NameObject("/Filter"): NameObject("/FlateDecode"),
        NameObject("/Length"): NumberObject(len(data)),
        NameObject("/Root"): writer.root_object.indirect_reference,
    })
    if writer._info is not None:
        trailer[NameObject("/Info")] = writer._info.indirect_reference
    if writer._ID is not None:
        trailer[NameObject("/ID")] = writer._ID
    output.write(f"{size} 0 obj\n".encode())
    trailer.write_to_stream(output)
    output.write(b"\nstream\n" + data + b"\nendstream\nendobj\n")
    output.write(f"startxref\n{position}\n%%EOF\n".encode())
