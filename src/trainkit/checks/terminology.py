"""Terminology: wordings the glossary asks authors to avoid (TK605), found in module text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from trainkit.diagnostics import Diagnostic
from trainkit.schemas.glossary import Glossary, Term

_FENCE = re.compile(r"^\s*(```|~~~)")


def _words(phrase: str) -> str:
    """The regular expression of ``phrase``'s words, with any white space between them."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


@lru_cache(maxsize=256)
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _words(phrase) + r"(?!\w)", re.IGNORECASE)


def avoided_terms(glossary: Glossary, language: str) -> list[tuple[str, Term]]:
    """Every (wording to avoid, term) pair for ``language``."""
    return [(phrase, term) for term in glossary.terms for phrase in term.avoid.get(language, [])]


def check_terminology(path: str, text: str, language: str,
                      glossary: Glossary) -> Iterator[Diagnostic]:
    """A TK605 warning for each use of a wording to avoid in ``text`` (code excluded)."""
    rules = avoided_terms(glossary, language)
    if not rules:
        return
    any_rule = _any_of(tuple(phrase for phrase, _ in rules))
    if not any_rule.search(text):
        return  # most modules: one scan of the text, no line-by-line work
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not any_rule.search(line):
            continue
        searchable = _blank_code_spans(line) if "`" in line else line
        for phrase, term in rules:
            for match in _pattern(phrase).finditer(searchable):
                preferred = term.term.get(language, "")
                yield Diagnostic(
                    path, number, match.start() + 1, "TK605",
                    f"`{match.group(0)}` is a wording to avoid (glossary term `{term.id}`)",
                    f"write `{preferred}`" if preferred else None)


@lru_cache(maxsize=16)
def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching wherever any of ``phrases`` would (a filter before each)."""
    alternatives = "|".join(_words(phrase) for phrase in phrases)
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


def _blank_code_spans(line: str) -> str:
    """``line`` with inline code masked, so columns stay right.

    The mask is a character that is neither a word character nor white space: a wording
    cannot be matched across code, and masking never makes a match the raw text lacks
    (which is what lets ``check_terminology`` skip texts and lines on the raw text).
    """
    return re.sub(r"`[^`]*`", lambda match: "\x00" * len(match.group(0)), line)
