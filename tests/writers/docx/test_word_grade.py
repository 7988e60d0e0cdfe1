"""A DOCX a trainer adapts in Word without repairing it first (issue 14), read back with
python-docx and lxml: heading numbers Word maintains, tables sized by their content, the
agenda and handout on the edition's machinery, right-to-left sides and an Arabic font,
and a body written a piece at a time.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from trainkit.assembly.handout import handout_edition
from trainkit.commands.agenda import plan_for_region
from trainkit.assembly.agenda import AgendaSettings
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.writers.agenda import write_agenda
from trainkit.writers.docx import write_docx
from trainkit.writers.docx.numbering import HeadingCounter
from trainkit.writers.docx.script_fonts import font_key, obfuscate

from .reading import shown_texts, style_numbering
from .test_writer import REPOSITORY, edition_of, make_project, open_docx, style_name, write

TOUR = REPOSITORY / "examples" / "feature-tour"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def edition_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("project"))
    return write(root, tmp_path_factory.mktemp("out"))


def style_ids(document: Document) -> dict[str, str]:
    """Style name -> id."""
    return {s.find(qn("w:name")).get(qn("w:val")): s.get(qn("w:styleId"))
            for s in document.styles.element.iter(qn("w:style"))}


# -- headings: Word's outline numbering ----------------------------------------------------


def outline(document: Document) -> tuple[str, Any]:
    """The numId the Heading 1 style links and its abstractNum."""
    ids = style_ids(document)
    num_id, level = style_numbering(document, ids["heading 1"])
    assert num_id not in (None, "0") and level == "0"
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iter(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    return num_id, abstract


def test_heading_styles_are_linked_to_one_outline_list(edition_docx: Path) -> None:
    document = open_docx(edition_docx)
    ids = style_ids(document)
    num_id, abstract = outline(document)
    assert abstract.find(qn("w:multiLevelType")).get(qn("w:val")) == "multilevel"
    levels = {lvl.get(qn("w:ilvl")): lvl for lvl in abstract.iter(qn("w:lvl"))}
    assert len(levels) == 9
    for level, name, text in ((0, "heading 1", "Module\u00a0%1:"), (1, "heading 2", "%1.%2"),
                              (2, "heading 3", "%1.%2.%3")):
        lvl = levels[str(level)]
        assert lvl.find(qn("w:pStyle")).get(qn("w:val")) == ids[name]
        assert lvl.find(qn("w:lvlText")).get(qn("w:val")) == text
        assert lvl.find(qn("w:suff")).get(qn("w:val")) == "space"
        assert style_numbering(document, ids[name]) == (num_id, str(level))
    assert levels["3"].find(qn("w:pStyle")) is None  # Heading 4 is not numbered
    assert style_numbering(document, ids["TOC Heading"]) == ("0", None)


def test_heading_paragraphs_carry_the_outline_numbering(edition_docx: Path) -> None:
    document = open_docx(edition_docx)
    num_id, _ = outline(document)
    numbered = {}
    for paragraph in document.paragraphs:
        if style_name(paragraph).startswith("Heading"):
            numbering = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            numbered[paragraph.text] = (numbering.find(qn("w:numId")).get(qn("w:val")),
                                        numbering.find(qn("w:ilvl")))
    assert numbered["Introduction"][0] == num_id
    assert numbered["Introduction"][1].get(qn("w:val")) == "0"
    assert numbered["Overview"][0] == num_id and numbered["Details"][0] == num_id
    # The back matter keeps Heading 1 but is taken out of the list.
    assert numbered["Index of legal instruments"] == ("0", None)
    assert numbered["Module durations"] == ("0", None)
    # No number is left in the text: Word draws it.
    assert not any(re.match(r"(Module )?\d", text) for text in numbered)


def test_case_study_exercise_and_question_numbers_follow_the_modules(
        edition_docx: Path) -> None:
    texts = [text for _, text in shown_texts(open_docx(edition_docx))]
    assert "Case study\u00a01.1: A stop at the border (fictional)" in texts
    assert "Question\u00a01.1" in texts
    heading = texts.index("Module\u00a01: Introduction")
    assert heading < texts.index("Case study\u00a01.1: A stop at the border (fictional)")


def test_heading_counter_numbers_only_what_word_numbers_like_the_pdf() -> None:
    counter = HeadingCounter()
    assert counter.module_title(1)
    assert counter.section(3, "1.0.1") is False  # a level skipped: number kept as text
    assert counter.section(2, "1.1") and counter.section(3, "1.1.1")
    assert counter.section(3, "1.1.2") and counter.section(2, "1.2")
    assert counter.section(3, "1.2.1")
    assert counter.module_title(2) and counter.section(2, "2.1")
    assert counter.module_title(5) is False  # not the next: the whole module as text
    assert counter.section(2, "5.1") is False
    handout = HeadingCounter(first_module=3)
    assert handout.module_title(3) and handout.section(2, "3.1")


def test_a_handout_counts_from_its_module_number(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assembled, project = edition_of(root)
    law = assembled.modules[1]
    target = tmp_path / "handout.docx"
    write_docx(handout_edition(assembled, law), project.resolver,  # type: ignore[attr-defined]
               target)
    document = open_docx(target)
    shown = shown_texts(document)
    assert ("Heading 1", "Module\u00a02: The law") in shown
    num_id, _ = outline(document)
    num = next(n for n in document.part.numbering_part.element.iter(qn("w:num"))
               if n.get(qn("w:numId")) == num_id)
    assert num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val")) == "2"


# -- tables --------------------------------------------------------------------------------


def test_table_columns_follow_their_content_and_rows_stay_whole(edition_docx: Path) -> None:
    document = open_docx(edition_docx)
    tables = document.tables
    assert tables
    for table in tables:
        properties = table._tbl.tblPr
        assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        margins = properties.find(qn("w:tblCellMar"))
        assert [m.tag.split("}")[1] for m in margins] == ["top", "left", "bottom", "right"]
        for row in table._tbl.tr_lst:
            assert row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - 9638) <= len(grid)
    legal = next(t for t in tables if t.cell(0, 0).text == "Instrument")
    assert legal.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_a_markdown_table_is_sized_by_its_cells(tmp_path: Path) -> None:
    from .test_writer import INTRO, project_files

    files = project_files()
    files["modules/01-intro.md"] = str(INTRO).replace(
        "| Element | Smuggling |\n|:--|--:|\n| Consent | given |",
        "| No. | Element | What the Protocol requires |\n|--|--|--|\n"
        "| 1 | Consent | The migrant agrees to be moved across a border, usually for a fee "
        "paid in advance or on arrival, and may end the journey |")
    root = make_project(tmp_path / "project", files)
    document = open_docx(write(root, tmp_path / "out"))
    table = next(t for t in document.tables if t.cell(0, 0).text == "No.")
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid[0] < grid[1] < grid[2]
    assert len(set(grid)) == 3
    assert [int(c._tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
            for c in table.rows[1].cells] == grid


# -- the agenda ----------------------------------------------------------------------------


def agenda_docx(tmp_path: Path, page_size: str | None = None) -> Path:
    import shutil

    root = tmp_path / "tour"
    shutil.copytree(TOUR, root, ignore=shutil.ignore_patterns(".trainkit-cache"))
    if page_size:
        manifest = root / "trainkit.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(
            "page_size: A4", f"page_size: {page_size}"), encoding="utf-8")
    timetable = plan_for_region(root, "coastal", AgendaSettings(days=2))
    return write_agenda(timetable, "docx", tmp_path / "out")


def test_agenda_docx_has_the_editions_page_styles_tables_and_footer(tmp_path: Path) -> None:
    document = open_docx(agenda_docx(tmp_path))
    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4
    assert [style_name(p) for p in document.paragraphs[:3]] == [
        "Heading 1", "Body Text", "Heading 2"]
    table = document.tables[0]
    assert table.style is not None and table.style.name == "Training Table"
    rows = table._tbl.tr_lst
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid[1] > grid[0] and grid[1] > grid[2]  # the module titles get the room
    assert [c.text for c in table.rows[0].cells] == ["Time", "Module", "Duration"]
    footer = document.sections[0].footer._element
    assert any(t.text.strip() == "PAGE" for t in footer.iter(qn("w:instrText")))
    assert document.sections[0].header.paragraphs[0].text == "Feature Tour of trainkit"


def test_agenda_docx_takes_the_manifests_page_size(tmp_path: Path) -> None:
    document = open_docx(agenda_docx(tmp_path, "letter"))
    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("12240", "15840")


# -- the handout -----------------------------------------------------------------------


def test_handout_notes_are_ruled_lines_in_the_editions_styles(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assembled, project = edition_of(root, edition="participant")
    target = tmp_path / "handout.docx"
    write_docx(handout_edition(assembled, assembled.modules[0]),
               project.resolver, target)  # type: ignore[attr-defined]
    document = open_docx(target)
    shown = shown_texts(document)
    notes = shown.index(("Heading 2", "My notes"))
    lines = document.paragraphs[notes + 1:]
    assert len(lines) == 12
    assert all(style_name(p) == "Note Line" and p.text == "" for p in lines)
    assert not any("___" in text for _, text in shown)
    style = document.styles["Note Line"].element
    borders = style.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
    assert {b.tag.split("}")[1] for b in borders} == {"bottom", "between"}
    spacing = style.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert spacing.get(qn("w:lineRule")) == "exact"
    edition = open_docx(write(root, tmp_path / "edition", edition="participant"))
    for name in ("Case Study", "Heading 1", "Body Text", "Training Table"):
        assert document.styles[name].element.xml == edition.styles[name].element.xml
    assert document.settings.element.find(qn("w:updateFields")) is None  # no contents


# -- right to left -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def arabic_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", language="ar", formats=("docx",), docx_toc="fields",
        out_dir=tmp_path_factory.mktemp("arabic")))
    assert result.ok, result.failures
    return result.files[0].path


def side(paragraph: Any, document: Document) -> str:
    """Where a paragraph's lines stand: its ``w:jc`` (or its style's), read as Word and
    LibreOffice read it in a ``w:bidi`` paragraph (left is the start: the right side)."""
    ids = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    properties = paragraph._p.pPr
    bidi = properties.find(qn("w:bidi")) is not None
    found = properties.find(qn("w:jc"))
    style = ids.get(properties.find(qn("w:pStyle")).get(qn("w:val")))
    while found is None and style is not None:
        found = style.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        based = style.find(qn("w:basedOn"))
        style = ids.get(based.get(qn("w:val"))) if based is not None else None
    value = found.get(qn("w:val")) if found is not None else "left"
    return {"left": "right", "right": "left"}.get(value, value) if bidi else value


def test_arabic_header_stands_right_and_box_rules_on_the_right(arabic_docx: Path) -> None:
    document = open_docx(arabic_docx)
    headers = [s.header.paragraphs[0] for s in document.sections[1:]]
    assert headers and all(p._p.pPr.find(qn("w:bidi")) is not None for p in headers)
    assert {side(p, document) for p in headers} == {"right"}
    for name in ("Case Study", "Exercise", "Key Points", "Quote"):
        borders = document.styles[name].element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        sides = {b.tag.split("}")[1]: int(b.get(qn("w:sz"))) for b in borders}
        assert sides["right"] > sides.get("left", 0), name  # the rule is on the right
        assert [b.tag.split("}")[1] for b in borders] == sorted(
            sides, key=["top", "left", "bottom", "right", "between"].index)


def test_arabic_styles_name_amiri_and_embed_it(arabic_docx: Path) -> None:
    document = open_docx(arabic_docx)
    styles = document.styles.element
    fonts = list(styles.iter(qn("w:rFonts")))
    assert fonts and {f.get(qn("w:cs")) for f in fonts} == {"Amiri"}
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    table = next(rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == RT.FONT_TABLE)
    entry = next(f for f in parse_xml(table.blob).iter(qn("w:font"))
                 if f.get(qn("w:name")) == "Amiri")
    embedded = {child.tag.split("}")[1]: child for child in entry
                if child.tag.split("}")[1].startswith("embed")}
    assert set(embedded) == {"embedRegular", "embedBold"}
    for kind, element in embedded.items():
        font = table.rels[element.get(qn("r:id"))].target_part
        assert font.content_type == "application/vnd.openxmlformats-officedocument." \
                                    "obfuscatedFont"
        data = obfuscate(font.blob, element.get(qn("w:fontKey")))
        assert TTFont(io.BytesIO(data))["name"].getDebugName(1) == "Amiri", kind
    assert document.settings.element.find(qn("w:embedTrueTypeFonts")) is not None


def test_font_keys_are_stable_and_obfuscation_is_its_own_inverse() -> None:
    key = font_key("Amiri", "regular")
    assert key == font_key("Amiri", "regular") != font_key("Amiri", "bold")
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
    data = bytes(range(64))
    assert obfuscate(data, key) != data and obfuscate(obfuscate(data, key), key) == data
    assert obfuscate(data, key)[32:] == data[32:]


# -- the body, a piece at a time ---------------------------------------------------------


def test_the_body_is_written_a_module_at_a_time(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.docx import package

    sizes: list[int] = []
    flush: Callable[..., None] = package.BodyStream.flush

    def counting(self: package.BodyStream, *, keep: bool = False) -> None:
        sizes.append(len(self.container))
        flush(self, keep=keep)

    monkeypatch.setattr(package.BodyStream, "flush", counting)
    root = make_project(tmp_path / "project")
    document = open_docx(write(root, tmp_path / "out"))
    assert len(sizes) == 1 + 3 + 1  # cover and contents, three modules, back matter
    assert max(sizes) < len(document.element.body) / 2
    body = zipfile.ZipFile(tmp_path / "out" / "north-trainer.docx").read("word/document.xml")
    assert body.count(f'xmlns:w="{W}"'.encode()) == 1  # declared once, on w:document
    assert body.startswith(b"<?xml") and body.rstrip().endswith(b"</w:document>")
