"""Multilingual editions: catalogues, translations, drift, terminology, right-to-left output."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from trainkit.assembly.edition import assemble
from trainkit.model.edition import EditionRequest
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.errors import ContentError
from trainkit.labels import catalogue_languages, format_date, format_minutes, labels
from trainkit.checks.validate import validate_project

REPOSITORY = Path(__file__).resolve().parents[2]
ARABIC = re.compile("[\u0600-\u06ff]")


def _findings(root: Path) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.code, d.message)
            for d in validate_project(root, use_cache=False).diagnostics]


# -- catalogues -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_catalogue_is_complete(language: str) -> None:
    english, catalogue = labels("en"), labels(language)
    assert set(catalogue) == set(english)
    assert all(value.strip() for value in catalogue.values())


def test_arabic_catalogue_has_no_english_words() -> None:
    for key, value in labels("ar").items():
        words = re.sub(r"\{\w+\}", "", value)
        if key == "title-separator":  # punctuation only
            continue
        assert ARABIC.search(words), f"{key}: {value!r} has no Arabic"


def test_french_catalogue_is_translated() -> None:
    same = [key for key, value in labels("fr").items() if value == labels("en")[key]]
    assert set(same) <= {"module", "page", "question", "version", "date", "instrument",
                         "article", "total", "notes", "hours-minutes", "hours", "minutes",
                         "back-prefix", "page-ref", "law-sources", "points", "test-paper"}


def test_catalogues_shipped() -> None:
    assert {"en", "fr", "ar"} <= set(catalogue_languages())


def test_dates_and_durations_in_each_language() -> None:
    import datetime

    day = datetime.date(2026, 11, 22)
    assert format_date(day, "en") == "22 November 2026"
    assert format_date(day, "fr") == "22 novembre 2026"
    assert format_date(day, "ar") == "22 نوفمبر 2026"
    assert format_minutes(90, "fr") == "1\u00a0h\u00a030\u00a0min"  # never split at a line end
    assert format_minutes(90, "ar") == "1\u00a0س\u00a030\u00a0د"


# -- validation -----------------------------------------------------------------------


def test_translation_drift_is_a_located_warning(tour: Path) -> None:
    second = tour / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace('version: "1.0"',
                                                                 'version: "1.2"'),
                      encoding="utf-8")
    assert _findings(tour) == [(
        "modules/fr/second.md", 3, 17, "TK601",
        "the translation follows version 1.0 of `second`, which is now at version 1.2")]
    strict = validate_project(tour, strict=True, use_cache=False)
    assert not strict.ok


def test_translation_of_an_unknown_module(tour: Path) -> None:
    path = tour / "modules" / "fr" / "second.md"
    path.write_text(path.read_text(encoding="utf-8").replace("translation_of: second",
                                                             "translation_of: secnd"),
                    encoding="utf-8")
    assert _findings(tour) == [("modules/fr/second.md", 2, 17, "TK602",
                                "`secnd` is not the id of a module")]


def test_translation_objectives_must_match_the_source(tour: Path) -> None:
    path = tour / "modules" / "fr" / "second.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - Trouver une section grâce à un renvoi.\n",
        "  - Trouver une section grâce à un renvoi.\n  - Un objectif de trop.\n"),
        encoding="utf-8")
    assert [f[3] for f in _findings(tour)] == ["TK606"]


def test_region_language_must_be_in_the_manifest(tour: Path) -> None:
    region = tour / "regions" / "inland.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace("languages: [en]",
                                                                 "languages: [en, ar]"),
                      encoding="utf-8")
    assert _findings(tour) == [(
        "regions/inland.yaml", 3, 17, "TK603",
        "language `ar` is not one of the manifest's languages (en, fr)")]


def test_avoided_wording_is_a_located_warning(tour: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nThis is Migrant  trafficking.\n"
                     "`migrant trafficking` in code is fine.\n"
                     "So is migrant `x` trafficking, with code between the words.\n",
                     encoding="utf-8")
    translation = tour / "modules" / "fr" / "second.md"
    translation.write_text(translation.read_text(encoding="utf-8")
                           + "\nLa traite des migrants est un faux ami.\n", encoding="utf-8")
    lines = (tour / "modules" / "first.md").read_text(encoding="utf-8").split("\n")
    line = lines.index("This is Migrant  trafficking.") + 1
    french = translation.read_text(encoding="utf-8").split("\n")
    assert _findings(tour) == [
        ("modules/first.md", line, 9, "TK605",
         "`Migrant  trafficking` is a wording to avoid (glossary term `smuggling-of-migrants`)"),
        ("modules/fr/second.md", french.index("La traite des migrants est un faux ami.") + 1, 4,
         "TK605",
         "`traite des migrants` is a wording to avoid (glossary term `smuggling-of-migrants`)"),
    ]


def test_glossary_term_missing_a_language(tour: Path) -> None:
    glossary = tour / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "      fr: trafic illicite de migrants\n", ""), encoding="utf-8")
    assert [f[3:] for f in _findings(tour)] == [
        ("TK607", "term `smuggling-of-migrants` has no wording in fr")]


def test_shipped_manual_has_the_translations_the_issue_asks_for() -> None:
    project = validate_project(REPOSITORY, use_cache=False)  # TK701: unfilled slots warn
    assert project.ok, project.diagnostics
    assert {d.code for d in project.diagnostics} <= {"TK701"}
    languages = [t.language for t in project.project.translations]
    assert languages.count("fr") >= 4 and languages.count("ar") >= 2
    glossary = project.project.glossary_model
    assert glossary is not None
    assert all({"en", "fr", "ar"} <= set(term.term) for term in glossary.terms)


# -- assembly and build ---------------------------------------------------------------


def test_french_edition_uses_translations_labels_and_variables(tour: Path) -> None:
    validation = validate_project(tour, use_cache=False)
    edition = assemble(validation.valid(), EditionRequest("coastal", "trainer", language="fr"))
    assert edition.language == "fr" and edition.direction == "ltr"
    assert edition.manifest.title == "Visite guidée de trainkit"
    assert edition.region_name == "États côtiers"
    assert edition.labels["contents"] == "Table des matières"
    titles = [m.meta.title for m in edition.modules]
    assert titles == ["Everything a module can hold", "Patrolling the Inner Sea",
                      "Un deuxième module"]
    assert [w.code for w in edition.warnings] == ["TK604", "TK604"]
    assert edition.file_stem() == "feature-tour-coastal-trainer-fr"
    assert edition.modules[0].part == "Les bases"
    assert [e.term for e in edition.glossary] == ["trafic illicite de migrants"]


def test_missing_translation_fails_a_strict_build(tour: Path) -> None:
    with pytest.raises(ContentError) as raised:
        build_edition(tour, BuildOptions(region="coastal", language="fr", formats=("html",),
                                         strict=True, out_dir=tour / "out"))
    assert {d.code for d in raised.value.diagnostics} == {"TK604"}
    assert not (tour / "out").exists()


def test_unknown_language_is_a_usage_error(tour: Path) -> None:
    from trainkit.errors import UsageError

    validation = validate_project(tour, use_cache=False)
    with pytest.raises(UsageError, match="unknown language `de`"):
        assemble(validation.valid(), EditionRequest("coastal", "trainer", language="de"))


def test_arabic_html_is_right_to_left(tmp_path: Path) -> None:
    import lxml.html

    result = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", language="ar", formats=("html",), out_dir=tmp_path))
    page = lxml.html.fromstring(result.files[0].path.read_bytes())
    assert page.get("lang") == "ar" and page.get("dir") == "rtl"
    assert "المحتويات" in page.text_content()
    assert "تهريب المهاجرين" in page.xpath("//section[@id='glossary']")[0].text_content()


# -- Arabic PDF and DOCX ----------------------------------------------------------------


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("arabic")
    result = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", language="ar", formats=("pdf", "docx"), out_dir=out))
    assert result.ok, result.failures
    return {built.format: built.path for built in result.files}


def _not_blank(png: Path) -> float:
    from PIL import Image

    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:200])
    return dark / (image.width * image.height)


@pytest.mark.slow
def test_arabic_pdf_declares_language_and_keeps_logical_order(arabic: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(arabic["pdf"])
    assert reader.trailer["/Root"]["/Lang"] == "ar"  # type: ignore[index]
    # the cover, its imprint, the contents, a blank page (printed on both sides), a part
    text = "\n".join(page.extract_text() for page in reader.pages[:12])
    for expected in ("المحتويات", "تهريب المهاجرين والاتجار بالأشخاص", "أهداف التعلم",
                     "ملاحظة للمدرب"):
        assert expected in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages[8:10]
             for font in page["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert any("Amiri" in name for name in fonts)


@pytest.mark.slow
def test_arabic_pdf_page_renders(arabic: dict[str, Path], tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot render the page")
    from pypdf import PdfReader

    # A module's first page (not the contents, which name the back matter's "coverage of
    # the learning objectives" too, beside their dot leaders).
    first = next(i for i, page in enumerate(PdfReader(arabic["pdf"]).pages)
                 if "أهداف التعلم" in (text := page.extract_text()) and "....." not in text) + 1
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(first), "-l", str(first),
                    str(arabic["pdf"]), str(tmp_path / "page")], check=True, timeout=120)
    png = next(tmp_path.glob("page*.png"))
    assert _not_blank(png) > 0.01


@pytest.mark.slow
def test_arabic_docx_is_right_to_left(arabic: dict[str, Path]) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(arabic["docx"]))
    # Paragraphs whose first letter is Arabic; English fallback modules stay left to right
    # (tests/writers/test_fallback_modules.py).
    body = [p for p in document.paragraphs
            if any(ch.isalpha() for ch in p.text)
            and ARABIC.match(next(ch for ch in p.text if ch.isalpha()))]
    assert body and all(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
                        and p._p.pPr.find(qn("w:bidi")).get(qn("w:val"), "1") == "1"
                        for p in body)
    runs = [r for p in body for r in p.runs if ARABIC.search(r.text)]
    assert runs and all(r._r.rPr is not None and r._r.rPr.find(qn("w:rtl")) is not None
                        for r in runs)
    bold_runs = [r for p in document.paragraphs for r in p.runs
                 if r._r.rPr is not None and r._r.rPr.find(qn("w:b")) is not None]
    assert all(r._r.rPr is not None and r._r.rPr.find(qn("w:bCs")) is not None
               for r in bold_runs)
    styles = document.styles.element
    for bold in styles.iter(qn("w:b")):
        assert bold.getparent().find(qn("w:bCs")) is not None
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in document.tables)
    assert all(s._sectPr.find(qn("w:bidi")) is not None for s in document.sections)
    assert document.sections[1].header.paragraphs[0].text.startswith("الوحدة\u00a01:")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ملاحظة للمدرب" in text and "المحتويات" in text
    lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:lang"))
    assert lang.get(qn("w:bidi")) == "ar"


@pytest.mark.slow
def test_arabic_docx_page_renders_in_libreoffice(arabic: dict[str, Path],
                                                 tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice (soffice) or pdftoppm is not installed: cannot render the DOCX")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(arabic["docx"])],
                   check=True, timeout=300, capture_output=True)
    pdf = next(tmp_path.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "6", "-l", "9", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=120)
    assert max(_not_blank(png) for png in tmp_path.glob("page*.png")) > 0.01


def test_missing_arabic_font_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from trainkit import fonts
    from trainkit.errors import RenderError

    fonts.arabic_font.cache_clear()
    monkeypatch.setattr(fonts, "packaged_font_dir", lambda: tmp_path)
    monkeypatch.setattr(fonts, "_system_font", lambda language: None)
    try:
        with pytest.raises(RenderError, match="apt-get install fonts-hosny-amiri"):
            fonts.arabic_font()
    finally:
        fonts.arabic_font.cache_clear()


def test_packaged_arabic_font_is_used() -> None:
    from trainkit import fonts

    font = fonts.arabic_font()
    assert font.family == "Amiri" and font.files["regular"].is_file()
    assert '@font-face { font-family: "Amiri"' in fonts.font_face_css("ar")
    assert fonts.font_face_css("fr") == ""
