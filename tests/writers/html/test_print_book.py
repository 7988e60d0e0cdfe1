"""The print HTML of the book, before WeasyPrint: page references, answer space, imprint,
back matter only with content, abbreviations, the legal index's tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.writers.html.render import render_html, render_template
from trainkit.writers.pdf.edition import asset_url, page_ref

TOUR = Path(__file__).resolve().parents[3] / "examples" / "feature-tour"
NBSP = "\u00a0"


def edition_of(root: Path, edition: str = "trainer", region: str = "coastal") -> AssembledEdition:
    return assemble(validate_project(root, use_cache=False).valid(),
                    EditionRequest(region, edition))


def print_page(edition: AssembledEdition) -> lxml.html.HtmlElement:
    """The edition as the PDF writer renders it: print flavour, pages of references."""
    from trainkit.writers.html.render import template_context

    context = template_context(edition, "print", asset_url, "", page_ref(edition))
    return lxml.html.fromstring(render_template("edition.html.j2", context))


@pytest.fixture()
def tour(tmp_path: Path) -> Path:
    shutil.copytree(TOUR, tmp_path / "tour")
    return tmp_path / "tour"


def set_output(root: Path, *lines: str) -> None:
    manifest = root / "trainkit.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("  out_dir: dist\n", "  out_dir: dist\n" + "".join(
        f"  {line}\n" for line in lines)), encoding="utf-8")


def test_a_reference_to_a_module_start_carries_its_page_in_print(tour: Path) -> None:
    page = print_page(edition_of(tour))
    paragraph = next(p for p in page.xpath("//p") if "The next module is" in p.text_content())
    assert paragraph.text_content().startswith(
        f"The next module is Module{NBSP}3: A second module, page{NBSP}3\u20131; its section on")
    # a section's page is not known before layout: room is left for trainkit to write it
    rooms = paragraph.xpath(".//a[@class='page-ref']")
    assert [(a.get("href"), a.text_content()) for a in rooms] == [
        ("#tk-page:second--evidence", "3\u201300"), ("#tk-page:first--tables-and-figures",
                                                     "1\u201300")]


def test_continuous_numbers_leave_room_for_every_page(tour: Path) -> None:
    set_output(tour, "page_numbers: continuous")
    page = print_page(edition_of(tour))
    rooms = [a.text_content() for a in page.xpath("//a[@class='page-ref']")]
    assert rooms and set(rooms) == {"000"}
    assert "page\u00a03\u20131" not in page.text_content()


def test_screen_html_has_no_page_numbers(tour: Path) -> None:
    edition = edition_of(tour)
    page = lxml.html.fromstring(render_html(edition, "screen", lambda src: src))
    assert not page.xpath("//a[@class='page-ref']") and ", page" not in page.text_content()


def test_questions_leave_ruled_space_in_print_editions_without_answers(tour: Path) -> None:
    participant = print_page(edition_of(tour, "participant"))
    questions = participant.xpath("//section[contains(@class, 'question')]")
    assert questions
    for question in questions:
        assert len(question.xpath("./div[@class='answer-space']/span[@class='answer-line']")) == 4
    trainer = print_page(edition_of(tour, "trainer"))
    assert trainer.xpath("//section[contains(@class, 'question')]")
    assert not trainer.xpath("//div[@class='answer-space']")
    screen = lxml.html.fromstring(render_html(edition_of(tour, "participant"), "screen",
                                              lambda src: src))
    assert not screen.xpath("//div[@class='answer-space']")
    manifest = tour / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "    hide: [trainer-note, answer]\n", "    hide: [trainer-note, answer]\n"
        "    answer_lines: 0\n"), encoding="utf-8")
    assert not print_page(edition_of(tour, "participant")).xpath("//div[@class='answer-space']")


def test_the_imprint_is_on_the_back_of_the_cover(tour: Path) -> None:
    manifest = tour / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'version: "1.0"\n', 'version: "1.0"\ncopyright: "\u00a9 2026 trainkit examples"\n'
        "licence: Licensed under CC BY 4.0\ndisclaimer: It's not an official publication.\n"),
        encoding="utf-8")
    page = print_page(edition_of(tour))
    cover, imprint = page.xpath("//body/section")[:2]
    assert cover.get("class") == "cover" and imprint.get("class") == "imprint"
    lines = [p.text_content() for p in imprint.xpath(".//p")]
    assert lines[0] == "Feature Tour of trainkit"
    assert lines[2] == "Trainer\u2019s manual \u00b7 Coastal States"
    assert lines[3].startswith("Version: 1.0 \u00b7 ")
    assert lines[-3:] == ["\u00a9 2026 trainkit examples", "Licensed under CC BY 4.0",
                          "It\u2019s not an official publication."]


def test_the_legal_index_is_a_table_per_instrument_with_pages(tour: Path) -> None:
    page = print_page(edition_of(tour))
    tables = page.xpath("//section[@id='legal-index']//table")
    assert [t.xpath("./thead/tr[1]/th")[0].text_content() for t in tables] == [
        "Protocol against the Smuggling of Migrants by Land, Sea and Air (2000)",
        "United Nations Convention against Transnational Organized Crime (2000)"]
    # the header rows repeat at the top of every page the table runs over
    assert all(len(t.xpath("./thead/tr")) == 2 for t in tables)
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in tables[0].xpath(".//tbody/tr")]
    assert rows == [["3", f"Module{NBSP}1, page{NBSP}1\u20131"],
                    ["6(3)", f"Module{NBSP}1, page{NBSP}1\u20131"]]


def test_back_matter_without_content_is_left_out(tour: Path) -> None:
    for name in ("first.md", "second.md"):
        path = tour / "modules" / name
        text = path.read_text(encoding="utf-8")
        start = text.index("legal_references:")
        end = text.index("authors:")
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    page = print_page(edition_of(tour))
    assert not page.xpath("//*[@id='legal-index']")
    assert "Index of legal instruments" not in page.text_content()
    assert not page.xpath("//*[@id='abbreviations']")  # the tour's glossary has none
    assert page.xpath("//*[@id='durations']") and page.xpath("//*[@id='glossary']")


def test_abbreviations_the_text_uses_are_listed(tour: Path) -> None:
    glossary = tour / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "  - id: untoc\n"
        "    term: {en: United Nations Convention against Transnational Organized Crime}\n"
        "    abbreviation: {en: UNTOC}\n"
        "  - id: mla\n"
        "    term: {en: mutual legal assistance}\n"
        "    abbreviation: {en: MLA}\n"
        "  - id: fiu\n"
        "    term: {en: financial intelligence unit}\n"
        "    abbreviation: {en: FIU}\n"), encoding="utf-8")
    second = tour / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + (
        "\nThe UNTOC applies. `FIU` in code does not count, nor does MLAT.\n"),
        encoding="utf-8")
    edition = edition_of(tour)
    assert [(a.abbreviation, a.term) for a in edition.abbreviations] == [
        ("UNTOC", "United Nations Convention against Transnational Organized Crime")]
    page = print_page(edition)
    rows = page.xpath("//section[@id='abbreviations']//tr")
    assert [[cell.text_content() for cell in row] for row in rows] == [
        ["UNTOC", "United Nations Convention against Transnational Organized Crime"]]
    assert [e.term for e in edition.glossary] == ["smuggling of migrants"]  # no definitions
    toc = [li.text_content().strip() for li in page.xpath("//li[@class='toc-back']")]
    assert toc == ["Index of legal instruments", "Abbreviations", "Module durations",
                   "Glossary"]
