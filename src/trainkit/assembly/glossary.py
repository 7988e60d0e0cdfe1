"""The printed glossary: the project's terms in an edition's language, sorted."""

from __future__ import annotations

from trainkit.model.edition import GlossaryEntry
from trainkit.schemas.glossary import Glossary


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
