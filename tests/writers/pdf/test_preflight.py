"""The preflight finds each layout defect on a manual built to show it, and none once fixed.

The fixture manual (A4, where the rounding that moved every footnote shows) repeats the
situations the issue lists, with fillers of every length in between, so that each lands
at the foot of a page somewhere: a footnote called near the foot, a question with its
answer, a heading with a one-line lead-in and the case study it introduces, a table; its module
title is too long for a running head and wraps in the contents. Built with the layout
rules switched off (``NAIVE_CSS``: what the print stylesheet did before them), the
preflight reports each defect; built as trainkit builds it, nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from one_module import one_module_project
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.commands.handout import HandoutOptions, build_handouts
from trainkit.writers.pdf import edition as pdf_edition
from trainkit.writers.pdf import weasyprint_fixes
from trainkit.writers.pdf.preflight import LayoutFinding, check_pdf

REPOSITORY = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow

SENTENCE = ("Officers record what each person says, where the journey began and who was paid, "
            "so that the evidence can be tested in court.")

#: The layout rules undone: footnotes moved whole, nothing kept with what follows, the
#: full module title in a head that may wrap, the contents' number on the first line.
NAIVE_CSS = """
.footnote { footnote-policy: auto; }
.lead-in, .question, :is(h2, h3, h4) + :is(ul, ol) > li:first-child,
tbody tr:first-child { break-after: auto; }
.answer, tbody tr:last-child { break-before: auto; }
.module-title { string-set: module-title attr(data-bookmark); }
@page { @top-right { white-space: normal; } }
.toc-module > a { position: relative; }
.toc-module > a .toc-page { position: absolute; top: 0; right: 0; margin: 0; }
"""

def _module_body() -> str:
    sections = []
    for k in range(1, 27):
        filler = " ".join([SENTENCE] * (k % 7 + 1))
        rows = "".join(f"| Row {r} of table {k} | {SENTENCE[:40]} |\n" for r in range(1, 5))
        question = (f"::: question\nWhat must the officers record in situation {k}?\n:::\n\n"
                    f"::: answer\nWhat each person says, and who was paid.\n:::\n\n")
        sections.append(
            f"## Situation {k}\n\n{filler}\n\n"
            f"The witness was heard twice.[^n{k}] {SENTENCE}\n\n"
            f"[^n{k}]: {SENTENCE} {SENTENCE}\n\n{question}"
            f"### The case of situation {k}\n\nThe case follows.\n\n"
            f"::: case-study A case (fictional)\n{' '.join([SENTENCE] * 4)}\n:::\n\n"
            f"{' '.join([SENTENCE] * (k % 3 + 1))}\n\n{question}"
            f"### Records of situation {k}\n\nThe records kept:\n\n"
            f"| Record | What it shows |\n|---|---|\n{rows}\n")
    return "\n".join(sections)


LONG_TITLE = ("What a publications unit checks before it sends a training manual to the "
              "printer, page by page")


def _project(root: Path, title: str = LONG_TITLE) -> Path:
    return one_module_project(root, _module_body(), module_id="scenarios", title=title,
                              manual_title="Layout test manual", part="The only part",
                              summary="Situations a typesetter must handle.", duration="90m")


def _build(root: Path, out: Path) -> tuple[Path, list[LayoutFinding]]:
    result = build_edition(root, BuildOptions(formats=("pdf",), out_dir=out, writer_jobs=1,
                                              preflight=True))
    assert result.ok, result.failures
    path = result.files[0].path
    return path, result.preflight[path]


@pytest.fixture(scope="module")
def naive(tmp_path_factory: pytest.TempPathFactory) -> list[LayoutFinding]:
    """The fixture built without the layout rules and WeasyPrint's own footnote layout."""
    root = _project(tmp_path_factory.mktemp("naive"))
    original: Callable[..., str] = pdf_edition.print_stylesheet
    patch = pytest.MonkeyPatch()
    patch.setattr(pdf_edition, "print_stylesheet",
                  lambda ed, *rest: original(ed, *rest) + NAIVE_CSS)
    weasyprint_fixes.undo()  # rendered in this process (writer_jobs=1): unpatched
    patch.setattr(weasyprint_fixes, "apply", lambda: False)
    try:
        return _build(root, root / "out")[1]
    finally:
        patch.undo()


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LayoutFinding]]:
    root = _project(tmp_path_factory.mktemp("fixed"))
    return _build(root, root / "out")


@pytest.mark.parametrize(("code", "what"), [
    ("TK707", "footnote"), ("TK708", "heading"), ("TK709", "question"), ("TK710", "table"),
    ("TK711", "running head"), ("TK715", "contents entry"),
])
def test_the_preflight_finds_each_defect_of_the_naive_layout(
        naive: list[LayoutFinding], code: str, what: str) -> None:
    found = [finding for finding in naive if finding.code == code]
    assert found, f"no {code} ({what}) in {[str(f) for f in naive]}"
    assert all(finding.page >= 1 and finding.folio for finding in found)


def test_findings_name_the_printed_page(naive: list[LayoutFinding]) -> None:
    footnote = next(finding for finding in naive if finding.code == "TK707")
    assert footnote.folio.startswith("1\u2013")  # the module's pages are numbered "1-n"
    assert "footnote" in footnote.message and "printed on page 1\u2013" in footnote.message
    diagnostic = footnote.diagnostic("out/manual.pdf")
    assert (diagnostic.path, diagnostic.line, diagnostic.code) == (
        "out/manual.pdf", footnote.page, "TK707")
    assert diagnostic.message.startswith(f"page {footnote.folio} (PDF page {footnote.page}): ")


def test_the_same_manual_built_by_trainkit_has_no_findings(
        fixed: tuple[Path, list[LayoutFinding]]) -> None:
    path, findings = fixed
    assert findings == []
    assert check_pdf(path.read_bytes()) == []  # the library call on the file's bytes


def test_a_pdf_without_the_writers_marks_is_read_without_error(
        fixed: tuple[Path, list[LayoutFinding]], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(fixed[0]).pages:
        writer.add_page(page)  # pages only: no named destinations, no page labels
    target = tmp_path / "bare.pdf"
    with target.open("wb") as stream:
        writer.write(stream)
    assert [f.code for f in check_pdf(target)] == []


# -- the shipped manual: every edition that can be built ---------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shipped") / "manual"
    shutil.copytree(REPOSITORY, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", ".trainkit-cache", "benchmarks", "tests", "__pycache__",
        "examples", "src", "tools", "docs"))
    return root


#: Each region with the languages it lists: every edition the manual ships.
SHIPPED = {"north-africa": (None, "fr", "ar"), "west-africa": (None, "fr"),
           "east-africa": (None, "ar"), "mediterranean-europe": (None, "fr"),
           "international": (None,)}


@pytest.mark.parametrize(("region", "language", "edition"), [
    (region, language, edition) for region, languages in SHIPPED.items()
    for language in languages for edition in ("trainer", "participant", "handouts")])
def test_every_edition_of_the_shipped_manual_passes_the_preflight(
        shipped: Path, region: str, language: str | None, edition: str) -> None:
    """Trainer and participant editions and the handouts of every region, in each of its
    languages: built once each (the chunk cache shares the modules between them)."""
    if edition == "handouts":
        handouts = build_handouts(shipped, HandoutOptions(
            all_modules=True, region=region, formats=("pdf",), out_dir=shipped / "handouts",
            language=language, preflight=True))
        assert handouts.ok, handouts.failures
        assert len(handouts.preflight) == len(handouts.files) > 5
        found = handouts.preflight
    else:
        result = build_edition(shipped, BuildOptions(
            region=region, edition=edition, language=language, formats=("pdf",),
            out_dir=shipped / "out", preflight=True))
        assert result.ok, result.failures
        found = result.preflight
    assert {path.name: [str(f) for f in findings] for path, findings in found.items()
            if findings} == {}
