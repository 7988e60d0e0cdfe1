"""The variables an edition defines for ``{{ name }}`` in module text."""

from __future__ import annotations

from collections.abc import Mapping

from trainkit.text import prose_list
from trainkit.schemas import Manifest, RegionProfile

BUILTIN_VARIABLES = frozenset({
    "manual.title", "manual.subtitle", "manual.publisher", "manual.version",
    "edition.id", "edition.title",
    "region.id", "region.name", "region.countries", "region.languages",
})


def known_variable_names(defaults: Mapping[str, str],
                         regions: Mapping[str, RegionProfile]) -> list[str]:
    """Every variable name defined anywhere in the project, for suggestions."""
    names = set(BUILTIN_VARIABLES) | {f"region.{name}" for name in defaults}
    for region in regions.values():
        names |= {f"region.{name}" for name in region.variables}
    return sorted(names)




def edition_variables(manifest: Manifest, edition_id: str, region_id: str,
                      region: RegionProfile | None, language: str | None = None,
                      ) -> dict[str, str]:
    """The value of every variable for one region's edition, in ``language``.

    A region's ``localized`` name and variables for the language take precedence; a
    variable without a translation keeps the source-language value.
    """
    edition = manifest.editions.get(edition_id)
    values = {
        "manual.title": manifest.title,
        "manual.subtitle": manifest.subtitle,
        "manual.publisher": manifest.publisher,
        "manual.version": manifest.version,
        "edition.id": edition_id,
        "edition.title": edition.title if edition else edition_id,
        "region.id": region_id,
        "region.name": region.name if region else "",
        "region.countries": prose_list(list(region.countries)) if region else "",
        "region.languages": ", ".join(region.languages) if region else manifest.language,
    }
    values.update({f"region.{name}": value for name, value in manifest.variables.items()})
    if region is not None:
        values.update({f"region.{name}": value for name, value in region.variables.items()})
        words = region.localized.get(language or "")
        if words is not None:
            if words.name:
                values["region.name"] = words.name
            if words.countries is not None:
                values["region.countries"] = prose_list(list(words.countries), language or "en")
            values.update({f"region.{name}": value for name, value in words.variables.items()})
    return values
