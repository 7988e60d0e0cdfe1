"""The small OOXML helpers of the DOCX writer, one at a time, on bare elements."""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from trainkit.writers.docx import fields, oxml
from trainkit.writers.docx.footnotes import Footnotes, mark_run, new_footnotes_element
from trainkit.writers.docx.images import EMU_PER_PIXEL, fit
from trainkit.writers.docx.numbering import ListNumbering, number_paragraph
from trainkit.writers.docx.bookmarks import MAX_BOOKMARK, BookmarkNames
from trainkit.writers.docx.properties import insert_setting, shorten, update_fields_on_open
from trainkit.writers.docx.reference import default_reference_bytes
from trainkit.writers.docx.relations import PartLinks, PartNames
from trainkit.writers.docx.sections import Sections, close_section
from trainkit.writers.docx.styles import StyleBook
from trainkit.writers.docx.tables import (
    CHAR_WIDTH, column_widths, content_widths, new_cell, new_row, new_table,
)

W = oxml.NS["w"]


def tags(element: oxml.Element) -> list[str]:
    return [child.tag.split("}", 1)[1] for child in element]


# -- text ---------------------------------------------------------------------------------


def test_clean_text_drops_what_xml_cannot_hold() -> None:
    assert oxml.clean_text("a\x00b\x01c\x0bd\x1fe\x7ff\x85g\ud800h\ufffei\uffffj") == "abcdefghij"
    assert oxml.clean_text("tab\tline\nreturn\r é 漢字 😀") == "tab\tline\nreturn\r é 漢字 😀"


def test_add_text_makes_tabs_breaks_and_keeps_spaces() -> None:
    r = oxml.make("w:r")
    oxml.add_text(r, " lead\tmid\nnext \x01")
    assert tags(r) == ["t", "tab", "t", "br", "t"]
    texts = [t.text for t in r.iter(qn("w:t"))]
    assert texts == [" lead", "mid", "next "]
    preserve = [t.get("{http://www.w3.org/XML/1998/namespace}space") for t in r.iter(qn("w:t"))]
    assert preserve == ["preserve", None, "preserve"]


def test_run_properties_in_schema_order() -> None:
    p = oxml.make("w:p")
    r = oxml.run(p, "x", style_id="Hyperlink", bold=True, italic=True, strike=True)
    assert tags(r[0]) == ["rStyle", "b", "i", "strike"]
    assert oxml.serialize(p).count("xmlns:w") == 1  # one declaration, at the root


def test_paragraph_properties_and_bookmark() -> None:
    p = oxml.paragraph(oxml.make("w:body"), "Heading2")
    oxml.run(p, "Title")
    oxml.bookmark(p, "sec_1", 7)
    assert tags(p) == ["pPr", "bookmarkStart", "r", "bookmarkEnd"]
    assert p[1].get(qn("w:name")) == "sec_1" and p[-1].get(qn("w:id")) == "7"
    bare = oxml.make("w:p")
    assert oxml.paragraph_properties(bare) is bare[0]
    assert oxml.paragraph_properties(bare) is bare[0]  # found, not added twice


def test_links() -> None:
    p = oxml.make("w:p")
    internal = oxml.internal_link(p, "module_law")
    external = oxml.external_link(p, "rId9")
    assert internal.get(qn("w:anchor")) == "module_law"
    assert external.get(qn("r:id")) == "rId9"


# -- fields -------------------------------------------------------------------------------


def test_a_field_is_begin_instruction_separate_result_end() -> None:
    p = oxml.make("w:p")
    fields.field(p, "PAGE", "1")
    kinds = [(c.tag.split("}")[1], c.get(qn("w:fldCharType"))) for r in p for c in r]
    assert kinds == [("fldChar", "begin"), ("instrText", None), ("fldChar", "separate"),
                     ("t", None), ("fldChar", "end")]
    assert p.find(f".//{qn('w:instrText')}").text == " PAGE "


def test_a_field_may_span_paragraphs_and_be_dirty() -> None:
    first, last = oxml.make("w:p"), oxml.make("w:p")
    fields.begin_field(first, fields.TOC_INSTRUCTION, dirty=True)
    fields.end_field(last)
    begin = first.find(f".//{qn('w:fldChar')}")
    assert begin.get(qn("w:dirty")) == "true"
    assert first.find(f".//{qn('w:instrText')}").text.strip() == 'TOC \\o "1-3" \\h \\z \\u'
    assert last.find(f".//{qn('w:fldChar')}").get(qn("w:fldCharType")) == "end"


# -- bookmarks ----------------------------------------------------------------------------


def test_bookmark_names_are_valid_short_and_unique() -> None:
    names = BookmarkNames()
    long = names.name("module-" + "x" * 80)
    assert len(long) == MAX_BOOKMARK
    again = names.name("module-" + "x" * 80)
    assert again != long and len(again) <= MAX_BOOKMARK and again.endswith("_2")
    assert names.name("Module-X" + "x" * 80).lower() not in {long.lower(), again.lower()}
    assert names.name("1-intro") == "b_1_intro"
    assert names.name("جدول") == "b"
    assert names.name("") == "b_2"
    assert names.name("a b.c") == "a_b_c"
    assert names.next_id() == 1 and names.next_id() == 2


# -- numbering ----------------------------------------------------------------------------


def numbering_root(existing: str = "") -> oxml.Element:
    return oxml.parse(f'<w:numbering xmlns:w="{W}">{existing}</w:numbering>')


def test_numbering_adds_definitions_once_and_instances_per_list() -> None:
    root = numbering_root('<w:abstractNum w:abstractNumId="4"/><w:num w:numId="7">'
                          '<w:abstractNumId w:val="4"/></w:num><w:numIdMacAtCleanup w:val="0"/>')
    numbering = ListNumbering(root)
    bullet = numbering.bullet()
    assert bullet == 8 and numbering.bullet() == 8
    first, second = numbering.ordered(), numbering.ordered(start=5, level=2)
    assert (first, second) == (9, 10)
    assert tags(root) == ["abstractNum", "abstractNum", "abstractNum", "num", "num", "num",
                          "num", "numIdMacAtCleanup"]
    abstract_ids = [a.get(qn("w:abstractNumId")) for a in root.iterchildren(qn("w:abstractNum"))]
    assert abstract_ids == ["4", "5", "6"]
    override = root.findall(qn("w:num"))[-1].find(qn("w:lvlOverride"))
    assert override.get(qn("w:ilvl")) == "2"
    assert override.find(qn("w:startOverride")).get(qn("w:val")) == "5"
    levels = root.findall(qn("w:abstractNum"))[1].findall(qn("w:lvl"))
    assert len(levels) == 9
    assert levels[0].find(qn("w:numFmt")).get(qn("w:val")) == "bullet"


def test_numbering_in_an_empty_part_and_paragraph_numbering() -> None:
    root = numbering_root()
    numbering = ListNumbering(root)
    number = numbering.ordered()
    bullet = numbering.bullet()
    assert tags(root) == ["abstractNum", "abstractNum", "num", "num"]
    p = oxml.paragraph(oxml.make("w:body"), "ListNumber")
    number_paragraph(p, number, 1)
    assert tags(p[0]) == ["pStyle", "numPr"]
    assert [c.get(qn("w:val")) for c in p[0][1]] == ["1", str(number)]
    assert bullet != number


# -- footnotes ----------------------------------------------------------------------------


def test_new_footnotes_part_has_the_two_separators() -> None:
    root = new_footnotes_element()
    notes = [(n.get(qn("w:type")), n.get(qn("w:id"))) for n in root]
    assert notes == [("separator", "-1"), ("continuationSeparator", "0")]
    assert root.find(f".//{qn('w:separator')}") is not None


def test_footnotes_part_is_created_on_first_use() -> None:
    document = docx.Document()
    part = document.part
    links = PartLinks(part)
    notes = Footnotes(part, links, PartNames(part.package))
    assert not notes.created
    first, element = notes.add()
    second, _ = notes.add()
    assert (first, second) == (1, 2) and notes.created
    assert str(notes.part.partname) == "/word/footnotes.xml"
    assert [r.reltype for r in part.rels.values()].count(RT.FOOTNOTES) == 1
    p = oxml.paragraph(element, "FootnoteText")
    oxml.run(p, "Text")
    mark_run(p, "FootnoteReference")
    assert tags(p) == ["pPr", "r", "r", "r"]
    assert p[1].find(qn("w:footnoteRef")) is not None
    assert notes.links.hyperlink("https://example.org").startswith("rId")


# -- settings and properties --------------------------------------------------------------


def test_settings_are_inserted_in_schema_order() -> None:
    settings = oxml.parse(f'<w:settings xmlns:w="{W}"><w:zoom/><w:defaultTabStop/>'
                          '<w:compat/><w:rsids/></w:settings>')
    update_fields_on_open(settings)
    update_fields_on_open(settings)  # replaced, not doubled
    insert_setting(settings, oxml.make("w:footnotePr"))
    insert_setting(settings, oxml.make("w:listSeparator"))
    assert tags(settings) == ["zoom", "defaultTabStop", "updateFields", "footnotePr", "compat",
                              "rsids", "listSeparator"]


def test_shorten_cuts_at_a_boundary() -> None:
    assert shorten("short") == "short"
    text = ", ".join(f"keyword{i}" for i in range(60))
    cut = shorten(text, separator=", ")
    assert len(cut) <= 255 and cut.endswith(tuple("0123456789")) and text.startswith(cut)
    assert shorten("a\x01b") == "ab"


# -- relationships and part names ---------------------------------------------------------


def test_part_links_count_on_and_remember_targets() -> None:
    document = docx.Document()
    part = document.part
    before = len(part.rels)
    links = PartLinks(part)
    first = links.hyperlink("https://example.org/a")
    assert links.hyperlink("https://example.org/a") == first
    second = links.hyperlink("https://example.org/b\x01")
    assert int(second[3:]) == int(first[3:]) + 1 > before
    assert part.rels[second].target_ref == "https://example.org/b"
    assert part.rels[second].is_external


def test_part_names_skip_names_in_use() -> None:
    document = docx.Document()
    names = PartNames(document.part.package)
    assert str(names.take("/word/footnotes.xml")) == "/word/footnotes.xml"
    assert str(names.take("/word/footnotes.xml")) == "/word/footnotes1.xml"
    assert str(names.next("/word/header%d.xml")) == "/word/header1.xml"
    assert str(names.next("/word/header%d.xml")) == "/word/header2.xml"
    assert str(names.take("/word/document.xml")) == "/word/document1.xml"


# -- sections -----------------------------------------------------------------------------


def test_section_properties_order_and_references() -> None:
    document = docx.Document()
    part = document.part
    template = oxml.parse(f'<w:sectPr xmlns:w="{W}"><w:pgSz w:w="11906" w:h="16838"/>'
                          '<w:pgMar w:top="1" w:bottom="1" w:left="1" w:right="1"/>'
                          '<w:cols/><w:docGrid/></w:sectPr>')
    sections = Sections(part.package, PartLinks(part), PartNames(part.package), template,
                        "Header", "Footer")
    header, footer = sections.header("Module 1"), sections.footer()
    first = (sections.header(""), sections.footer(page_number=False))
    properties = sections.properties(new_page=True, header=header, footer=footer,
                                     first_page=first)
    assert tags(properties) == ["headerReference", "headerReference", "footerReference",
                                "footerReference", "type", "pgSz", "pgMar", "cols", "titlePg",
                                "docGrid"]
    header_part = part.rels[header].target_part
    assert "Module 1" in header_part.blob.decode()
    footer_xml = part.rels[footer].target_part.blob.decode()
    assert " PAGE " in footer_xml
    assert "PAGE" not in part.rels[first[1]].target_part.blob.decode()
    assert tags(template) == ["pgSz", "pgMar", "cols", "docGrid"]  # the template is copied


def test_close_section_uses_the_last_paragraph_or_adds_one() -> None:
    body = oxml.make("w:body")
    p = oxml.paragraph(body, "BodyText")
    close_section(body, oxml.make("w:sectPr"))
    assert len(body) == 1 and tags(p[0]) == ["pStyle", "sectPr"]
    close_section(body, oxml.make("w:sectPr"))  # already ends a section: a new paragraph
    assert len(body) == 2
    new_table(body, "Table", [100])
    close_section(body, oxml.make("w:sectPr"))
    assert tags(body) == ["p", "p", "tbl", "p"]


# -- styles -------------------------------------------------------------------------------


def styles_root(inner: str) -> oxml.Element:
    return oxml.parse(f'<w:styles xmlns:w="{W}">{inner}</w:styles>')


FALLBACK = styles_root(
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="CaseStudy"><w:name w:val="Case Study"/>'
    '<w:basedOn w:val="BodyText"/><w:next w:val="CaseStudy"/><w:pPr><w:numPr><w:numId '
    'w:val="3"/></w:numPr><w:ind w:left="240"/></w:pPr></w:style>')


def test_style_book_resolves_names_case_insensitively() -> None:
    root = styles_root('<w:style w:type="paragraph" w:styleId="berschrift1">'
                       '<w:name w:val="heading 1"/></w:style>')
    book = StyleBook(root, lambda: FALLBACK)
    assert book.paragraph("Heading 1") == "berschrift1"


def test_style_book_copies_missing_styles_with_their_base() -> None:
    root = styles_root('<w:style w:type="paragraph" w:default="1" w:styleId="Standard">'
                       '<w:name w:val="Normal"/></w:style>'
                       '<w:style w:type="character" w:styleId="CaseStudy">'
                       '<w:name w:val="Something else"/></w:style>')
    book = StyleBook(root, lambda: FALLBACK)
    case_study = book.paragraph("Case Study")
    assert case_study == "CaseStudy0"  # the id was taken by another style
    style = book.element("Case Study")
    assert style.find(qn("w:basedOn")).get(qn("w:val")) == "BodyText"
    assert style.find(qn("w:next")).get(qn("w:val")) == "CaseStudy0"
    assert style.find(f".//{qn('w:numPr')}") is None
    body = book.element("Body Text")
    assert body.find(qn("w:basedOn")).get(qn("w:val")) == "Standard"  # mapped by name
    assert book.indent(case_study) == 240 and book.indent("BodyText") == 0
    with pytest.raises(KeyError):
        book.paragraph("No Such Style")


def test_set_language_on_defaults_and_normal() -> None:
    root = styles_root('<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US"/>'
                       '<w:eastAsianLayout/></w:rPr></w:rPrDefault></w:docDefaults>'
                       '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/>'
                       '</w:style>')
    StyleBook(root, lambda: FALLBACK).set_language("fr")
    default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert tags(default) == ["lang", "eastAsianLayout"]
    lang = default.find(qn("w:lang"))
    assert [lang.get(qn(f"w:{a}")) for a in ("val", "eastAsia", "bidi")] == ["fr"] * 3
    normal = root.find(qn("w:style")).find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert normal.get(qn("w:val")) == "fr"


# -- images and tables --------------------------------------------------------------------


def test_fit_scales_down_never_up() -> None:
    assert fit(100, 50, 10**9, 10**9) == (100 * EMU_PER_PIXEL, 50 * EMU_PER_PIXEL)
    assert fit(2000, 1000, 1000 * EMU_PER_PIXEL, 10**9) == (1000 * EMU_PER_PIXEL,
                                                              500 * EMU_PER_PIXEL)
    assert fit(100, 4000, 10**9, 1000 * EMU_PER_PIXEL) == (25 * EMU_PER_PIXEL,
                                                             1000 * EMU_PER_PIXEL)


def test_table_structure() -> None:
    body = oxml.make("w:body")
    table = new_table(body, "TrainingTable", [3000, 6000], total_row=True)
    header = new_row(table, header=True)
    cell = new_cell(header, 3000, span=2)
    body_row = new_row(table)
    assert tags(table) == ["tblPr", "tblGrid", "tr", "tr"]
    assert tags(table[0]) == ["tblStyle", "tblW", "tblLayout", "tblCellMar", "tblLook"]
    width, layout, margins, look = table[0][1:]
    assert (width.get(qn("w:w")), width.get(qn("w:type"))) == ("9000", "dxa")
    assert layout.get(qn("w:type")) == "fixed"
    assert tags(margins) == ["top", "left", "bottom", "right"]
    assert look.get(qn("w:val")) == "0660" and look.get(qn("w:lastRow")) == "1"
    assert tags(header[0]) == ["cantSplit", "tblHeader"]
    assert tags(body_row[0]) == ["cantSplit"]
    assert tags(cell[0]) == ["tcW", "gridSpan"]


def test_content_widths_follow_the_text_of_each_column() -> None:
    # Short texts that fit: shared in proportion to the longest cell of each column.
    narrow = content_widths(9000, [["Age", "12"], ["Description of the person", "A long one"]])
    assert sum(narrow) == 9000 and narrow[0] < narrow[1] / 3
    # Long texts: each column keeps its longest word; the rest goes by what it lacks.
    long = "word " * 200
    widths = content_widths(9000, [["Consent"], [long], ["Antidisestablishment"]])
    assert sum(widths) == 9000
    assert widths[2] >= len("Antidisestablishment") * CHAR_WIDTH
    assert widths[1] > widths[0] and widths[1] > widths[2]
    assert content_widths(9000, []) == []
    assert column_widths(1000, [1, 1, 1]) == [333, 333, 334]


# -- the default reference ----------------------------------------------------------------


def _reference_tool() -> ModuleType:
    """``tools/make_reference_docx.py``, a development script outside the package."""
    path = Path(__file__).resolve().parents[3] / "tools" / "make_reference_docx.py"
    spec = importlib.util.spec_from_file_location("make_reference_docx", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool  # its dataclasses look their module up there
    spec.loader.exec_module(tool)
    return tool


def test_the_shipped_reference_is_what_make_reference_generates(tmp_path: Path) -> None:
    generated = tmp_path / "reference.docx"
    _reference_tool().build(generated)
    with zipfile.ZipFile(generated) as new, zipfile.ZipFile(
            io.BytesIO(default_reference_bytes())) as shipped:
        assert new.read("word/styles.xml") == shipped.read("word/styles.xml"), (
            "run `python tools/make_reference_docx.py` and commit the result")
        assert "word/stylesWithEffects.xml" not in shipped.namelist()
    document = docx.Document(io.BytesIO(default_reference_bytes()))
    names = {style.name for style in document.styles}
    for name in ("Case Study", "Exercise", "Trainer Note", "Key Points",
                 "Assessment Question", "Answer", "Training Table", "Part Title", "Caption",
                 "Quote", "List Bullet", "List Number", "Title", "Subtitle", "Body Text"):
        assert name in names, name
    assert len(document.element.body) == 1  # only the section properties
    assert document.sections[0].page_width == docx.shared.Twips(11906)  # A4
