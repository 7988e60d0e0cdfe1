"""The DOCX writer, end to end: build small projects, read the files back with python-docx.

Nothing here compares bytes: every test opens the written file and checks its structure
(styles, numbering, fields, sections, parts, relationships).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from trainkit.model import document as d
from trainkit.assembly.edition import assemble
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.errors import RenderError
from trainkit.checks.validate import validate_project
from trainkit.writers.docx import write_docx
from .reading import shown_texts

TESTS = Path(__file__).resolve().parents[2]
REPOSITORY = TESTS.parent

A4_TEXT_WIDTH_EMU = 9638 * 635


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG of ``width`` x ``height`` pixels."""
    raw = b"".join(b"\x00" + b"\x1f\x5f\x8b" * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


MANIFEST = """\
title: Test manual
subtitle: A tiny manual
publisher: Test Publisher
version: "2.5"
language: en
modules:
  - part: Basics
    modules:
      - modules/01-intro.md
  - modules/02-law.md
audiences:
  police: Police officers
  prosecutors: Prosecutors
instruments:
  protocol: Smuggling of Migrants Protocol
editions:
  trainer:
    title: Trainer's manual
  participant:
    title: Participant's manual
    hide: [trainer-note, answer]
output:
  region: north
  edition: trainer
"""

INTRO = """\
---
id: intro
title: Introduction
version: "1.0"
status: approved
summary: What the course covers.
duration: 1h30m
audiences: [police, prosecutors]
learning_objectives:
  - Define the smuggling of migrants.
keywords: [smuggling, definitions]
legal_references:
  - instrument: protocol
    article: "3"
---

## Overview

This is {{ manual.title }} with a [web link](https://example.org/protocol) and a note.[^n1]

### Details

- first bullet
- second bullet
  1. nested one
  2. nested two

1. step one
2. step two

Between the lists.

3. again three
4. again four

| Element | Smuggling |
|:--|--:|
| Consent | given |

![Wide route map](../images/wide.png "The wide figure")

![Vector map of the routes](../images/map.svg "The vector figure")

A tiny ![small icon](../images/small.png) inline.

::: case-study A stop at the border (fictional)
A minibus is stopped at a checkpoint.
:::

::: trainer-note
SECRET TRAINER NOTE TEXT
:::

::: question
What is the smuggling of migrants?
:::

::: answer
SECRET ANSWER TEXT
:::

::: only region=north
NORTH ONLY TEXT
:::

See [](02-law.md) and [the offences](02-law.md#offences).

[^n1]: FOOTNOTE TEXT HERE.
"""

LAW = """\
---
id: law
title: The law
version: "1.0"
status: draft
summary: The legal framework.
duration: 45m
audiences: [prosecutors]
learning_objectives:
  - Name the offences.
prerequisites: [intro]
keywords: [law, smuggling]
---

## Offences

The offences are set out in the Protocol.

::: trainer-note
Allow SECRET TWENTY minutes.
:::
"""

NORTHERN = """\
---
id: northern
title: Northern routes
version: "1.0"
status: approved
summary: Routes across the north.
duration: 30m
audiences: [police]
learning_objectives:
  - Describe the northern routes.
regions: [north]
keywords: [desert-keyword]
---

## Desert crossings

Only the northern edition has this module.
"""

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
       '<rect width="40" height="20" fill="#eee"/></svg>\n')


def project_files() -> dict[str, str | bytes]:
    return {
        "trainkit.yaml": MANIFEST,
        "regions/north.yaml": ("name: North\ncountries: [Algeria]\nlanguages: [en]\n"
                               "add_modules:\n"
                               "  - file: modules/regional/northern.md\n    after: law\n"),
        "regions/south.yaml": "name: South\ncountries: [Chad]\nlanguages: [en]\n",
        "modules/01-intro.md": INTRO,
        "modules/02-law.md": LAW,
        "modules/regional/northern.md": NORTHERN,
        "images/wide.png": png(3000, 1000),
        "images/small.png": png(40, 20),
        "images/map.svg": SVG,
    }


def make_project(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    for relative, content in (files or project_files()).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def edition_of(root: Path, region: str = "north", edition: str = "trainer") -> tuple[
        AssembledEdition, object]:
    validation = validate_project(root, use_cache=False)
    assert validation.ok, [str(finding) for finding in validation.diagnostics]
    project = validation.project
    return assemble(validation.valid(), EditionRequest(region, edition)), project


def write(root: Path, out: Path, region: str = "north", edition: str = "trainer",
          reference: Path | None = None) -> Path:
    assembled, project = edition_of(root, region, edition)
    target = out / f"{region}-{edition}.docx"
    assert write_docx(assembled, project.resolver, target,  # type: ignore[attr-defined]
                      reference_docx=reference) is None
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``built(region, edition)``: the DOCX of the fixture project, written once."""
    root = make_project(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("out")
    cache: dict[tuple[str, str], Path] = {}

    def get(region: str = "north", edition: str = "trainer") -> Path:
        if (region, edition) not in cache:
            cache[region, edition] = write(root, out, region, edition)
        return cache[region, edition]

    return get


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def style_name(paragraph: object) -> str:
    return paragraph.style.name  # type: ignore[attr-defined, no-any-return]


# -- styles and headings ----------------------------------------------------------------


def test_headings_are_real_heading_styles_in_order(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    headings = [(style, text) for style, text in shown_texts(document)
                if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Module\u00a01: Introduction"),
        ("Heading 2", "1.1 Overview"),
        ("Heading 3", "1.1.1 Details"),
        ("Heading 1", "Module\u00a02: The law"),
        ("Heading 2", "2.1 Offences"),
        ("Heading 1", "Module\u00a03: Northern routes"),
        ("Heading 2", "3.1 Desert crossings"),
        ("Heading 1", "Index of legal instruments"),
        ("Heading 1", "Module durations"),
    ]


def test_cover_uses_title_subtitle_and_shows_draft(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    cover = [(style_name(p), p.text) for p in document.paragraphs[:12]]
    assert ("Title", "Test manual") in cover
    assert ("Subtitle", "A tiny manual") in cover
    assert ("Cover Draft", "Draft") in cover  # module 2 is a draft
    facts = [text for style, text in cover if style == "Cover Facts"]
    assert facts == ["Region\tNorth", "Edition\tTrainer\u2019s manual", "Version\t2.5",
                     next(f for f in facts if f.startswith("Date\t")), "Publisher\tTest Publisher"]


def test_module_head_has_facts_and_objectives(built: Callable[..., Path]) -> None:
    texts = shown_texts(open_docx(built()))
    start = texts.index(("Heading 1", "Module\u00a02: The law"))
    head = texts[start:start + 7]
    assert head[1] == ("Module Summary", "The legal framework.")
    assert ("Module Facts", "Duration\t45\u00a0min") in head
    assert ("Module Facts", "Audiences\tProsecutors") in head
    assert ("Module Facts", "Prerequisites\tModule\u00a01: Introduction") in head
    assert ("Objectives Title", "Learning objectives") in head
    assert ("List Bullet", "Name the offences.") in head


def test_training_blocks_have_their_own_styles(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    texts = {p.text: style_name(p) for p in document.paragraphs}
    assert texts["Case study\u00a01.1: A stop at the border (fictional)"] == "Case Study Title"
    assert texts["A minibus is stopped at a checkpoint."] == "Case Study"
    assert texts["SECRET TRAINER NOTE TEXT"] == "Trainer Note"
    assert texts["What is the smuggling of migrants?"] == "Assessment Question"
    assert texts["SECRET ANSWER TEXT"] == "Answer"
    case_study = document.styles["Case Study"].element
    assert case_study.find(f"{qn('w:pPr')}/{qn('w:shd')}") is not None
    assert case_study.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None


def test_body_paragraphs_use_body_text_without_direct_formatting(
        built: Callable[..., Path]) -> None:
    document = open_docx(built())
    paragraph = next(p for p in document.paragraphs if p.text.startswith("This is Test manual"))
    assert style_name(paragraph) == "Body Text"
    properties = paragraph._p.pPr
    assert properties is not None
    assert [child.tag for child in properties] == [qn("w:pStyle")]


# -- lists --------------------------------------------------------------------------------


def numbering_of(paragraph: object) -> tuple[int, int]:
    num_pr = paragraph._p.pPr.numPr  # type: ignore[attr-defined]
    return int(num_pr.numId.val), int(num_pr.ilvl.val)


def test_lists_use_numbering_definitions(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    by_text = {p.text: p for p in document.paragraphs}
    bullet_1, bullet_2 = by_text["first bullet"], by_text["second bullet"]
    assert style_name(bullet_1) == "List Bullet"
    assert numbering_of(bullet_1)[1] == 0 and numbering_of(bullet_1) == numbering_of(bullet_2)
    nested = numbering_of(by_text["nested one"])
    assert nested[1] == 1 and numbering_of(by_text["nested two"]) == nested
    first = numbering_of(by_text["step one"])
    second = numbering_of(by_text["again three"])
    assert style_name(by_text["step one"]) == "List Number"
    assert first[1] == second[1] == 0
    assert first[0] != second[0], "a new ordered list restarts with a new w:num"
    numbering = document.part.numbering_part.element
    nums = {int(n.get(qn("w:numId"))): n for n in numbering.iterchildren(qn("w:num"))}
    start = nums[second[0]].find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
    assert start is not None and start.get(qn("w:val")) == "3"
    abstract_id = nums[first[0]].find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iterchildren(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    assert abstract.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "decimal"
    children = [child.tag for child in numbering]
    assert children.index(qn("w:num")) > max(
        i for i, tag in enumerate(children) if tag == qn("w:abstractNum"))


# -- table of contents and settings -------------------------------------------------------


def test_table_of_contents_is_a_prefilled_toc_field(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert instructions[0].strip() == 'TOC \\o "1-3" \\h \\z \\u'
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds[:3] == ["begin", "separate", "begin"]  # TOC, then its first PAGEREF
    toc = [p for p in document.paragraphs if style_name(p).startswith("toc ")]
    entries = [(style_name(p), p.text.split("\t")[0]) for p in toc]
    assert entries == [
        ("toc 1", "Basics"), ("toc 1", "Module\u00a01: Introduction"),
        ("toc 2", "1.1 Overview"), ("toc 3", "1.1.1 Details"),
        ("toc 1", "Module\u00a02: The law"), ("toc 2", "2.1 Offences"),
        ("toc 1", "Module\u00a03: Northern routes"), ("toc 2", "3.1 Desert crossings"),
        ("toc 1", "Index of legal instruments"), ("toc 1", "Module durations"),
    ]
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for p in toc for h in p._p.iter(qn("w:hyperlink"))]
    assert len(anchors) == len(entries) and set(anchors) <= bookmarks
    assert toc[-1]._p.findall(f".//{qn('w:fldChar')}")[-1].get(qn("w:fldCharType")) == "end"


def test_settings_ask_word_to_update_fields(built: Callable[..., Path]) -> None:
    settings = open_docx(built()).settings.element
    update = settings.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    tags = [child.tag for child in settings]
    compat = qn("w:compat")
    if compat in tags:
        assert tags.index(qn("w:updateFields")) < tags.index(compat)


# -- sections, headers and footers --------------------------------------------------------


def test_one_section_per_module_with_header_and_page_footer(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    sections = document.sections
    modules = ["Module\u00a01: Introduction", "Module\u00a02: The law",
               "Module\u00a03: Northern routes"]
    # the cover and contents, one section per module, the back matter
    assert len(sections) == len(modules) + 2
    cover = sections[0]._sectPr
    assert cover.findall(qn("w:headerReference")) == []
    assert cover.findall(qn("w:footerReference")) == []
    for section, title in zip(sections[1:-1], modules, strict=True):
        assert section._sectPr.find(qn("w:type")).get(qn("w:val")) == "nextPage"
        assert section.header.is_linked_to_previous is False
        assert section.header.paragraphs[0].text == title
        footer = section.footer._element  # linked sections show the first module's footer
        assert any(t.text.strip() == "PAGE" for t in footer.iter(qn("w:instrText")))
    assert sections[-1].header.paragraphs[0].text == "Test manual"


def test_a_part_page_has_an_empty_first_page_header(built: Callable[..., Path]) -> None:
    section = open_docx(built()).sections[1]  # module 1 opens part "Basics"
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""
    assert section.header.paragraphs[0].text == "Module\u00a01: Introduction"


# -- footnotes ----------------------------------------------------------------------------


def test_footnotes_are_real_word_footnotes(built: Callable[..., Path]) -> None:
    path = built()
    document = open_docx(path)
    rels = [r for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    assert len(rels) == 1
    part = rels[0].target_part
    assert str(part.partname) == "/word/footnotes.xml"
    parts = xml_parts(path)
    footnotes = parts["word/footnotes.xml"]
    assert "FOOTNOTE TEXT HERE." in footnotes
    assert 'w:type="separator"' in footnotes and 'w:type="continuationSeparator"' in footnotes
    references = list(document.element.body.iter(qn("w:footnoteReference")))
    assert [r.get(qn("w:id")) for r in references] == ["1"]
    assert re.search(r'<w:footnote w:id="1">.*FOOTNOTE TEXT HERE', footnotes, re.S)
    assert "<w:footnoteRef/>" in footnotes
    content_types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
    assert ('PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.footnotes+xml"') in content_types
    assert "<w:footnotePr>" in parts["word/settings.xml"]


# -- tables and images --------------------------------------------------------------------


def test_tables_use_the_table_style_and_repeat_the_header_row(
        built: Callable[..., Path]) -> None:
    document = open_docx(built())
    table = next(t for t in document.tables if t.cell(0, 0).text == "Element")
    assert table.style is not None and table.style.name == "Training Table"
    rows = table._tbl.tr_lst
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert rows[1].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    assert [c.text for c in table.rows[1].cells] == ["Consent", "given"]
    right = table.cell(1, 1).paragraphs[0]._p.pPr.find(qn("w:jc"))
    assert right is not None and right.get(qn("w:val")) == "right"


def test_images_are_inline_scaled_and_described(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    body = document.element.body
    pictures = {}
    for inline in body.iter(qn("wp:inline")):
        properties = inline.find(qn("wp:docPr"))
        extent = inline.find(qn("wp:extent"))
        pictures[properties.get("descr")] = (int(extent.get("cx")), int(extent.get("cy")))
    assert set(pictures) == {"Wide route map", "small icon"}
    assert pictures["Wide route map"] == (A4_TEXT_WIDTH_EMU, round(A4_TEXT_WIDTH_EMU / 3))
    assert pictures["small icon"] == (40 * 9525, 20 * 9525)  # natural size at 96 dpi
    texts = [(style_name(p), p.text) for p in document.paragraphs]
    assert ("Caption", "The wide figure") in texts
    placeholder = next(t for s, t in texts if "Vector map of the routes" in t)
    assert placeholder == "[Image not included in this format: Vector map of the routes]"
    assert ("Caption", placeholder) in texts and ("Caption", "The vector figure") in texts
    assert len(document.inline_shapes) == 2


# -- links --------------------------------------------------------------------------------


def test_external_and_internal_hyperlinks(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    body = document.element.body
    rels = document.part.rels
    external = [h for h in body.iter(qn("w:hyperlink")) if h.get(qn("r:id"))]
    assert len(external) == 1
    rel = rels[external[0].get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/protocol"
    assert rel.reltype == RT.HYPERLINK
    rels_xml = xml_parts(built())["word/_rels/document.xml.rels"]
    assert 'Target="https://example.org/protocol" TargetMode="External"' in rels_xml
    bookmarks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    links = {"".join(t.text for t in h.iter(qn("w:t"))): h.get(qn("w:anchor"))
             for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))}
    module_target = links["Module\u00a02: The law"]
    section_target = links["the offences"]
    assert module_target in bookmarks and section_target in bookmarks
    heading_2 = next(p for p in document.paragraphs if p.text == "The law"
                     and style_name(p) == "Heading 1")
    assert heading_2._p.find(qn("w:bookmarkStart")).get(qn("w:name")) == module_target
    offences = next(p for p in document.paragraphs if p.text == "Offences")
    assert offences._p.find(qn("w:bookmarkStart")).get(qn("w:name")) == section_target
    for name in bookmarks:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name)
    ids = [b.get(qn("w:id")) for b in bookmarks.values()]
    assert len(set(ids)) == len(ids)


# -- properties and language --------------------------------------------------------------


def test_core_properties_and_language(built: Callable[..., Path]) -> None:
    document = open_docx(built())
    properties = document.core_properties
    assert properties.title == "Test manual"
    assert properties.subject == "Trainer\u2019s manual, North"
    assert properties.author == "Test Publisher"
    assert properties.keywords == "smuggling, definitions, law, desert-keyword"
    assert properties.version == "2.5"
    assert properties.language == "en"
    assert properties.content_status == "Draft"
    styles = document.styles.element
    default_lang = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert (default_lang.get(qn("w:val")), default_lang.get(qn("w:eastAsia")),
            default_lang.get(qn("w:bidi"))) == ("en", "en", "en")
    normal_lang = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert normal_lang.get(qn("w:val")) == "en"


# -- edition filtering --------------------------------------------------------------------


def all_text(path: Path) -> str:
    """The XML of every part that holds edition text (not the style definitions)."""
    return "\n".join(xml for name, xml in xml_parts(path).items()
                     if not name.endswith(("styles.xml", "numbering.xml", "theme1.xml")))


def test_participant_edition_has_no_trainer_content_anywhere(
        built: Callable[..., Path]) -> None:
    trainer, participant = all_text(built()), all_text(built("north", "participant"))
    for secret in ("SECRET TRAINER NOTE TEXT", "SECRET ANSWER TEXT", "SECRET TWENTY"):
        assert secret in trainer
        assert secret not in participant
    assert "Trainer note" not in participant and "Answer" not in participant
    assert "What is the smuggling of migrants?" in participant


def test_region_only_content_is_absent_from_other_regions(built: Callable[..., Path]) -> None:
    north, south = built("north"), built("south")
    assert "NORTH ONLY TEXT" in all_text(north)
    text = all_text(south)
    for absent in ("NORTH ONLY TEXT", "Northern routes", "Desert crossings", "desert-keyword"):
        assert absent not in text, absent
    document = open_docx(south)
    assert len(document.sections) == 2 + 2
    assert [s.header.paragraphs[0].text for s in document.sections[1:-1]] == [
        "Module\u00a01: Introduction", "Module\u00a02: The law"]
    assert document.core_properties.keywords == "smuggling, definitions, law"


# -- reference documents ------------------------------------------------------------------


def test_reference_docx_provides_styles_fonts_and_page_setup(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Distinctive Sans"
    reference.styles["Heading 1"].font.name = "Heading Face"
    reference.add_paragraph("Reference body text that must not survive.")
    reference.sections[0].page_width = docx.shared.Mm(200)
    reference.sections[0].header.paragraphs[0].text = "REFERENCE HEADER"
    reference_path = tmp_path / "reference.docx"
    reference.save(str(reference_path))
    width = docx.Document(str(reference_path)).sections[0].page_width  # rounded to twips
    path = write(root, tmp_path / "out", reference=reference_path)
    document = open_docx(path)
    assert document.styles["Normal"].font.name == "Distinctive Sans"
    assert document.styles["Heading 1"].font.name == "Heading Face"
    assert document.styles["Case Study"].base_style is not None  # copied from the default
    assert [s.page_width for s in document.sections] == [width] * len(document.sections)
    text = all_text(path)
    assert "Reference body text" not in text and "REFERENCE HEADER" not in text
    assert document.paragraphs[0].text  # the cover starts the document


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    (b"plain text, not a document", "is not a Word document"),
    ("zip", "is not a Word document"),
])
def test_a_bad_reference_docx_is_a_render_error(tmp_path: Path, content: bytes | str | None,
                                                message: str) -> None:
    root = make_project(tmp_path / "project")
    reference = tmp_path / "bad.docx"
    if content == "zip":
        with zipfile.ZipFile(reference, "w") as archive:
            archive.writestr("hello.txt", "not a Word document")
    elif isinstance(content, bytes):
        reference.write_bytes(content)
    target = tmp_path / "out" / "x.docx"
    with pytest.raises(RenderError, match=message) as raised:
        assembled, project = edition_of(root)
        write_docx(assembled, project.resolver, target,  # type: ignore[attr-defined]
                   reference_docx=reference)
    assert str(reference) in str(raised.value)
    assert not target.exists()


def test_build_passes_the_reference_docx_through(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    reference = tmp_path / "reference.docx"
    template = docx.Document()
    template.styles["Normal"].font.name = "Built Through"
    template.save(str(reference))
    result = build_edition(root, BuildOptions(formats=("docx",), out_dir=tmp_path / "dist",
                                              reference_docx=reference))
    assert result.ok and [f.format for f in result.files] == ["docx"]
    assert result.files[0].pages is None
    assert open_docx(result.files[0].path).styles["Normal"].font.name == "Built Through"
    broken = build_edition(root, BuildOptions(formats=("docx",), out_dir=tmp_path / "dist",
                                              reference_docx=tmp_path / "missing.docx"))
    assert not broken.ok and "missing.docx" in broken.failures[0]


# -- robustness ---------------------------------------------------------------------------


def test_control_characters_do_not_break_the_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assembled, project = edition_of(root)
    bad = "bad\x01\x08\x0b\x0c\x1f\x7f\x85\ud800\ufffe\uffff text"
    first = assembled.modules[0]
    blocks = (d.Heading(2, (d.Text(bad),), "bad"), d.Paragraph((d.Text(bad),)),
              d.Table((( d.Text(bad),),), (((d.Text(bad),),),), ("",)), *first.blocks)
    meta = first.meta.model_copy(update={"title": f"Title {bad}"})
    modules = (dataclasses.replace(first, blocks=blocks, meta=meta), *assembled.modules[1:])
    manifest = assembled.manifest.model_copy(update={"title": f"Manual {bad}"})
    edition = dataclasses.replace(assembled, modules=modules, manifest=manifest)
    target = tmp_path / "control.docx"
    write_docx(edition, project.resolver, target)  # type: ignore[attr-defined]
    document = open_docx(target)
    texts = [p.text for p in document.paragraphs]
    assert "bad text" in texts
    assert ("Heading 2", "bad text") in [(style_name(p), p.text) for p in document.paragraphs]
    assert document.core_properties.title == "Manual bad text"
    assert document.sections[1].header.paragraphs[0].text == "Module\u00a01: Title bad text"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", all_text(target))


def test_a_missing_image_fails_cleanly_and_keeps_the_old_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assembled, project = edition_of(root)
    target = tmp_path / "out.docx"
    target.write_bytes(b"previous build")
    (root / "images" / "wide.png").unlink()
    with pytest.raises(RenderError, match="wide.png"):
        write_docx(assembled, project.resolver, target)  # type: ignore[attr-defined]
    assert target.read_bytes() == b"previous build"
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".part")] == []


def test_no_python_docx_call_that_scans_the_document(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The calls that make a naive writer quadratic (PERFORMANCE_NOTES.md) are never made:
    style lookup by name, body scans for the final sectPr, rId and part-name searches."""
    import docx.blkcntnr
    import docx.opc.package
    import docx.opc.rel
    import docx.parts.document
    import docx.parts.story
    import docx.styles.styles

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scanning python-docx API was called")

    scanning = [
        (docx.opc.rel.Relationships, "_next_rId"), (docx.opc.rel.Relationships, "_get_matching"),
        (docx.opc.package.OpcPackage, "next_partname"), (docx.parts.story.StoryPart, "next_id"),
        (docx.parts.story.StoryPart, "get_style_id"),
        (docx.parts.document.DocumentPart, "get_style_id"),
        (docx.styles.styles.Styles, "__getitem__"), (docx.styles.styles.Styles, "_get_by_id"),
        (docx.blkcntnr.BlockItemContainer, "add_paragraph"),
        (docx.blkcntnr.BlockItemContainer, "add_table"),
    ]
    for owner, name in scanning:
        monkeypatch.setattr(owner, name, property(forbidden) if isinstance(
            getattr(owner, name, None), property) else forbidden)
    root = make_project(tmp_path / "project")
    path = write(root, tmp_path / "out")
    monkeypatch.undo()
    assert len(open_docx(path).sections) == 5


# -- the shipped manual -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", edition="participant", formats=("docx",),
        out_dir=tmp_path_factory.mktemp("shipped")))
    assert result.ok, result.failures
    return result.files[0].path


def test_the_shipped_manual_builds_as_docx(shipped_manual: Path) -> None:
    validation = validate_project(REPOSITORY, use_cache=False)
    edition = assemble(validation.valid(), EditionRequest("north-africa", "participant"))
    document = open_docx(shipped_manual)
    titles = [f"Module\u00a0{m.number}: {m.meta.title}" for m in edition.modules]
    heading_1 = [text for style, text in shown_texts(document) if style == "Heading 1"]
    assert heading_1 == [*titles, "Index of legal instruments", "Module durations", "Glossary",
                         "National law"]  # north-africa has national law profiles
    assert len(document.sections) == len(edition.modules) + 2
    assert [s.header.paragraphs[0].text for s in document.sections[1:-1]] == titles
    text = all_text(shipped_manual)
    assert "Trainer note" not in text
    kinds = {style_name(p) for p in document.paragraphs}
    assert {"Case Study", "Exercise", "Key Points", "Assessment Question"} <= kinds
    assert "Trainer Note" not in kinds and "Answer" not in kinds


@pytest.mark.slow
def test_libreoffice_converts_the_shipped_manual(shipped_manual: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install "
                    "libreoffice-writer-nogui to run this test")
    completed = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(shipped_manual)],
        capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / (shipped_manual.stem + ".pdf")
    assert pdf.exists(), completed.stdout + completed.stderr
    assert pdf.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")
