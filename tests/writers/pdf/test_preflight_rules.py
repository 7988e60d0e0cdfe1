"""The preflight's rules on pages and marks made by hand, and its content-stream reader."""

from __future__ import annotations

from typing import Any

import pytest

from trainkit.writers.pdf.preflight import rules
from trainkit.writers.pdf.preflight.reading import PageContent, Run, _Interpreter

BLOCK = (56.7, 62.4, 538.6, 779.5)  # A4 with 20 mm sides, 22 mm top and bottom


def _page(index: int, runs: list[Run] | None = None, *, folio: str = "",
          blank: bool = False) -> PageContent:
    page = PageContent(index, folio or f"1\u2013{index + 1}", 595.3, 841.9, BLOCK, blank)
    page.runs = list(runs or [])
    return page


def _lines(*baselines: float) -> list[Run]:
    return [Run(56.7, 500.0, y, 10.5) for y in baselines]


def _furniture() -> list[Run]:
    return [Run(56.7, 280.0, 808.0, 8.0), Run(330.0, 538.6, 808.0, 8.0),  # running head
            Run(289.7, 305.6, 28.0, 9.0)]  # folio


def _codes(found: list[rules.Found]) -> list[tuple[str, int]]:
    return [(code, page) for code, page, _ in found]


def test_a_footnote_off_its_calls_page() -> None:
    pages = [_page(0), _page(1)]
    marks = {"tk-fc--intro-fn1": (0, 100.0, 90.0), "tk-fb--intro-fn1": (1, 56.7, 84.0),
             "tk-fc--intro-fn2": (1, 100.0, 700.0), "tk-fb--intro-fn2": (1, 56.7, 70.0)}
    found = rules.footnotes(pages, marks)
    assert _codes(found) == [("TK707", 0)]
    assert "footnote 1 of module `intro`" in found[0][2] and "page 1\u20132" in found[0][2]


def test_a_heading_needs_two_lines_after_it_on_its_page() -> None:
    body = _lines(760, 745, 730, 715, 700)
    pages = [_page(0, body + _furniture()), _page(1, _lines(760))]
    at_foot = {"tk-he--intro--late": (0, 56.7, 712.0)}  # its line is 700: nothing after it
    one_line = {"tk-he--intro--late": (0, 56.7, 727.0)}  # its line is 715, then 700
    two_lines = {"tk-he--intro--late": (0, 56.7, 742.0)}
    assert _codes(rules.headings(pages, at_foot)) == [("TK708", 0)]
    assert _codes(rules.headings(pages, one_line)) == [("TK708", 0)]
    assert rules.headings(pages, two_lines) == []
    # footnotes below the body do not count as lines after the heading
    with_note = {**one_line, "tk-fb--intro-fn1": (0, 56.7, 90.0)}
    pages[0].runs += _lines(80, 70)
    assert _codes(rules.headings(pages, with_note)) == [("TK708", 0)]


def test_a_heading_in_its_modules_last_lines_is_not_a_break() -> None:
    """A short last section (a heading and one line, then the next module overleaf: the
    feature tour's "Patrol areas") has nothing beyond: not TK708. The same heading with
    its module going on overleaf is."""
    pages = [_page(0, _lines(760, 745, 730) + _furniture()), _page(1, _lines(760))]
    heading = {"tk-he--coastal--patrol": (0, 56.7, 742.0)}  # one line (730) after it
    ends_here = {**heading, "tk-me--coastal": (0, 300.0, 727.0)}
    ends_overleaf = {**heading, "tk-me--coastal": (1, 300.0, 757.0)}
    assert rules.headings(pages, ends_here) == []
    assert _codes(rules.headings(pages, ends_overleaf)) == [("TK708", 0)]
    other_module = {**heading, "tk-me--inland": (0, 300.0, 727.0)}
    assert _codes(rules.headings(pages, other_module)) == [("TK708", 0)]


def test_a_question_apart_from_its_answer() -> None:
    pages = [_page(0), _page(1)]
    marks = {"tk-qe--law-qa2": (0, 60.0, 80.0), "tk-as--law-qa2": (1, 56.7, 770.0)}
    assert _codes(rules.questions(pages, marks)) == [("TK709", 0)]
    marks["tk-as--law-qa2"] = (0, 56.7, 70.0)
    assert rules.questions(pages, marks) == []


def test_a_table_row_alone_at_a_foot_or_a_top() -> None:
    pages = [_page(0), _page(1), _page(2)]
    marks = {"tk-tb--law-tb1-5": (0, 56.7, 120.0), "tk-tr--law-tb1-1": (0, 57.0, 100.0),
             "tk-tr--law-tb1-2": (1, 57.0, 760.0), "tk-tr--law-tb1-4": (1, 57.0, 700.0),
             "tk-tr--law-tb1-5": (2, 57.0, 760.0)}
    found = rules.tables(pages, marks)
    assert _codes(found) == [("TK710", 0), ("TK710", 2)]
    assert "starts with one row" in found[0][2] and "ends with one row" in found[1][2]


def test_a_running_head_on_two_lines() -> None:
    two = [Run(56.7, 280.0, 808.0, 8.0), Run(56.7, 120.0, 798.0, 8.0)]
    pages = [_page(0, _furniture()), _page(1, two)]
    assert _codes(rules.running_heads(pages, {})) == [("TK711", 1)]


@pytest.mark.parametrize(("run", "where"), [
    (Run(56.7, 545.0, 700.0, 10.5), "beside"),  # a line too long for the measure
    (Run(40.0, 200.0, 700.0, 10.5), "beside"),
    (Run(56.7, 300.0, 50.0, 10.5), "below"),  # a line pushed under the text block
    (Run(400.0, 420.0, 28.0, 9.0), "below"),  # a second thing beside the folio
    (Run(56.7, 300.0, 781.0, 10.5), "above"),  # a line poking into the top margin
])
def test_text_outside_the_text_block(run: Run, where: str) -> None:
    pages = [_page(0, _lines(760, 745) + _furniture()), _page(1, _lines(760) + [run])]
    found = rules.outside(pages, {})
    assert _codes(found) == [("TK712", 1)]
    assert where in found[0][2]


def test_running_head_and_folio_are_not_outside() -> None:
    assert rules.outside([_page(0, _lines(760) + _furniture())], {}) == []


def test_empty_pages_and_furniture_on_display_pages() -> None:
    pages = [_page(0, _lines(400), folio="i"), _page(1, _furniture()),
             _page(2, [], blank=True), _page(3, _lines(400) + _furniture(), folio="\u00b7")]
    assert _codes(rules.empty(pages, {})) == [("TK713", 1)]
    marks = {"tk-cover": (0, 56.7, 700.0), "part-4": (3, 56.7, 500.0)}
    assert _codes(rules.furniture(pages, marks)) == [("TK714", 3)]


def test_a_contents_number_off_the_entrys_last_line() -> None:
    pages = [_page(0)]
    marks = {"tk-te--module-intro": (0, 270.0, 695.3), "tk-tp--module-intro": (0, 515.0, 709.3),
             "tk-te--module-law": (0, 300.0, 681.0), "tk-tp--module-law": (0, 515.0, 681.0)}
    found = rules.contents(pages, marks)
    assert _codes(found) == [("TK715", 0)] and "`module-intro`" in found[0][2]


class _Font(dict[str, Any]):
    def get_object(self) -> _Font:
        return self


def test_the_reader_places_text_runs_with_their_advance_widths() -> None:
    descendant = _Font({"/DW": 1000, "/W": [65, [600, 700]]})
    font = _Font({"/Subtype": "/Type0", "/DescendantFonts": [descendant]})
    page = PageContent(0, "1", 595.3, 841.9, None, False)
    stream = (b"1 0 0 -1 0 841.89 cm q 0.75 0 0 0.75 0 0 cm BT 1 0 0 -1 100 100 Tm "
              b"/F1 10 Tf [<0041>-500<0042>] TJ ET Q")
    _Interpreter(page, _Font({"/Font": _Font({"/F1": font})}), {}).run(stream)
    (run,) = page.runs
    # 0.75 x (100 + 6 + 5 + 7): the glyphs' widths and the TJ adjustment, scaled
    assert run.x1 == pytest.approx(75.0) and run.x2 == pytest.approx(88.5)
    assert run.y == pytest.approx(841.89 - 75.0) and run.size == pytest.approx(7.5)
