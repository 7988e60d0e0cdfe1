"""The project glossary: terms to prefer, wordings to avoid, and the printed glossary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from trainkit.diagnostics import Diagnostic
from trainkit.schemas.glossary import Glossary, Term

GLOSSARY_FILE = "glossary.yaml"
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One term as printed in an edition's language."""

    term: str
    definition: str


def entries_for(glossary: Glossary | None, language: str, fallback: str) -> list[GlossaryEntry]:
    """The glossary in ``language`` (terms missing there in ``fallback``), sorted by term."""
    if glossary is None:
        return []
    entries = []
    for term in glossary.terms:
        wording = term.term.get(language) or term.term.get(fallback)
        definition = term.definition.get(language) or term.definition.get(fallback, "")
        if wording:
            entries.append(GlossaryEntry(wording, definition))
    return sorted(entries, key=lambda entry: entry.term.casefold())


@lru_cache(maxsize=256)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def avoided_terms(glossary: Glossary, language: str) -> list[tuple[str, Term]]:
    """Every (wording to avoid, term) pair for ``language``."""
    return [(phrase, term) for term in glossary.terms for phrase in term.avoid.get(language, [])]


def check_terminology(path: str, text: str, language: str,
                      glossary: Glossary) -> Iterator[Diagnostic]:
    """A TK605 warning for each use of a wording to avoid in ``text`` (code excluded)."""
    rules = avoided_terms(glossary, language)
    if not rules:
        return
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        searchable = _blank_code_spans(line)
        for phrase, term in rules:
            for match in _pattern(phrase).finditer(searchable):
                preferred = term.term.get(language, "")
                yield Diagnostic(
                    path, number, match.start() + 1, "TK605",
                    f"`{match.group(0)}` is a wording to avoid (glossary term `{term.id}`)",
                    f"write `{preferred}`" if preferred else None)


def _blank_code_spans(line: str) -> str:
    """``line`` with inline code replaced by spaces, so columns stay right."""
    return re.sub(r"`[^`]*`", lambda match: " " * len(match.group(0)), line)
