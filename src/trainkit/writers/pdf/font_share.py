"""One embedded program per font face in an edition merged from separately rendered pieces.

Each piece embeds a subset of each face it uses (``FontFile2``), so a manual of twenty
pieces carried twenty copies of its body font: about twice the size of the same edition
rendered at once. WeasyPrint subsets TrueType faces keeping the glyph ids (HarfBuzz's or
fontTools' ``retain_gids``, ``CIDToGIDMap /Identity``) and names a subset after the face
("BAWKYD+DejaVu-Serif"), so the subsets of one face differ only in which glyph outlines
they hold: ``share_fonts`` merges them into one program holding the union, glyph id by
glyph id (``glyf``/``loca``/``hmtx``; the largest ``maxp`` limits), which every piece's
font descriptor then points to. A subset whose outline of some glyph differs from
another's (not the same face after all) keeps its own program.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: maxp (version 1.0): the limits after version and numGlyphs, all uint16.
_MAXP_LIMITS = 13


@dataclass(slots=True)
class _Subset:
    """A parsed ``FontFile2`` subset: its tables, its glyph count, the outlines it holds by
    glyph id, and every glyph's metrics (``hmtx`` entries of 4 bytes)."""

    tables: dict[str, bytes]
    count: int
    glyphs: dict[int, bytes]
    metrics: bytes


def share_fonts(writer: Any) -> int:
    """Merge the subsets of each face in ``writer``; the number of programs removed."""
    faces = _faces(writer)
    replaced: set[int] = set()
    for descriptors in faces.values():
        streams = {d.raw_get("/FontFile2").idnum: d["/FontFile2"] for d in descriptors}
        if len(streams) < 2:
            continue
        merged, members = _merge([(idnum, stream.get_data()) for idnum, stream
                                  in streams.items()])
        if merged is None or len(members) < 2:
            continue
        reference = _add_font_stream(writer, merged)
        for descriptor in descriptors:
            if descriptor.raw_get("/FontFile2").idnum in members:
                descriptor[_name("/FontFile2")] = reference
        replaced |= members
    still = {d.raw_get("/FontFile2").idnum for group in faces.values() for d in group}
    for idnum in replaced - still:
        writer._objects[idnum - 1] = None  # referenced by no descriptor any more
    return len(replaced - still)


def _faces(writer: Any) -> dict[str, list[Any]]:
    """The font descriptors with a ``FontFile2``, by font name (subset tag included)."""
    from pypdf.generic import DictionaryObject

    faces: dict[str, list[Any]] = {}
    for obj in writer._objects:
        if (isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor"
                and "/FontFile2" in obj):
            faces.setdefault(str(obj.get("/FontName")), []).append(obj)
    return faces


def _merge(programs: list[tuple[int, bytes]]) -> tuple[bytes | None, set[int]]:
    """The union of ``programs`` (object number, font file) and the numbers it replaces."""
    subsets = []
    for idnum, data in programs:
        subset = _parse(data)
        if subset is not None:
            subsets.append((idnum, subset))
    if len(subsets) < 2:
        return None, set()
    subsets.sort(key=lambda item: -item[1].count)
    base = subsets[0][1]
    glyphs, metrics = dict(base.glyphs), bytearray(base.metrics)
    members = {subsets[0][0]}
    limits = _limits(base)
    for idnum, subset in subsets[1:]:
        if any(index in glyphs and not _same(glyph, glyphs[index])
               for index, glyph in subset.glyphs.items()):
            continue  # another face under the same name: it keeps its own program
        for index, glyph in subset.glyphs.items():
            if index not in glyphs:
                glyphs[index] = glyph
                metrics[4 * index:4 * index + 4] = subset.metrics[4 * index:4 * index + 4]
        limits = [max(a, b) for a, b in zip(limits, _limits(subset))]
        members.add(idnum)
    return _build(base.tables, base.count, glyphs, bytes(metrics), limits), members


def _same(one: bytes, other: bytes) -> bool:
    """The same outline, whatever the padding (to 2 or 4 bytes) after it."""
    return one == other or (abs(len(one) - len(other)) < 4
                            and one.rstrip(b"\0") == other.rstrip(b"\0"))


def _parse(data: bytes) -> _Subset | None:
    """The tables of a TrueType program, or None if it is not one this module handles."""
    try:
        tables = dict(_tables(data))
        head, maxp, hhea = tables["head"], tables["maxp"], tables["hhea"]
        count = struct.unpack_from(">H", maxp, 4)[0]
        long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
        loca, glyf = tables["loca"], tables["glyf"]
        if long_offsets:
            offsets = struct.unpack_from(f">{count + 1}I", loca)
        else:
            offsets = tuple(2 * o for o in struct.unpack_from(f">{count + 1}H", loca))
        glyphs = {index: glyf[start:end]
                  for index, (start, end) in enumerate(zip(offsets, offsets[1:])) if end > start}
        metrics = _metrics(tables["hmtx"], struct.unpack_from(">H", hhea, 34)[0], count)
    except (KeyError, struct.error):
        return None
    if len(metrics) != 4 * count:
        return None
    return _Subset(tables, count, glyphs, metrics)


def _tables(data: bytes) -> Iterator[tuple[str, bytes]]:
    (count,) = struct.unpack_from(">H", data, 4)
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        yield tag.decode("latin-1"), data[offset:offset + length]


def _metrics(hmtx: bytes, long_count: int, count: int) -> bytes:
    """Each glyph's advance width and left side bearing, 4 bytes a glyph."""
    long = hmtx[:4 * min(long_count, count)]
    if count <= long_count:
        return long
    advance = long[-4:-2] if long else b"\0\0"
    rest = hmtx[4 * long_count:4 * long_count + 2 * (count - long_count)]
    return long + b"".join(advance + rest[i:i + 2] for i in range(0, len(rest), 2))


def _limits(subset: _Subset) -> list[int]:
    maxp = subset.tables["maxp"]
    if len(maxp) < 6 + 2 * _MAXP_LIMITS:
        return []
    return list(struct.unpack_from(f">{_MAXP_LIMITS}H", maxp, 6))


def _build(tables: dict[str, bytes], count: int, glyphs: dict[int, bytes], metrics: bytes,
           limits: list[int]) -> bytes:
    """A TrueType program: ``tables`` with the merged glyphs, metrics and limits."""
    glyf, offsets = bytearray(), [0]
    for index in range(count):
        glyph = glyphs.get(index, b"")
        glyf += glyph + b"\0" * (-len(glyph) % 4)
        offsets.append(len(glyf))
    new = dict(tables)
    new["glyf"] = bytes(glyf)
    new["loca"] = struct.pack(f">{len(offsets)}I", *offsets)
    new["hmtx"] = metrics
    head = bytearray(tables["head"])
    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    new["head"] = bytes(head)
    hhea = bytearray(tables["hhea"])
    advances = struct.unpack(f">{2 * count}H", metrics)[0::2]
    struct.pack_into(">H", hhea, 10, max(advances, default=0))
    struct.pack_into(">H", hhea, 34, count)
    new["hhea"] = bytes(hhea)
    maxp = bytearray(tables["maxp"])
    struct.pack_into(">H", maxp, 4, count)
    if limits:
        struct.pack_into(f">{_MAXP_LIMITS}H", maxp, 6, *limits)
    new["maxp"] = bytes(maxp)
    return _sfnt(new)


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of ``tables``, with its checksums (OpenType's "Font file")."""
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    directory = bytearray(struct.pack(">IHHHH", 0x00010000, count, 16 * power,
                                      power.bit_length() - 1, 16 * (count - power)))
    offset = 12 + 16 * count
    body = bytearray()
    head_at = 0
    for tag in sorted(tables):
        data = tables[tag]
        if tag == "head":
            data = data[:8] + b"\0\0\0\0" + data[12:]  # checkSumAdjustment, set below
            head_at = offset + len(body)
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data),
                                 offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(directory + body)
    if head_at:
        struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return int(sum(struct.unpack(f">{len(padded) // 4}I", padded))) & 0xFFFFFFFF


def _add_font_stream(writer: Any, program: bytes) -> Any:
    from pypdf.generic import NumberObject, StreamObject

    stream = StreamObject()
    stream.set_data(program)
    encoded = stream.flate_encode()
    encoded[_name("/Length1")] = NumberObject(len(program))
    return writer._add_object(encoded)


def _name(text: str) -> Any:
    from pypdf.generic import NameObject

    return NameObject(text)
