"""National law profiles against their region: ``regions/<id>/national-law.yaml``.

The schema (``schemas/national_law.py``) is checked while loading; here, what needs the
region profile too: each entry names a country of the region, once, and gives the web
addresses it was checked against; its translations (``localized``) are into languages of
the region and translate only fields the English entry gives. These checks read the loaded values, not the model,
so an entry with a bad date still has its country checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trainkit.diagnostics import Diagnostic
from trainkit.loading.project import REGIONS_DIR, Project, YamlFile
from trainkit.schemas import RegionProfile
from trainkit.schemas.national_law import LAW_FIELDS, LAW_LANGUAGE, NationalLaw
from trainkit.text import suggestion


def check_national_law(project: Project) -> list[Diagnostic]:
    """Every finding about the national law files beyond their schema."""
    regions = project.region_models()
    found: list[Diagnostic] = []
    for region_id, file in sorted(project.national_law.items()):
        if region_id not in project.regions:
            found.append(Diagnostic(
                file.path, 1, 1, "TK727",
                f"there is no region `{region_id}`, so this national law file is not used",
                f"name the folder after a region profile in {REGIONS_DIR}/, or add "
                f"{REGIONS_DIR}/{region_id}.yaml"))
            continue
        region = regions.get(region_id)
        if region is not None:
            found.extend(_check_entries(file, region_id, region))
    return found


def _entries(file: YamlFile[NationalLaw]) -> Iterator[tuple[int, dict[str, Any]]]:
    value = file.loaded.value
    entries = value.get("countries") if isinstance(value, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict):
            yield index, entry


def _check_entries(file: YamlFile[NationalLaw], region_id: str,
                   region: RegionProfile) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for index, entry in _entries(file):
        country = entry.get("country")
        if isinstance(country, str) and country.strip():
            yield from _check_country(file, region_id, region, index, country.strip(), seen)
        yield from _check_sources(file, index, entry.get("sources"))
        yield from _check_localized(file, region_id, region, index, entry)


def _check_country(file: YamlFile[NationalLaw], region_id: str, region: RegionProfile,
                   index: int, country: str, seen: dict[str, int]) -> Iterator[Diagnostic]:
    pos = file.loaded.position(("countries", index, "country"))
    if country not in region.countries:
        known = ", ".join(region.countries) or "none"
        yield Diagnostic(file.path, pos.line, pos.column, "TK724",
                         f"`{country}` is not one of the countries of region `{region_id}`",
                         suggestion(country, region.countries)
                         or f"the region's countries: {known}")
    elif country in seen:
        yield Diagnostic(file.path, pos.line, pos.column, "TK725",
                         f"`{country}` has a second entry (the first is on line "
                         f"{seen[country]})", "merge the two entries into one")
    else:
        seen[country] = pos.line


def _check_sources(file: YamlFile[NationalLaw], index: int,
                   sources: object) -> Iterator[Diagnostic]:
    if sources == []:
        pos = file.loaded.position(("countries", index, "sources"))
        yield Diagnostic(file.path, pos.line, pos.column, "TK722",
                         f"`countries.{index}.sources` is empty",
                         "list the web addresses the entry was checked against")
        return
    for number, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, str) and not source.strip().startswith(("https://", "http://")):
            pos = file.loaded.position(("countries", index, "sources", number))
            yield Diagnostic(file.path, pos.line, pos.column, "TK726",
                             f"source `{source.strip()}` is not a web address",
                             "write the full address, starting with https://")


def _check_localized(file: YamlFile[NationalLaw], region_id: str, region: RegionProfile,
                     index: int, entry: dict[str, Any]) -> Iterator[Diagnostic]:
    """Each translation is into a language of the region other than English, and
    translates only fields the English entry gives (a translation adds nothing)."""
    localized = entry.get("localized")
    if not isinstance(localized, dict):
        return
    languages = [lang for lang in region.languages if lang != LAW_LANGUAGE]
    for language, fields in localized.items():
        if language not in languages:
            pos = file.loaded.position(("countries", index, "localized", language),
                                       key=True)
            yield Diagnostic(
                file.path, pos.line, pos.column, "TK728",
                f"`{language}` is not a language of region `{region_id}` other than "
                f"English, so this translation is never printed",
                f"the region's other languages: {', '.join(languages) or 'none'}")
            continue
        for name in fields if isinstance(fields, dict) else {}:
            if name in _FIELD_NAMES and entry.get(name) is None:
                pos = file.loaded.position(("countries", index, "localized", language, name),
                                           key=True)
                yield Diagnostic(
                    file.path, pos.line, pos.column, "TK729",
                    f"`{name}` is translated into `{language}` but the English entry does "
                    f"not give it", f"verify and write `{name}` in English first, or remove "
                    f"the translation")


_FIELD_NAMES = frozenset(name for name, _ in LAW_FIELDS)
