"""The national law annex of an edition: a table per country, in the edition's words.

A region's profiles are in ``regions/<id>/national-law.yaml``; a region without the file
uses its nearest ancestor's (a country edition of a region), limited to its own
countries. Tables follow the order of the region's ``countries``; a field the profile
leaves out (nobody verified it) prints as "not verified". A field prints in the
edition's language when the entry's ``localized`` translates it, else in English with
English typography (the row says which language its text is in).
"""

from __future__ import annotations

from collections.abc import Mapping

from trainkit.assembly.typography import typeset_text
from trainkit.labels import format_date
from trainkit.loading.project import Project
from trainkit.model.edition import CountryLawTable, LawRow
from trainkit.schemas import RegionProfile
from trainkit.schemas.national_law import LAW_FIELDS, LAW_LANGUAGE, CountryLaw, NationalLaw


def national_law_profiles(project: Project, region_id: str,
                          region: RegionProfile | None) -> NationalLaw | None:
    """The profiles a region's editions print: its own file's, else its nearest
    ancestor's; None when neither has one."""
    ancestors = region.ancestors if region is not None else ()
    for origin in (region_id, *ancestors):
        file = project.national_law.get(origin)
        if file is not None:
            return file.model
    return None


def national_law_tables(profiles: NationalLaw | None, region: RegionProfile | None,
                        language: str, words: Mapping[str, str],
                        digits: str = "western") -> tuple[CountryLawTable, ...]:
    """The annex's tables for ``region``'s countries that have a profile, in the order
    of the region's ``countries``."""
    if profiles is None or region is None:
        return ()
    by_country = {entry.country: entry for entry in profiles.countries}
    names = _country_names(region, language)
    return tuple(_table(by_country[country], names.get(country, country), language, words,
                        digits)
                 for country in region.countries if country in by_country)


def _country_names(region: RegionProfile, language: str) -> dict[str, str]:
    """Each country's name in ``language`` (the region's ``localized`` list, in order)."""
    localized = region.localized.get(language)
    if localized is None or localized.countries is None:
        return {}
    return dict(zip(region.countries, localized.countries))


def _table(entry: CountryLaw, country: str, language: str, words: Mapping[str, str],
           digits: str) -> CountryLawTable:
    rows = []
    translated = entry.localized.get(language) if language != LAW_LANGUAGE else None
    for name, key in LAW_FIELDS:
        value = getattr(entry, name)
        own = getattr(translated, name) if translated is not None else None
        if value is None:
            rows.append(LawRow(words[key], words["not-verified"], verified=False))
        elif own is not None:
            rows.append(LawRow(words[key], typeset_text(own, language), language=language))
        else:
            rows.append(LawRow(words[key], typeset_text(value, LAW_LANGUAGE),
                               language=LAW_LANGUAGE))
    rows.append(LawRow(words["law-sources"], "", language=LAW_LANGUAGE,
                       links=tuple(entry.sources)))
    checked = words["law-last-checked"].format(
        date=format_date(entry.last_checked, language, digits))
    return CountryLawTable(typeset_text(country, language), checked, tuple(rows))
