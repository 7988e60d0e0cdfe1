"""The national law annex: tables per country, in the edition's words; HTML, DOCX and PDF."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
import lxml.html
import pytest
from pypdf import PdfReader

from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.model.formats import OutputFormat

TOUR = Path(__file__).resolve().parents[2] / "examples" / "feature-tour"
LAW_FILE = "regions/coastal/national-law.yaml"
PROFILES = """\
countries:
  - country: Lemuria
    last_checked: 2026-12-05
    smuggling_offence: Law No. 7 of 2020 on migrant smuggling, arts 2-4.
    penalty: Three to ten years' imprisonment.
    localized:
      fr:
        smuggling_offence: "Loi n° 7 de 2020 sur le trafic illicite de migrants, art. 2 à 4 : l'infraction."
    sources:
      - https://example.org/lemuria-law-7
  - country: Atlantis
    last_checked: 2026-11-30
    untoc: Party (ratified 1 March 2004)
    sources: [https://example.org/atlantis, https://example.org/atlantis-gazette]
"""
#: Lemuria's French offence as printed: French typography (no-break spaces, apostrophe).
FR_OFFENCE = ("Loi n°\u00a07 de 2020 sur le trafic illicite de migrants, art.\u00a02 à 4"
              "\u00a0: l\u2019infraction.")
LABELS = ["Offence", "Penalty", "Aggravating circumstances", "Migrants penalised?", "UNTOC",
          "Smuggling Protocol", "Central authority", "Specialised units", "Notes", "Sources"]


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tour-law")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    (root / LAW_FILE).write_text(PROFILES, encoding="utf-8")
    return root


def _edition(root: Path, region: str, language: str | None = None) -> AssembledEdition:
    validation = validate_project(root, use_cache=False)
    assert validation.ok, validation.diagnostics
    return assemble(validation.valid(), EditionRequest(region, "trainer", language=language))


def _build(root: Path, region: str, fmt: OutputFormat, language: str | None = None) -> Path:
    result = build_edition(root, BuildOptions(
        region=region, edition="trainer", formats=(fmt,), out_dir=root / "out",
        language=language))
    assert result.ok, result.failures
    return result.files[0].path


# -- assembly ---------------------------------------------------------------------------


def test_a_table_per_country_in_the_regions_order(tour: Path) -> None:
    edition = _edition(tour, "coastal")
    assert [t.country for t in edition.national_law] == ["Atlantis", "Lemuria"]
    atlantis, lemuria = edition.national_law
    assert atlantis.checked == "Last checked: 30 November 2026"
    assert [row.label for row in atlantis.rows] == LABELS
    rows = {row.label: row for row in atlantis.rows}
    assert rows["UNTOC"].text == "Party (ratified 1 March 2004)" and rows["UNTOC"].verified
    assert rows["Penalty"].text == "not verified" and not rows["Penalty"].verified
    assert rows["Sources"].links == ("https://example.org/atlantis",
                                     "https://example.org/atlantis-gazette")
    penalty = {row.label: row for row in lemuria.rows}["Penalty"]
    assert penalty.text == "Three to ten years\u2019 imprisonment."  # English typography


def test_labels_dates_and_country_names_in_the_editions_language(tour: Path) -> None:
    atlantis, lemuria = _edition(tour, "coastal", "fr").national_law
    assert (atlantis.country, lemuria.country) == ("Atlantide", "Lémurie")
    assert atlantis.checked == "Dernière vérification\u00a0: 30 novembre 2026"
    rows = {row.label: row for row in atlantis.rows}
    assert rows["Peine"].text == "non vérifié"
    assert rows["Convention contre la criminalité organisée"].text == (
        "Party (ratified 1 March 2004)")
    assert rows["Convention contre la criminalité organisée"].language == "en"


def test_a_translated_field_prints_in_the_editions_language(tour: Path) -> None:
    _, lemuria = _edition(tour, "coastal", "fr").national_law
    rows = {row.label: row for row in lemuria.rows}
    offence, penalty = rows["Infraction"], rows["Peine"]
    assert offence.text == FR_OFFENCE
    assert offence.language == "fr"
    assert (penalty.text, penalty.language) == ("Three to ten years\u2019 imprisonment.", "en")
    english = {row.label: row for row in _edition(tour, "coastal").national_law[1].rows}
    assert english["Offence"].text == "Law No.\u00a07 of 2020 on migrant smuggling, arts 2-4."


def test_a_country_edition_prints_its_own_country_from_the_parents_file(tour: Path) -> None:
    assert [t.country for t in _edition(tour, "lemuria").national_law] == ["Lemuria"]


def test_no_annex_for_a_region_without_the_file(tour: Path) -> None:
    assert _edition(tour, "inland").national_law == ()


# -- writers ----------------------------------------------------------------------------


def _rows(table: Any) -> list[list[str]]:
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
            for row in table.xpath(".//tr")]


def test_html_annex_after_the_back_matter_and_in_the_contents(tour: Path) -> None:
    page = lxml.html.fromstring(_build(tour, "coastal", "html").read_bytes())
    sections = [s.get("id") for s in page.xpath("//section[contains(@class, 'back-matter')]")]
    assert sections[-1] == "national-law"
    assert page.xpath("//nav//a[@href='#national-law']")[0].text_content() == "National law"
    annex = page.xpath("//section[@id='national-law']")[0]
    assert annex.xpath("h1")[0].text_content() == "National law"
    tables = annex.xpath("table")
    assert len(tables) == 2
    rows = _rows(tables[1])
    assert rows[:4] == [["Lemuria"], ["Last checked: 5 December 2026"],
                        ["Offence", "Law No. 7 of 2020 on migrant smuggling, arts 2-4."],
                        ["Penalty", "Three to ten years\u2019 imprisonment."]]
    assert rows[4] == ["Aggravating circumstances", "not verified"]
    assert [a.get("href") for a in tables[0].xpath(".//td[@class='law-sources']/a")] == [
        "https://example.org/atlantis", "https://example.org/atlantis-gazette"]


def test_html_annex_in_french_marks_the_english_text(tour: Path) -> None:
    page = lxml.html.fromstring(_build(tour, "coastal", "html", "fr").read_bytes())
    annex = page.xpath("//section[@id='national-law']")[0]
    assert annex.xpath("h1")[0].text_content() == "Droit national"
    cell = annex.xpath(".//tr[th='Peine']/td")[1]
    assert cell.get("lang") == "en" and cell.get("dir") == "ltr"
    offence = annex.xpath(".//tr[th='Infraction']/td")[1]  # Lemuria's, translated
    assert offence.get("lang") is None and offence.get("dir") is None
    assert offence.text_content() == FR_OFFENCE


def test_docx_annex_with_heading_bookmark_and_tables(tour: Path) -> None:
    document = docx.Document(str(_build(tour, "coastal", "docx")))
    headings = [p for p in document.paragraphs if p.style is not None
                and p.style.name == "Heading 1"]
    assert headings[-1].text == "National law"
    assert any(b.get(qn("w:name")) == "national_law" for b in
               headings[-1]._p.iter(qn("w:bookmarkStart")))
    tables = document.tables[-2:]
    atlantis = [[cell.text for cell in row.cells] for row in tables[0].rows]
    assert atlantis[0][0] == "Atlantis"
    assert atlantis[1][0] == "Last checked: 30 November 2026"
    assert [row[0] for row in atlantis[2:]] == LABELS
    assert atlantis[6] == ["UNTOC", "Party (ratified 1 March 2004)"]
    assert atlantis[3] == ["Penalty", "not verified"]
    assert atlantis[-1][1] == ("https://example.org/atlantis\n"
                               "https://example.org/atlantis-gazette")
    lemuria = [[cell.text for cell in row.cells] for row in tables[1].rows]
    assert lemuria[0][0] == "Lemuria"
    assert lemuria[3] == ["Penalty", "Three to ten years\u2019 imprisonment."]


def test_docx_annex_in_french_prints_the_translation(tour: Path) -> None:
    document = docx.Document(str(_build(tour, "coastal", "docx", "fr")))
    lemuria = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    assert lemuria[0][0] == "Lémurie"
    assert lemuria[2] == ["Infraction", FR_OFFENCE]
    assert lemuria[3] == ["Peine", "Three to ten years\u2019 imprisonment."]


@pytest.mark.slow
def test_pdf_annex_has_a_bookmark_and_the_tables(tour: Path) -> None:
    reader = PdfReader(_build(tour, "coastal", "pdf"))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[-1] == "National law"
    last = reader.outline[-1]
    assert not isinstance(last, list)
    page = reader.get_destination_page_number(last)
    assert page is not None
    text = " ".join(" ".join(reader.pages[number].extract_text()
                              for number in range(page, len(reader.pages))).split())
    for expected in ("National law", "Atlantis", "Last checked: 30 November 2026",
                     "Lemuria", "Three to ten years", "Smuggling Protocol", "not verified",
                     "https://example.org/lemuria-law-7"):
        assert expected in text
