"""Where a footnote, a question and a heading land, on small manuals whose pages are known.

Each manual is one module on A4: its head, then ``fillers`` paragraphs of two sentences
(about three lines each), then one situation. The filler counts put the situation at the
foot of the module's first page (found by building, and pinned here): the writer must
move the call's line with its note, the question with its answer, the heading with what
it introduces, and a mark that ends the module must not start a page of its own. Pages
are read back from the PDF: the page label of each named destination the writer leaves
(``writers/html/marks.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from one_module import one_module_project
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.writers.pdf.preflight import check_pdf

pytestmark = pytest.mark.slow

SENTENCE = ("Officers record what each person says, where the journey began and who was paid, "
            "so that the evidence can be tested in court.")
FOOTNOTE = (f"The witness was heard twice.[^w] {SENTENCE}\n\n"
            f"[^w]: {SENTENCE} {SENTENCE} {SENTENCE}\n\n{SENTENCE}\n")
QUESTION = ("::: question\nWhat must the officers record?\n:::\n\n"
            "::: answer\nWhat each person says, and who was paid.\n:::\n\n" + SENTENCE + "\n")
TYPED = ("::: question {type=choice objectives=1}\nWhat must the officers record?\n\n"
         "- [x] What each person says, and who was paid\n- [ ] Only the route\n"
         "- [ ] Nothing before the trial\n:::\n\n"
         "::: answer\nWhat each person says, and who was paid.\n:::\n\n" + SENTENCE + "\n")
HEADING = (f"## The case\n\nThe case follows.\n\n::: case-study A case (fictional)\n"
           f"{' '.join([SENTENCE] * 4)}\n:::\n\n{SENTENCE}\n")
BOX_LAST = f"::: case-study A case (fictional)\n{' '.join([SENTENCE] * 4)}\n:::\n"


def _build(root: Path, situation: str, fillers: int, short_lines: int = 0) -> Path:
    body = "\n\n".join([SENTENCE * 2] * fillers + ["Short line."] * short_lines)
    one_module_project(root, f"## Opening\n\n{body}\n\n{situation}")
    result = build_edition(root, BuildOptions(formats=("pdf",), out_dir=root / "out",
                                              writer_jobs=1))
    assert result.ok, result.failures
    return result.files[0].path


def _pages(pdf: Path) -> dict[str, str]:
    """The printed page ("1–2") of each of the writer's marks."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    labels = list(reader.page_labels)
    pages = {str(name): reader.get_destination_page_number(destination)
             for name, destination in reader.named_destinations.items()}
    return {name: labels[page] for name, page in pages.items() if page is not None}


@pytest.mark.parametrize(("fillers", "page"), [(6, "1\u20131"), (8, "1\u20132")])
def test_a_footnote_is_printed_on_its_calls_page(tmp_path: Path, fillers: int,
                                                 page: str) -> None:
    """With 6 fillers the note fits under its call on 1–1 (WeasyPrint alone moved it to
    1–2); with 8 it does not, and the call's line goes to 1–2 with it."""
    pdf = _build(tmp_path, FOOTNOTE, fillers)
    pages = _pages(pdf)
    assert (pages["tk-fc--case-fn1"], pages["tk-fb--case-fn1"]) == (page, page)
    assert check_pdf(pdf) == []


def test_a_question_at_a_page_foot_goes_over_with_its_answer(tmp_path: Path) -> None:
    pdf = _build(tmp_path, QUESTION, 8)
    pages = _pages(pdf)
    assert (pages["tk-qe--case-qa1"], pages["tk-as--case-qa1"]) == ("1\u20132", "1\u20132")
    assert check_pdf(pdf) == []


@pytest.mark.parametrize("fillers", [7, 8])
def test_a_typed_question_goes_over_with_its_answer(tmp_path: Path, fillers: int) -> None:
    """With 7 fillers the question would start at the foot of 1–1: it goes to 1–2 with
    its options and its answer, and its end mark (after its last option) says so."""
    pdf = _build(tmp_path, TYPED, fillers)
    pages = _pages(pdf)
    assert pages["tk-qe--case-qa1"] == pages["tk-as--case-qa1"]
    assert check_pdf(pdf) == []


def test_a_heading_and_its_lead_in_go_over_with_the_box_they_introduce(
        tmp_path: Path) -> None:
    pdf = _build(tmp_path, HEADING, 6)
    pages = _pages(pdf)
    assert pages["case--the-case"] == pages["tk-he--case--the-case"] == "1\u20132"
    assert check_pdf(pdf) == []


@pytest.mark.parametrize(("situation", "fillers", "short_lines"), [
    (BOX_LAST, 6, 2), ("Points:\n\n- one " + SENTENCE + "\n- two\n", 7, 3)])
def test_a_module_that_ends_with_a_block_at_a_page_foot_has_no_empty_page(
        tmp_path: Path, situation: str, fillers: int, short_lines: int) -> None:
    """The mark where the module ends follows a box or a list there: out of flow, it
    does not start a page of its own (it did, an empty one, as an inline line)."""
    pdf = _build(tmp_path, situation, fillers, short_lines)
    assert _pages(pdf)["tk-me--case"] == "1\u20131"
    assert check_pdf(pdf) == []
