"""The print HTML: the marks the preflight reads back, lead-ins kept with what follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from one_module import one_module_project
from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.writers.html.marks import leads_in
from trainkit.writers.html.render import render_html
from trainkit.writers.pdf.edition import asset_url

TOUR = Path(__file__).resolve().parents[3] / "examples" / "feature-tour"


@pytest.fixture(scope="module")
def edition() -> AssembledEdition:
    valid = validate_project(TOUR, use_cache=False).valid()
    return assemble(valid, EditionRequest("coastal", "trainer"))


def _ids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'id="({re.escape(prefix)}[^"]*)"', html)


def test_print_html_marks_footnotes_headings_questions_and_tables(
        edition: AssembledEdition) -> None:
    html = render_html(edition, "print", asset_url)
    assert _ids(html, "tk-fc--") == ["tk-fc--first-fn1"]
    assert _ids(html, "tk-fb--") == ["tk-fb--first-fn1"]
    assert 'id="tk-fc--first-fn1"></span><span class="footnote" id="tk-fb--first-fn1">' in html
    assert _ids(html, "tk-qe--") == ["tk-qe--first-qa1"]
    assert _ids(html, "tk-as--") == ["tk-as--first-qa1"]
    assert _ids(html, "tk-tb--") == ["tk-tb--first-tb1-2"]
    assert _ids(html, "tk-tr--") == ["tk-tr--first-tb1-1", "tk-tr--first-tb1-2"]
    headings = re.findall(r'<h[234] id="([^"]+)">.*?<span class="tk-mark" id="tk-he--([^"]+)">'
                          r'</span></h[234]>', html)
    assert headings and all(start == end for start, end in headings)
    # the question's end mark is inside its last paragraph, not after it
    assert re.search(r'<span class="tk-mark" id="tk-qe--first-qa1"></span></p>\s*</section>',
                     html)


def _module_html(root: Path, body: str) -> str:
    """The print HTML of a one-module trainer edition whose module (``m``) has ``body``."""
    one_module_project(root, body, module_id="m", title="Marks")
    valid = validate_project(root, use_cache=False).valid()
    return render_html(assemble(valid, EditionRequest("north", "trainer")), "print", asset_url)


@pytest.mark.parametrize("body, inside", [
    ("Which?\n\n- [x] One\n- [ ] Two\n:::\n",
     r'Two<span class="tk-mark" id="tk-qe--m-qa1"></span></li>'),
    ("Which pair?\n\n- One -> 1\n- Two -> 2\n:::\n",
     r'2<span class="tk-mark" id="tk-qe--m-qa1"></span></td>'),
])
def test_a_typed_question_ends_after_its_options(tmp_path: Path, body: str,
                                                 inside: str) -> None:
    """The preflight's question end mark follows the last option (or pair), not the
    prompt: a question whose options run onto the next page ends there."""
    kind = "choice" if "[x]" in body else "matching"
    html = _module_html(tmp_path, f"::: question {{type={kind} objectives=1}}\n{body}\n"
                                  "::: answer\nBecause.\n:::\n")
    assert re.search(inside, html), html
    assert html.count('id="tk-qe--m-qa1"') == 1 and 'id="tk-as--m-qa1"' in html


def test_an_open_question_ends_after_its_prompt(tmp_path: Path) -> None:
    html = _module_html(tmp_path, "::: question\nWhy?\n:::\n\n::: answer\nBecause.\n:::\n")
    assert re.search(r'Why\?<span class="tk-mark" id="tk-qe--m-qa1"></span></p>', html)


def test_screen_html_has_no_marks(edition: AssembledEdition) -> None:
    html = render_html(edition, "screen", asset_url)
    assert "tk-mark" not in html and 'id="tk-' not in html


def test_a_footnote_is_one_paragraph_of_text(edition: AssembledEdition) -> None:
    html = render_html(edition, "print", asset_url)
    note = re.search(r'<span class="footnote"[^>]*>(.*?)</span>', html, flags=re.DOTALL)
    assert note is not None and "\n" not in note.group(1)


def test_paragraphs_that_introduce_what_follows_keep_with_it(
        edition: AssembledEdition) -> None:
    html = render_html(edition, "print", asset_url)
    assert re.search(r'</h2>\n<p class="lead-in">', html)  # a paragraph after a heading


def _p(text: str) -> d.Paragraph:
    return d.Paragraph((d.Text(text),))


def test_which_paragraphs_lead_in() -> None:
    heading = d.Heading(2, (d.Text("Section"),), "section")
    box = d.NamedBlock("case-study", "", (_p("A case."),))
    items = d.BulletList((d.ListItem((_p("one"),)),))
    blocks = (heading, _p("Short."), _p("Then a case:"), box, _p("A list:"), items,
              _p("No colon"), items, _p("Last."))
    assert [leads_in(blocks, i) for i in range(len(blocks))] == [
        False, True, True, False, True, False, False, False, False]
