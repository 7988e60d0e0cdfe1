"""Terminology: wordings the glossary asks authors to avoid (TK605), found in module text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from trainkit.diagnostics import Diagnostic
from trainkit.schemas.glossary import Glossary, Term

_FENCE = re.compile(r"^\s*(```|~~~)")
#: Between two words of a wording: spaces, or one line break (a paragraph's soft wrap),
#: with the next line's indentation or block-quote marks. Never a blank line.
_GAP = r"(?:[^\S\n]+|[^\S\n]*\n(?:[^\S\n]|>)*)"
_LINE_BREAK = re.compile(r"[^\S\n]*\n(?:[^\S\n]|>)*")


def _words(phrase: str) -> str:
    """The regular expression of ``phrase``'s words, with spaces or a line wrap between."""
    return _GAP.join(re.escape(word) for word in phrase.split())


@lru_cache(maxsize=256)
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _words(phrase) + r"(?!\w)", re.IGNORECASE)


def avoided_terms(glossary: Glossary, language: str) -> list[tuple[str, Term]]:
    """Every (wording to avoid, term) pair for ``language``."""
    return [(phrase, term) for term in glossary.terms for phrase in term.avoid.get(language, [])]


def check_terminology(path: str, text: str, language: str,
                      glossary: Glossary) -> Iterator[Diagnostic]:
    """A TK605 warning for each use of a wording to avoid in ``text`` (code excluded),
    also when a paragraph's line wrap falls between its words, located where it starts."""
    rules = avoided_terms(glossary, language)
    if not rules:
        return
    if not _any_of(tuple(phrase for phrase, _ in rules)).search(text):
        return  # most modules: one scan of the text
    searchable = _without_code(text)
    starts = [0, *(match.end() for match in re.finditer("\n", searchable))]
    found: list[Diagnostic] = []
    for phrase, term in rules:
        preferred = term.term.get(language, "")
        for match in _pattern(phrase).finditer(searchable):
            line = bisect_right(starts, match.start())
            shown = _LINE_BREAK.sub(" ", match.group(0))
            found.append(Diagnostic(
                path, line, match.start() - starts[line - 1] + 1, "TK605",
                f"`{shown}` is a wording to avoid (glossary term `{term.id}`)",
                f"write `{preferred}`" if preferred else None))
    yield from sorted(found, key=lambda diagnostic: (diagnostic.line, diagnostic.column))


@lru_cache(maxsize=16)
def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching wherever any of ``phrases`` would (a filter before each)."""
    alternatives = "|".join(_words(phrase) for phrase in phrases)
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


def _without_code(text: str) -> str:
    """``text`` with fenced code blocks and inline code masked, lines and columns kept.

    The mask is a character that is neither a word character nor white space: a wording
    cannot be matched across code, and masking never makes a match the raw text lacks
    (which is what lets ``check_terminology`` skip texts on the raw text).
    """
    lines: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        fence = _FENCE.match(line) is not None
        lines.append(_MASK * len(line) if fence or in_fence else line)
        in_fence = in_fence != fence
    return _CODE_SPAN.sub(_masked, "\n".join(lines))


_MASK = "\x00"
#: Inline code, which may run over a line wrap (never over a blank line).
_CODE_SPAN = re.compile(r"`(?:[^`\n]|\n(?!\s*\n))*`")


def _masked(match: re.Match[str]) -> str:
    return "".join(character if character == "\n" else _MASK for character in match.group(0))
