"""The book's page numbers and blank pages (``folios.py``), and the stamps' font tables."""

from __future__ import annotations

import pytest

from trainkit.writers.pdf.folios import LabelRange, Piece, plan_pages, roman
from trainkit.writers.pdf.stamps import _widths

BOOK = [Piece("front", 3, unnumbered=2), Piece("part", 1), Piece("module", 3, "1\u2013"),
        Piece("module", 2, "2\u2013"), Piece("back", 3, "A\u2013")]


def shown(plan_labels: tuple[object, ...]) -> list[str]:
    """Each page's number, in brackets when it is not printed on the page."""
    return [label.text if label.printed else f"[{label.text}]"  # type: ignore[attr-defined]
            for label in plan_labels]


def test_per_module_numbers_one_side() -> None:
    plan = plan_pages(BOOK, duplex=False, continuous=False)
    assert plan.firsts == (0, 3, 4, 7, 9) and plan.blanks == ()
    assert shown(plan.labels) == [
        "[i]", "[ii]", "iii", "[\u00b7]", "1\u20131", "1\u20132", "1\u20133", "2\u20131",
        "2\u20132", "A\u20131", "A\u20132", "A\u20133"]
    assert plan.ranges == (LabelRange(0, "/r", None, 1), LabelRange(3, None, "\u00b7", 1),
                           LabelRange(4, "/D", "1\u2013", 1), LabelRange(7, "/D", "2\u2013", 1),
                           LabelRange(9, "/D", "A\u2013", 1))
    assert plan.label(3, 1) == "2\u20132"


def test_continuous_numbers_count_part_pages_without_printing_them() -> None:
    plan = plan_pages(BOOK, duplex=False, continuous=True)
    assert shown(plan.labels) == ["[i]", "[ii]", "iii", "[1]", "2", "3", "4", "5", "6", "7",
                                  "8", "9"]
    assert plan.ranges == (LabelRange(0, "/r", None, 1), LabelRange(3, "/D", None, 1))


@pytest.mark.parametrize("continuous, expected", [
    (False, ["[i]", "[ii]", "iii", "[iv]", "[\u00b7]", "[\u00b7]", "1\u20131", "1\u20132",
             "1\u20133", "[1\u20134]", "2\u20131", "2\u20132", "A\u20131", "A\u20132",
             "A\u20133"]),
    (True, ["[i]", "[ii]", "iii", "[iv]", "[1]", "[2]", "3", "4", "5", "[6]", "7", "8", "9",
            "10", "11"]),
])
def test_duplex_starts_every_piece_on_a_right_hand_page(continuous: bool,
                                                       expected: list[str]) -> None:
    plan = plan_pages(BOOK, duplex=True, continuous=continuous)
    assert plan.blanks == (3, 5, 9)  # after the front matter, the part page and module 1
    assert all(first % 2 == 0 for first in plan.firsts)  # page 1, 3, 5...: right-hand
    assert shown(plan.labels) == expected
    assert not any(plan.labels[blank].printed for blank in plan.blanks)


def test_body_numbers_do_not_depend_on_the_front_matter() -> None:
    """The contents are rendered last, with numbers planned before their length is known."""
    for duplex in (False, True):
        for continuous in (False, True):
            short = plan_pages([Piece("front", 0), *BOOK[1:]], duplex=duplex,
                               continuous=continuous)
            full = plan_pages(BOOK, duplex=duplex, continuous=continuous)
            assert [short.label(i, p) for i in range(1, 5) for p in range(BOOK[i].pages)] == \
                [full.label(i, p) for i in range(1, 5) for p in range(BOOK[i].pages)]


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv"]


def test_cid_font_width_arrays_in_both_forms() -> None:
    assert _widths([19, [636, 636], 36, 38, 500]) == {
        19: 636.0, 20: 636.0, 36: 500.0, 37: 500.0, 38: 500.0}
