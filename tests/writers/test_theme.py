"""The manifest's theme in every output: read back from the HTML, the PDF and the DOCX.

The fixture is a copy of ``examples/themed`` (a PNG logo and cover picture, block and
heading colours, a heading font shipped as a file, an extra stylesheet).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor

from trainkit.checks.validate import require_valid
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.commands.build_record import InputDigests
from trainkit.model.formats import OutputFormat

from .docx.reading import shown_texts

REPOSITORY = Path(__file__).resolve().parents[2]
THEMED = REPOSITORY / "examples" / "themed"


@pytest.fixture()
def themed(tmp_path: Path) -> Path:
    root = tmp_path / "themed"
    shutil.copytree(THEMED, root)
    return root


def build(root: Path, fmt: OutputFormat, **options: object) -> Path:
    result = build_edition(root, BuildOptions(formats=(fmt,), out_dir=root / "dist",
                                              **options))  # type: ignore[arg-type]
    assert result.ok, result.failures
    return result.files[0].path


def set_theme(root: Path, old: str, new: str) -> None:
    manifest = root / "trainkit.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(old) == 1
    manifest.write_text(text.replace(old, new), encoding="utf-8")


# -- HTML ---------------------------------------------------------------------------------


def test_html_carries_the_theme_after_the_built_in_css(themed: Path) -> None:
    html = build(themed, "html").read_text(encoding="utf-8")
    css = html[html.index("<style>"):html.index("</style>")]
    builtin = css.index("--case-rule: #1f5f8b")  # base.css's own value comes first
    theme = css.index(":root { --accent: #006d77;")
    assert builtin < theme
    assert "--case-rule: #1d4e89; --case: #edf1f6;" in css  # the rule and its 8% tint
    assert "--trainer-rule: #e26a4a;" in css and "--keys-rule: #7b2cbf;" in css
    assert re.search(r"h1, h2, h3, h4, \.cover-title[^{]*\{ color: #006d77; \}", css)
    assert '@font-face { font-family: "Amiri"; font-weight: normal; ' \
           'src: url("data:font/ttf;base64,' in css
    # the extra stylesheet is the very last thing
    assert css.rstrip().endswith("font-size: 0.85em; }")
    assert css.index(".block-label { text-transform: uppercase;") > theme
    logos = re.findall(r'<img class="(cover|imprint)-logo" src="data:image/png;base64,', html)
    assert logos == ["cover", "imprint"]
    assert '<img class="cover-image" src="data:image/png;base64,' in html


def test_an_empty_theme_changes_nothing(themed: Path) -> None:
    text = (themed / "trainkit.yaml").read_text(encoding="utf-8")
    (themed / "trainkit.yaml").write_text(text[:text.index("\ntheme:\n")], encoding="utf-8")
    html = build(themed, "html").read_text(encoding="utf-8")
    assert "theme files" not in html and "cover-logo" not in html and "@font-face" not in html


def test_a_stylesheet_cannot_close_the_style_element(themed: Path) -> None:
    (themed / "theme" / "extra.css").write_text(
        '.x::after { content: "</style><script>alert(1)</script>"; }\n', encoding="utf-8")
    html = build(themed, "html").read_text(encoding="utf-8")
    assert html.count("</style>") == 1 and '"<\\/style><script>' in html


# -- PDF ----------------------------------------------------------------------------------


def _images_drawn(page: object) -> list[str]:
    """The image XObjects the page's content draws (a page's resources may list more:
    the pieces of one book share them)."""
    resources = page["/Resources"]  # type: ignore[index]
    objects = resources.get("/XObject") or {}
    images = {name[1:] for name, ref in objects.items()
              if ref.get_object().get("/Subtype") == "/Image"}
    data = page.get_contents().get_data()  # type: ignore[attr-defined]
    return [name for name in re.findall(r"/(\S+) Do", data.decode("latin-1"))
            if name in images]


def _fonts(reader: object) -> set[str]:
    found: set[str] = set()
    for page in reader.pages:  # type: ignore[attr-defined]
        fonts = page["/Resources"].get("/Font") or {}
        for ref in fonts.values():
            found.add(str(ref.get_object()["/BaseFont"]))
    return found


@pytest.mark.slow
def test_pdf_cover_has_the_logo_and_the_theme_font_is_embedded(themed: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(build(themed, "pdf", writer_jobs=1))
    assert len(_images_drawn(reader.pages[0])) == 2  # the logo and the cover picture
    assert len(_images_drawn(reader.pages[1])) == 1  # the imprint's logo
    fonts = _fonts(reader)
    assert any(re.fullmatch(r"/[A-Z]{6}\+Amiri", name) for name in fonts), fonts
    text = reader.pages[0].extract_text()
    assert "Quayside Safety Induction" in text


@pytest.mark.slow
def test_pdf_without_a_logo_has_no_cover_image(themed: Path) -> None:
    from pypdf import PdfReader

    set_theme(themed, "  logo: images/logo.png ", "  # no logo ")
    set_theme(themed, "  cover_image: images/harbour.png ", "  # no picture ")
    reader = PdfReader(build(themed, "pdf", writer_jobs=1))
    assert _images_drawn(reader.pages[0]) == []


# -- DOCX ---------------------------------------------------------------------------------


def _first_section_pictures(document: docx.document.Document) -> int:
    """Inline pictures before the end of the first section (the title page and contents)."""
    count = 0
    for paragraph in document.element.body.iterchildren(qn("w:p")):
        count += len(paragraph.findall(f".//{qn('wp:inline')}"))
        if paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    return count


def _border(document: docx.document.Document, style: str, side: str) -> str:
    element = document.styles[style].element
    border = element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn(f'w:{side}')}")
    assert border is not None
    return str(border.get(qn("w:color")))


def test_docx_takes_the_theme(themed: Path) -> None:
    document = docx.Document(str(build(themed, "docx")))
    assert _first_section_pictures(document) == 2  # logo and cover picture
    first = document.paragraphs[0]._p
    assert first.find(f".//{qn('wp:inline')}") is not None  # the logo opens the title page
    docpr = first.find(f".//{qn('wp:docPr')}")
    assert docpr is not None and docpr.get("descr") == "Harbour Safety Academy"
    for level in (1, 2, 3):
        assert document.styles[f"Heading {level}"].font.color.rgb == RGBColor(0x00, 0x6D, 0x77)
    assert document.styles["Title"].font.color.rgb == RGBColor(0x00, 0x6D, 0x77)
    assert document.styles["Case Study Title"].font.color.rgb == RGBColor(0x1D, 0x4E, 0x89)
    assert _border(document, "Case Study", "left") == "1D4E89"
    assert _border(document, "Case Study", "top") == "EDF1F6"  # drawn in the shading's tint
    shading = document.styles["Case Study"].element.find(f"{qn('w:pPr')}/{qn('w:shd')}")
    assert shading is not None and shading.get(qn("w:fill")) == "EDF1F6"
    assert _border(document, "Answer", "top") == "2A9D8F"  # answers stay white, dashed
    assert _border(document, "Heading 1", "bottom") == "006D77"  # the accent's rules
    assert _border(document, "Objectives Title", "top") == "006D77"
    assert document.styles["Heading 1"].font.name == "Amiri"
    assert document.styles["Normal"].font.name == "Georgia"  # no body font in the theme
    fonts = [rel for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")]
    entries = fonts[0].target_part.blob.decode("utf-8")
    assert 'w:name="Amiri"' in entries and "w:embedRegular" in entries


def test_docx_with_a_reference_keeps_the_template_styles(themed: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    docx.Document().save(str(reference))
    document = docx.Document(str(build(themed, "docx", reference_docx=reference)))
    assert document.styles["Heading 1"].font.color.rgb != RGBColor(0x00, 0x6D, 0x77)
    assert document.styles["Heading 1"].font.name != "Amiri"
    assert _first_section_pictures(document) == 2  # the logo still opens the title page


# -- inputs of incremental builds -----------------------------------------------------------


def test_the_theme_files_are_inputs_of_every_output(themed: Path) -> None:
    before = InputDigests(require_valid(themed)).digest("default", {})
    files = InputDigests(require_valid(themed)).input_files("default")
    assert {"images/logo.png", "images/harbour.png", "fonts/Amiri-Regular.ttf",
            "theme/extra.css"} <= set(files)
    with (themed / "theme" / "extra.css").open("a", encoding="utf-8") as css:
        css.write("p { color: black; }\n")
    assert InputDigests(require_valid(themed)).digest("default", {}) != before


def test_the_fetcher_serves_theme_fonts_only_from_the_project(themed: Path) -> None:
    from trainkit.loading.resolver import ProjectResolver
    from trainkit.writers.pdf.pieces import project_fetcher

    fetch: Callable[[str], object] = project_fetcher(ProjectResolver(themed)).fetch
    served = fetch("trainkit:project-font/fonts/Amiri-Regular.ttf")
    assert served.headers["Content-Type"] == "font/ttf"  # type: ignore[attr-defined]
    for url in ("trainkit:project-font/../outside.ttf", "trainkit:project-font/images/logo.png",
                "trainkit:project-font//etc/fonts/x.ttf"):
        with pytest.raises(ValueError):
            fetch(url)


# -- DOCX labels in the edition's language (issue 14) -----------------------------------------

FRENCH_QUAYSIDE = """\
---
translation_of: quayside
source_version: "1.0"
title: Travailler sur le quai
summary: Les dangers d'un quai en activité.
learning_objectives:
  - Nommer les dangers d'un quai.
  - Emprunter les passages balisés.
status: approved
---

## Le quai, un lieu de travail

Un quai mêle véhicules, charges suspendues et amarres sous tension.

::: case-study Le raccourci (fictif)
Un matelot traverse derrière un chariot élévateur qui recule.
:::

::: exercise Repérer les dangers
Parcourez une section du quai avec un plan du site.
:::
"""


def test_french_docx_says_what_the_french_html_says(themed: Path) -> None:
    set_theme(themed, "audiences:\n", "languages: [fr]\naudiences:\n")
    (themed / "modules" / "fr").mkdir()
    (themed / "modules" / "fr" / "01-quayside.md").write_text(FRENCH_QUAYSIDE,
                                                              encoding="utf-8")
    html = build(themed, "html", language="fr").read_text(encoding="utf-8")
    document = docx.Document(str(build(themed, "docx", language="fr")))
    shown = dict((text, style) for style, text in shown_texts(document))
    case, exercise = "Étude de cas\u00a01.1\u00a0: Le raccourci (fictif)", \
        "Exercice\u00a01.1\u00a0: Repérer les dangers"
    module = "Module\u00a01\u00a0: Travailler sur le quai"
    for label in (case, exercise):
        assert f'<p class="block-label">{label}</p>' in html
        assert shown[label].endswith("Title")
    assert shown[module] == "Heading 1"  # the outline's number, then the title
    assert module in html
    contents = [text for text, style in shown.items() if style == "toc 1"]
    assert contents[0].startswith(module + "\t")  # the page number follows, when known
    assert document.sections[1].header.paragraphs[0].text == module
    # the English fallback module keeps English words in its blocks, as in the HTML
    assert shown["Question\u00a02.1"] == "Assessment Question Title"
    assert '<p class="block-label">Question\u00a02.1</p>' in html


def test_css_strings_cannot_be_closed_by_names(themed: Path) -> None:
    from trainkit.loading.resolver import ProjectResolver
    from trainkit.schemas.theme import Theme
    from trainkit.writers.html.theme import print_font_url, theme_css

    theme = Theme.model_validate({"fonts": {"body": {
        "family": 'Brand"; } h1 { color: red', "file": 'fonts/a"b</style>.ttf'}}})
    css = theme_css(theme, "en", ProjectResolver(themed), print_font_url)
    assert '"Brand\\22 \\3b  \\7d  h1 \\7b  color\\3a  red"' in css
    assert 'url("trainkit:project-font/fonts/a\\22 b\\3c /style\\3e .ttf")' in css
    assert "</style>" not in css and "color: red" not in css
