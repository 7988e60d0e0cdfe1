"""TK605 on text as authors wrap it: a wording to avoid split by a line wrap is found."""

from __future__ import annotations

import pytest

from trainkit.checks.terminology import check_terminology
from trainkit.schemas.glossary import Glossary, Term

GLOSSARY = Glossary(terms=[Term(
    id="irregular-migrant", term={"en": "migrant in an irregular situation"},
    definition={"en": "A migrant without authorisation."},
    avoid={"en": ["illegal migrant"]})])


def findings(text: str) -> list[tuple[int, int, str]]:
    return [(found.line, found.column, found.message)
            for found in check_terminology("m.md", text, "en", GLOSSARY)]


@pytest.mark.parametrize("text, line, column, shown", [
    ("One illegal migrant.\n", 1, 5, "illegal migrant"),
    ("One illegal\u00a0 migrant.\n", 1, 5, "illegal\u00a0 migrant"),
    ("Never call a person an illegal\nmigrant in a report.\n", 1, 24, "illegal migrant"),
    ("A wrapped list item names an illegal\n  migrant too.\n", 1, 30, "illegal migrant"),
    ("> A quote about an illegal\n> migrant.\n", 1, 20, "illegal migrant"),
    ("Text.\n\nAn Illegal   \n   Migrant.\n", 3, 4, "Illegal Migrant"),
])
def test_a_wording_is_found_within_a_line_and_across_a_line_wrap(
        text: str, line: int, column: int, shown: str) -> None:
    assert findings(text) == [(line, column, f"`{shown}` is a wording to avoid "
                                             "(glossary term `irregular-migrant`)")]


@pytest.mark.parametrize("text", [
    "A paragraph ends: illegal\n\nmigrant starts the next one.\n",
    "Code: `illegal\nmigrant` in a code span.\n",
    "```\nillegal migrant\n```\n",
    "~~~\nan illegal\nmigrant\n~~~\n",
    "illegal `x` migrant, with code between the words.\n",
    "illegalmigrant and illegal migrants.\n",
])
def test_no_wording_across_paragraphs_code_or_longer_words(text: str) -> None:
    assert findings(text) == []


def test_findings_come_in_reading_order() -> None:
    text = "illegal migrant\nand again an illegal\nmigrant\n"
    assert [(line, column) for line, column, _ in findings(text)] == [(1, 1), (2, 14)]
