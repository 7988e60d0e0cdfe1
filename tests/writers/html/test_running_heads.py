"""Running heads: one line, a short title or the title cut at a word with an ellipsis."""

from __future__ import annotations

from trainkit.writers.html.running_heads import (
    ELLIPSIS, line_ems, manual_head, module_head, shorten, text_ems, title_budget,
)

MANUAL = "Investigating and Prosecuting the Smuggling of Migrants"


def test_a_title_that_fits_is_kept_whole() -> None:
    assert shorten("Smuggling by sea", 20) == "Smuggling by sea"
    assert shorten("  Smuggling   by sea ", 20) == "Smuggling by sea"


def test_a_long_title_is_cut_at_a_word_and_ends_with_an_ellipsis() -> None:
    title = "Introduction: the smuggling of migrants and trafficking in persons"
    head = shorten(title, 20)
    assert head.endswith(ELLIPSIS) and text_ems(head) <= 20
    assert title.startswith(head[:-1])
    assert head[:-1] == head[:-1].rstrip(" ,;:")  # no punctuation before the ellipsis
    assert title[len(head) - 1] == " "  # cut between words


def test_one_word_too_long_is_cut_inside() -> None:
    head = shorten("Internationalisation" * 3, 10)
    assert head.endswith(ELLIPSIS) and text_ems(head) <= 10


def test_the_two_sides_share_the_line() -> None:
    for page_size in ("A4", "A5", "letter"):
        long_title = "Saharan crossings: the desert legs of the journey to the Mediterranean"
        left = manual_head(MANUAL, page_size)
        right = module_head("Module 4: ", long_title, MANUAL, page_size)
        assert text_ems(left) + text_ems(right) <= line_ems(page_size)
        assert right.startswith("Module 4: Saharan")
    assert manual_head(MANUAL, "A4") == MANUAL  # the shipped title fits on A4
    assert title_budget(MANUAL, "A5") < text_ems(MANUAL)  # not on A5


def test_scripts_are_estimated_by_their_width() -> None:
    assert text_ems("تهريب") < text_ems("mapas") < text_ems("密入国者の")
