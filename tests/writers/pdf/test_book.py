"""The printed book read back with pypdf: page numbers written after layout, the pages of
cross-references, duplex blank pages, continuous numbering without a second layout, and
French typography in a whole edition."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from trainkit.commands.build import BuildOptions, build_edition

REPOSITORY = Path(__file__).resolve().parents[3]
TOUR = REPOSITORY / "examples" / "feature-tour"
NBSP = "\u00a0"
GUTTER_PT = 10 / 25.4 * 72

pytestmark = pytest.mark.slow


def build(root: Path, region: str = "coastal", edition: str = "trainer",
          language: str | None = None) -> PdfReader:
    result = build_edition(root, BuildOptions(region=region, edition=edition, formats=("pdf",),
                                              out_dir=root / "out", language=language,
                                              writer_jobs=1))
    assert result.ok, result.failures
    return PdfReader(result.files[0].path)


def runs(page: Any) -> list[tuple[str, float, float]]:
    """The text drawn on ``page``: (text, x, y) in points from the bottom left."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def folio(page: Any) -> tuple[str, float] | None:
    """The page number at the foot of ``page`` and the x of its centre, if it has one."""
    low = [(text, x) for text, x, y in runs(page) if y < 40]
    if not low:
        return None
    text, x = low[-1]
    return text, x


def link_page(reader: PdfReader, annotation: Any) -> int:
    """The index of the page an internal link annotation goes to."""
    destination = annotation["/Dest"] if "/Dest" in annotation else annotation["/A"]["/D"]
    number = destination[0].indirect_reference.idnum if hasattr(
        destination[0], "indirect_reference") else destination[0].idnum
    return next(i for i, page in enumerate(reader.pages)
                if page.indirect_reference is not None
                and page.indirect_reference.idnum == number)


def copy_tour(tmp_path: Path, *output: str) -> Path:
    root = tmp_path / "tour"
    shutil.copytree(TOUR, root)
    manifest = root / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  out_dir: dist\n", "  out_dir: dist\n" + "".join(f"  {line}\n" for line in output)),
        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def simplex(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    return build(copy_tour(tmp_path_factory.mktemp("simplex")))


def test_every_numbered_page_shows_its_label_at_its_foot(simplex: PdfReader) -> None:
    labels = simplex.page_labels
    assert labels[:4] == ["i", "ii", "iii", "\u00b7"]
    shown = [folio(page) for page in simplex.pages]
    assert shown[0] is None and shown[1] is None  # the cover and the imprint on its back
    assert shown[3] is None  # a part's title page
    for page, (label, item) in enumerate(zip(labels, shown)):
        if page in (0, 1, 3):
            continue
        assert item is not None and item[0] == label
        width = float(simplex.pages[page].mediabox.width)
        # centred under the text block (equal side margins: the middle of the page)
        assert abs(item[1] + 0.5 * 9 * 0.6 * len(label) - width / 2) < 12


def test_a_cross_reference_to_a_section_gets_its_page_written_after_layout(
        simplex: PdfReader) -> None:
    page_index = next(i for i, page in enumerate(simplex.pages)
                      if "section on" in page.extract_text())
    page = simplex.pages[page_index]
    drawn = runs(page)
    # "page" and the text after the room left are one run, or two when tagged
    after = next((x, y) for text, x, y in drawn if "matters most" in text)
    line = next((x, y) for text, x, y in drawn if text.startswith(", page")
                and abs(y - after[1]) < 0.1 and x <= after[0])
    stamp = next((text, x, y) for text, x, y in drawn if text == "3\u20131")
    assert abs(stamp[2] - line[1]) < 0.1  # on the line's baseline
    assert stamp[1] > line[0]  # after "page"
    # the written number links to the section, on the page it names
    target = simplex.page_labels.index("3\u20131")
    links = [a.get_object() for a in page.get("/Annots", [])]
    near = [a for a in links if a["/Rect"][0] - 1 <= stamp[1] <= a["/Rect"][2] + 1
            and a["/Rect"][1] <= stamp[2] <= a["/Rect"][3]]
    assert near and all(link_page(simplex, a) == target for a in near)
    # and a reference to a module's start is written in the text itself
    assert f"Module{NBSP}3: A second module, page{NBSP}3\u20131; its section on" in \
        page.extract_text()


def test_duplex_with_continuous_numbers(tmp_path: Path) -> None:
    reader = build(copy_tour(tmp_path, "duplex: true", "page_numbers: continuous"))
    labels = reader.page_labels
    starts = [i for i, page in enumerate(reader.pages)
              if "Everything a module can hold" in page.extract_text()[:200]
              and "MODULE" in page.extract_text()[:200]]
    assert all(index % 2 == 0 for index in starts)  # a right-hand page: 1, 3, 5...
    blanks = [i for i, page in enumerate(reader.pages) if not page.extract_text().strip()]
    assert blanks  # after the contents and after pieces of an odd number of pages
    for index in blanks:
        assert "/Annots" not in reader.pages[index] and folio(reader.pages[index]) is None
    body = labels.index("1")
    assert labels[body:] == [str(n) for n in range(1, len(labels) - body + 1)]
    printed = [folio(page) for page in reader.pages]
    assert [p[0] for p in printed if p is not None][-3:] == labels[-3:]
    # mirrored margins: the text block, and the number under it, sit towards the binding
    centres = [(i, p[1] + 0.5 * 9 * 0.636 * len(p[0])) for i, p in enumerate(printed)
               if p is not None and i > 2]
    right = {round(c) for i, c in centres if i % 2 == 0}
    left = {round(c) for i, c in centres if i % 2 == 1}
    assert left and right
    # each page's block moves half the gutter away from the binding: a gutter between them
    assert abs((sum(right) / len(right) - sum(left) / len(left)) - GUTTER_PT) < 2
    contents = reader.pages[2].extract_text().split("\n")
    evidence = next(i for i, page in enumerate(reader.pages)
                    if "3.1 Evidence" in page.extract_text() and i > 2)
    # the number ends its entry's last line (contents numbers on the last line)
    assert any(line.endswith(f" {labels[evidence]}") for line in contents)


def test_continuous_numbers_never_lay_out_an_unchanged_module_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.pdf import pieces

    root = copy_tour(tmp_path, "page_numbers: continuous")
    before = build(root).page_labels
    rendered: list[str] = []
    original = pieces.render_chunk

    def counting(root_path: str, html: str, css: str, own_css: str,
                 tagged: bool = False) -> Any:
        module = re.search(r'data-module="([^"]+)"', html)
        body = re.search(r'<body class="([^"]+)"', html)
        rendered.append(module.group(1) if module else body.group(1) if body else "?")
        return original(root_path, html, css, own_css, tagged)

    monkeypatch.setattr(pieces, "render_chunk", counting)
    first = root / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n" + "\n\n".join(
        ["A paragraph added to the first module, long enough to fill some lines of text."
         " " * 2] * 40) + "\n", encoding="utf-8")
    after = build(root).page_labels
    assert len(after) > len(before)  # the first module grew: every later number moved
    assert sorted(rendered) == ["chunk-front", "first"]  # the contents, and the edited module


def test_a_french_edition_is_typeset(tmp_path: Path) -> None:
    reader = _french(tmp_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Module{NBSP}1{NBSP}: Introduction" in text
    assert re.search(f"Étude de cas{NBSP}1\\.1{NBSP}: ", text)
    # no colon straight after a word in trainkit's own labels, outside the modules with no
    # French translation (their text, labels and typography stay English: "Module\xa06: ")
    from trainkit.assembly.edition import assemble
    from trainkit.checks.validate import validate_project
    from trainkit.model.edition import EditionRequest

    edition = assemble(validate_project(tmp_path / "manual").valid(),
                       EditionRequest("north-africa", "participant", language="fr"))
    english = tuple(f"{m.number}\u2013" for m in edition.modules if m.fallback)
    # (the pages of modules left in English, if any, are not checked for French spacing)
    french = "\n".join(page.extract_text() for page, label in zip(reader.pages, reader.page_labels)
                       if not label.startswith(english))
    assert not re.search(r"(?:Module|Étude de cas|Exercice|Question|Durée|Publics)"
                         r"(?:\xa0[\d.]+)?:", french)
    assert "\u00ab\u202f" in text and "\u202f\u00bb" in text  # guillemets, narrow spaces
    # (the page may start with the DRAFT watermark: no module of the manual is approved)
    abbreviations = " ".join(next(page.extract_text() for page in reader.pages
                                  if "Sigles et abréviations" in
                                  page.extract_text().split("\n")[:2]).split())
    assert "ECE équipe commune d\u2019enquête" in abbreviations


def _french(tmp_path: Path) -> PdfReader:
    root = tmp_path / "manual"
    shutil.copytree(REPOSITORY, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", ".trainkit-cache", "benchmarks", "tests", "__pycache__"))
    return build(root, "north-africa", "participant", language="fr")
