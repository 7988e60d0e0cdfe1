"""The printed glossary and the list of abbreviations, in an edition's language."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainkit.assembly.typography import typeset_text
from trainkit.model import document as d
from trainkit.model.edition import Abbreviation, EditionModule, GlossaryEntry
from trainkit.schemas.glossary import Glossary


def entries_for(glossary: Glossary | None, language: str, fallback: str) -> list[GlossaryEntry]:
    """The glossary in ``language`` (terms missing there in ``fallback``), sorted by term.

    Terms without a definition (kept for their abbreviation or wordings to avoid) are left
    out: an entry with nothing after it says nothing.
    """
    if glossary is None:
        return []
    entries = []
    for term in glossary.terms:
        wording = term.term.get(language) or term.term.get(fallback)
        definition = term.definition.get(language) or term.definition.get(fallback, "")
        if wording and definition:
            entries.append(GlossaryEntry(typeset_text(wording, language),
                                         typeset_text(definition, language)))
    return sorted(entries, key=lambda entry: entry.term.casefold())


def abbreviations_for(glossary: Glossary | None, language: str, fallback: str,
                      modules: Iterable[EditionModule]) -> list[Abbreviation]:
    """The glossary's abbreviations that the text of ``modules`` uses, sorted.

    An abbreviation counts where it stands as a word of its own (a plural ``s`` allowed:
    "JITs"), in the body text, headings, titles, summaries or objectives, never in code.
    A term's abbreviation in ``language`` is looked for, and its abbreviation in
    ``fallback`` too (a module printed in the source language for want of a translation
    uses that one); each stands for the term in ``language``.
    """
    if glossary is None:
        return []
    text = "\n".join(_texts(modules))
    found: dict[str, Abbreviation] = {}
    for term in glossary.terms:
        wording = term.term.get(language) or term.term.get(fallback)
        for code in dict.fromkeys(term.abbreviation.get(lang) for lang in (language, fallback)):
            if code and wording and code not in found and re.search(
                    rf"(?<!\w){re.escape(code)}s?(?!\w)", text):
                found[code] = Abbreviation(code, typeset_text(wording, language))
    return sorted(found.values(), key=lambda entry: entry.abbreviation.casefold())


def _texts(modules: Iterable[EditionModule]) -> Iterable[str]:
    for module in modules:
        meta = module.meta
        yield from (meta.title, meta.summary, *meta.objective_texts)
        for node in d.walk(module.blocks):
            if isinstance(node, d.Text):
                yield node.text
            elif isinstance(node, d.NamedBlock):
                yield node.title
