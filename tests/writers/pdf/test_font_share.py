"""File size (issue 13, performance): each font face is embedded once in a merged edition.

The feature tour is rendered in six pieces, each with its own subsets of the same faces;
after the merge every face (``/FontName``) has one font program, which holds every glyph
the pieces use, and the pages still show their text.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from trainkit.commands.build import BuildOptions, build_edition
from trainkit.writers.pdf import font_share

REPOSITORY = Path(__file__).resolve().parents[3]
TOUR = REPOSITORY / "examples" / "feature-tour"


def _descriptors(reader: PdfReader) -> list[Any]:
    found: dict[int, Any] = {}
    for page in reader.pages:
        resources: Any = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object().values() if fonts is not None else ()):
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"]
                found[descriptor.indirect_reference.idnum] = descriptor
    return list(found.values())


@pytest.fixture(scope="module")
def tour_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    root = tmp_path_factory.mktemp("tour-fonts")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    result = build_edition(root, BuildOptions(region="coastal", edition="trainer",
                                              formats=("pdf",), out_dir=root / "out"))
    assert result.ok, result.failures
    return PdfReader(result.files[0].path)


@pytest.mark.slow
def test_each_face_is_embedded_once(tour_pdf: PdfReader) -> None:
    descriptors = _descriptors(tour_pdf)
    programs: dict[str, set[int]] = {}
    for descriptor in descriptors:
        programs.setdefault(str(descriptor["/FontName"]), set()).add(
            descriptor.raw_get("/FontFile2").idnum)
    shared = [name for name in programs
              if sum(str(d["/FontName"]) == name for d in descriptors) > 1]
    assert shared, "the pieces use the same faces"
    assert {name: len(ids) for name, ids in programs.items()} == dict.fromkeys(programs, 1)
    text = "\n".join(page.extract_text() for page in tour_pdf.pages)
    assert "Everything a module can hold" in text and "Glossary" in text
    assert len(tour_pdf.xref_objStm) > 100  # small objects packed in object streams


@pytest.mark.slow
def test_a_glyph_drawn_differently_keeps_its_own_program(tour_pdf: PdfReader) -> None:
    """Two programs under one name whose common glyph differs are not merged."""
    program = _descriptors(tour_pdf)[0]["/FontFile2"].get_data()
    subset = font_share._parse(program)
    assert subset is not None
    index = next(i for i, glyph in subset.glyphs.items() if len(glyph) > 12)
    other = bytearray(subset.glyphs[index])
    struct.pack_into(">h", other, 2, struct.unpack_from(">h", other, 2)[0] + 1)  # xMin
    glyphs = {**subset.glyphs, index: bytes(other)}
    changed = font_share._build(subset.tables, subset.count, glyphs, subset.metrics,
                                font_share._limits(subset))
    merged, members = font_share._merge([(1, program), (2, changed)])
    assert members == {1} or members == {2}
    merged, members = font_share._merge([(1, program), (2, program)])
    assert members == {1, 2} and merged is not None
    again = font_share._parse(merged)
    assert again is not None and font_share._same(again.glyphs[index], subset.glyphs[index])
