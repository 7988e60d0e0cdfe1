"""Issue 15: a module without a translation keeps its own language in every format.

On the shipped manual's Arabic edition (North Africa), in a copy whose modules 3 and 11
have no Arabic translation (the shipped manual is being translated in full, so the
fallbacks are made here rather than found): the English fallback modules are
``lang="en" dir="ltr"`` with English region values and labels, open with a notice in
Arabic and are marked in the contents; the Arabic modules are right to left; the
apparatus stays Arabic.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

NBSP = "\u00a0"

import pytest

from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.schemas import RegionProfile
from trainkit.writers.html.render import render_html

REPOSITORY = Path(__file__).resolve().parents[2]
ARABIC = re.compile("[\u0600-\u06ff]")
DAY = datetime.date(2026, 12, 4)
#: The Arabic translations the copy leaves out, so that these modules fall back to English.
UNTRANSLATED = ("03-routes-and-networks.md", "11-prevention-and-civil-society.md")
_COPY = ("trainkit.yaml", "glossary.yaml", "modules", "regions")


def _manual_copy(root: Path) -> Path:
    """A copy of the shipped manual without the Arabic translations of ``UNTRANSLATED``."""
    root.mkdir(parents=True, exist_ok=True)
    for name in _COPY:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    for name in UNTRANSLATED:
        (root / "modules" / "ar" / name).unlink(missing_ok=True)
    return root


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _manual_copy(tmp_path_factory.mktemp("manual") / "manual")


def _arabic_edition(root: Path) -> AssembledEdition:
    validation = validate_project(root, use_cache=False)
    assert validation.ok, validation.diagnostics
    return assemble(validation.valid(), EditionRequest("north-africa", "trainer", language="ar"),
                    today=DAY)


def _page(edition: AssembledEdition) -> Any:
    import lxml.html

    return lxml.html.fromstring(render_html(edition, "screen", lambda src: src))


def _arabic_region_values() -> list[str]:
    from trainkit.loading.strict_yaml import load

    text = (REPOSITORY / "regions" / "north-africa.yaml").read_text(encoding="utf-8")
    loaded = load(text, first_line=1, max_bytes=256 * 1024)
    region = RegionProfile.model_validate(loaded.value)
    words = region.localized["ar"]
    assert words.name is not None and words.countries is not None
    return [words.name, *words.countries, *words.variables.values()]


@pytest.fixture(scope="module")
def edition(manual: Path) -> AssembledEdition:
    return _arabic_edition(manual)


def test_modules_know_their_language(edition: AssembledEdition, manual: Path) -> None:
    languages = {m.meta.id: (m.language, m.fallback) for m in edition.modules}
    assert languages["introduction"] == ("ar", False)
    assert languages["legal-framework"] == ("ar", False)
    assert languages["routes-and-networks"] == ("en", True)
    # Counted from the files, so adding an Arabic translation does not break the test.
    translated = len(list((manual / "modules" / "ar").rglob("*.md")))
    assert sum(fallback for _, fallback in languages.values()) == len(languages) - translated


def test_fallback_articles_are_english_left_to_right(edition: AssembledEdition) -> None:
    page = _page(edition)
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    for module in edition.modules:
        article = page.xpath(f"//article[@id='{module.anchor}']")[0]
        expected = ("en", "ltr") if module.fallback else ("ar", "rtl")
        assert (article.get("lang"), article.get("dir")) == expected, module.meta.id


def test_english_paragraphs_hold_no_arabic_region_values(edition: AssembledEdition) -> None:
    page = _page(edition)
    values = _arabic_region_values()
    english = " ".join(node.text_content()
                       for node in page.xpath("//article[@lang='en']//*[self::p or self::li or "
                                              "self::td]"
                                              "[not(ancestor-or-self::*[@class='fallback-notice'])]"))
    assert "the Central Mediterranean route from Libya" in " ".join(english.split())
    assert not [value for value in values if value in english]
    assert "Algeria, Egypt, Libya, Morocco and Tunisia" in english


def test_fallback_labels_notice_and_contents_mark(edition: AssembledEdition) -> None:
    page = _page(edition)
    article = page.xpath("//article[@id='module-routes-and-networks']")[0]
    notice = article.xpath("./p[@class='fallback-notice']")[0]
    assert (notice.get("lang"), notice.get("dir")) == ("ar", "rtl")
    assert notice.text_content() == ("هذه الوحدة غير متاحة باللغة العربية بعد؛ وفيما يلي النص "
                                     "باللغة الإنجليزية.")
    labels = [p.text_content() for p in article.xpath(".//p[@class='block-label']")]
    assert "Trainer note" in labels and not any(ARABIC.search(label) for label in labels)
    assert article.xpath(".//p[@class='module-number']")[0].text_content() == f"Module{NBSP}3"
    facts = [dt.text_content() for dt in article.xpath(".//dl[@class='module-facts']/dt")]
    assert facts[:2] == ["Duration", "Audiences"]
    prerequisites = article.xpath(".//dl[@class='module-facts']/dd")[2].text_content()
    assert prerequisites.startswith(f"Module{NBSP}1: Introduction") and not ARABIC.search(
        prerequisites)
    arabic = page.xpath("//article[@id='module-introduction']")[0]
    assert not arabic.xpath(".//p[@class='fallback-notice']")
    toc = {li.xpath("./a")[0].text_content(): "toc-fallback" in li.get("class")
           for li in page.xpath("//li[contains(@class, 'toc-module')]")}
    assert toc[f"الوحدة{NBSP}3: Routes, methods and criminal networks (باللغة الإنجليزية)"]
    assert not toc[f"الوحدة{NBSP}2: الإطار القانوني الدولي"]


def test_apparatus_stays_in_the_edition_language(edition: AssembledEdition) -> None:
    page = _page(edition)
    article = page.xpath("//article[@id='module-routes-and-networks']")[0]
    title = article.xpath(".//h1[@class='module-title']")[0]
    assert title.get("data-bookmark") == f"الوحدة{NBSP}3: Routes, methods and criminal networks"
    cover = page.xpath("//section[@class='cover']")[0].text_content()
    assert "4 ديسمبر 2026" in cover
    index = page.xpath("//section[@id='legal-index']")[0].text_content()
    assert f"الوحدة{NBSP}1، الوحدة" in index and ", الوحدة" not in index


def test_audiences_are_not_capitalised_mid_list(edition: AssembledEdition) -> None:
    page = _page(edition)
    article = page.xpath("//article[@id='module-routes-and-networks']")[0]
    audiences = article.xpath(".//dl[@class='module-facts']/dd")[1].text_content()
    assert audiences.startswith("Law enforcement officers, border guards, ")
    assert "Prosecutors" not in audiences and "prosecutors" in audiences
    arabic = page.xpath("//article[@id='module-introduction']")[0]
    assert "، " in arabic.xpath(".//dl[@class='module-facts']/dd")[1].text_content()


def _eastern_manual(root: Path) -> Path:
    """A copy of the shipped manual whose North Africa editions in Arabic use ٠-٩."""
    shutil.copytree(REPOSITORY, root, ignore=shutil.ignore_patterns(
        ".trainkit-cache", ".git", ".venv", "dist", "tests", "benchmarks", "tools", "src"))
    region = root / "regions" / "north-africa.yaml"
    text = region.read_text(encoding="utf-8")
    region.write_text(text.replace("  ar:\n    name: شمال أفريقيا\n",
                                   "  ar:\n    digits: eastern\n    name: شمال أفريقيا\n"),
                      encoding="utf-8")
    return root


def test_eastern_digits_on_request(tmp_path: Path) -> None:
    root = _eastern_manual(tmp_path / "manual")
    edition = _arabic_edition(root)
    assert edition.digits == "eastern"
    page = _page(edition)
    assert "٤ ديسمبر ٢٠٢٦" in page.xpath("//section[@class='cover']")[0].text_content()
    assert page.xpath("//article[@id='module-legal-framework']//p[@class='module-number']"
                      )[0].text_content() == f"الوحدة{NBSP}٢"
    fallback = page.xpath("//article[@id='module-routes-and-networks']")[0]
    assert fallback.xpath(".//p[@class='module-number']")[0].text_content() == f"Module{NBSP}3"


def test_default_digits_are_western(edition: AssembledEdition) -> None:
    assert edition.digits == "western"
    assert edition.numeral(12) == "12"


# -- PDF and DOCX ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, manual: Path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("fallback")
    result = build_edition(manual, BuildOptions(
        region="north-africa", language="ar", formats=("pdf", "docx"), out_dir=out))
    assert result.ok, result.failures
    return {item.format: item.path for item in result.files}


FIRST_PARAGRAPH = ("Many smuggling cases end with the conviction of whoever was caught at the "
                   "wheel or the tiller, while those who recruited the migrants, collected the "
                   "money and arranged the crossing carry on. Breaking that pattern starts with "
                   "understanding how smuggling is organised.")


@pytest.mark.slow
def test_pdf_fallback_paragraph_reads_in_logical_order(built: dict[str, Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built["pdf"]), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    flat = " ".join(text.split())
    assert FIRST_PARAGRAPH in flat
    assert "هذه الوحدة غير متاحة" in flat


@pytest.mark.slow
def test_pdf_page_labels_and_running_heads(built: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built["pdf"])
    labels = reader.page_labels
    assert "ملحق\u20131" in labels and not any(label.startswith("A\u2013") for label in labels)
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages[-3:]
             for font in page["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert any("Amiri" in name for name in fonts)


@pytest.mark.slow
def test_pdf_annex_folio_is_shaped_and_reads_right_to_left(built: dict[str, Path]) -> None:
    """The stamped "ملحق–7" is drawn with the glyphs WeasyPrint shaped for the word, the
    word at the right of its number (a character at a time, it was drawn left to right:
    pypdf read "–قحلم7"); the contents print the back matter's labels the same way."""
    from pypdf import PdfReader

    reader = PdfReader(built["pdf"])
    back = [label.split("\u2013") for label in reader.page_labels if "\u2013" in label
            and label.startswith("ملحق")]
    word, number = back[-1]
    assert word == "ملحق"
    assert reader.pages[-1].extract_text().rstrip().endswith(f"{number}\u2013{word}")
    # The contents give each back matter section's first page (the last section, the
    # national law annex, runs over several pages).
    contents = " ".join(page.extract_text() for page in reader.pages[2:8])
    assert [n for _, n in back if f"{n}\u2013{word}" in contents]


@pytest.mark.slow
def test_pdf_contents_sections_of_fallback_modules_read_left_to_right(
        built: dict[str, Path]) -> None:
    """English section titles in the Arabic contents are isolated in their language:
    before, "12.1 Why prevention is also a justice task" came out "task Why ... 12.1"."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-l", "8", str(built["pdf"]), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    assert "12.1 Why prevention is also a justice task" in text
    assert "task Why prevention" not in text


@pytest.mark.slow
def test_docx_paragraph_direction_follows_the_module(built: dict[str, Path],
                                                    manual: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(built["docx"]))

    def right_to_left(paragraph: Any) -> bool:
        properties = paragraph._p.pPr
        found = properties.find(qn("w:bidi")) if properties is not None else None
        return found is not None and found.get(qn("w:val"), "1") not in ("0", "false")

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    summary = next(i for i, p in enumerate(paragraphs)
                   if p.text.startswith("How smuggling routes form"))
    first = next(i for i, p in enumerate(paragraphs) if p.text.startswith(FIRST_PARAGRAPH[:40]))
    english = paragraphs[summary:first + 5]
    assert len(english) > 10 and paragraphs[summary - 1].text.startswith("هذه الوحدة")
    assert not any(right_to_left(p) for p in english)
    assert not any(r._r.rPr is not None and r._r.rPr.find(qn("w:rtl")) is not None
                   for p in english if not ARABIC.search(p.text) for r in p.runs)
    arabic = [p for p in paragraphs if p.text.startswith("تبدأ معظم قضايا التهريب")]
    assert arabic and all(right_to_left(p) for p in arabic)
    from lxml import etree

    notes = etree.fromstring(document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes").blob)
    english_notes = [note for note in notes
                     if "Profiles should be written down" in "".join(note.itertext())]
    bidi = [found.get(qn("w:val"), "1") for note in english_notes
            for found in note.iter(qn("w:bidi"))]
    assert english_notes and bidi and set(bidi) == {"0"}
    notice = [p for p in paragraphs if p.text.startswith("هذه الوحدة غير متاحة")]
    assert len(notice) == sum(m.fallback for m in _arabic_edition(manual).modules)
    assert all(right_to_left(p) for p in notice)


def test_a_fallback_module_handout_keeps_its_language(tmp_path: Path, manual: Path) -> None:
    import lxml.html

    from trainkit.commands.handout import HandoutOptions, build_handouts

    result = build_handouts(manual, HandoutOptions(
        modules=("routes-and-networks",), region="north-africa", formats=("html",),
        out_dir=tmp_path, language="ar"))
    assert not result.failures
    page = lxml.html.fromstring(result.files[0].path.read_bytes())
    article = page.xpath("//article")[0]
    assert (article.get("lang"), article.get("dir")) == ("en", "ltr")
    assert article.xpath("./p[@class='fallback-notice']")[0].get("lang") == "ar"
    assert article.xpath(".//p[@class='module-number']")[0].text_content() == f"Module{NBSP}3"


@pytest.mark.slow
def test_eastern_digits_in_pdf_page_labels(tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = _eastern_manual(tmp_path / "manual")
    result = build_edition(root, BuildOptions(region="north-africa", language="ar",
                                              formats=("pdf",), out_dir=root / "out"))
    assert result.ok, result.failures
    reader = PdfReader(result.files[0].path)
    labels = reader.page_labels
    assert "١\u2013١" in labels and "١٢\u2013١" in labels and "ملحق\u2013١" in labels
    assert not any(ch in "0123456789" for label in labels[5:] for ch in label)
    first = labels.index("١\u2013١")
    assert "١" in reader.pages[first].extract_text()
