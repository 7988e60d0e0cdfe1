"""An edition's document metadata (subject, keywords): the HTML head and the PDF's
information dictionary say the same."""

from __future__ import annotations

from trainkit.labels import titled
from trainkit.model.edition import AssembledEdition


def edition_keywords(edition: AssembledEdition, limit: int = 40) -> list[str]:
    """Region, edition and the included modules' keywords, without repeats."""
    seen: dict[str, None] = {edition.request.region: None, edition.request.edition: None}
    for module in edition.modules:
        for keyword in module.meta.keywords:
            seen.setdefault(keyword, None)
    return list(seen)[:limit]


def edition_subject(edition: AssembledEdition) -> str:
    """The edition's subject: the manual's title, with the edition and the region."""
    parts = [edition.edition.title]
    if edition.region_name:
        parts.append(edition.region_name)
    return titled(edition.manifest.title, ", ".join(parts), edition.language)
