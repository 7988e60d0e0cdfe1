"""Regions that extend regions: ``extends: north-africa`` in ``regions/egypt.yaml``.

A region inherits its parent's countries, languages, variables, localized words, added
and omitted modules and adaptations (after the parent's own inheritance), and overrides
what it sets itself. Its name, ``status`` and ``last_reviewed`` are its own. A region
whose parent is unknown, or that is part of a cycle, keeps its own values only (the
checks report it, TK705).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from trainkit.schemas import RegionProfile
from trainkit.schemas.region import Adaptation, RegionLocalization


def ancestry(regions: Mapping[str, RegionProfile], region_id: str) -> list[str]:
    """``region_id`` then its parent, grandparent...; stops before an unknown id or a
    repeat (so a cycle gives each of its regions once)."""
    chain: list[str] = []
    current: str | None = region_id
    while current is not None and current in regions and current not in chain:
        chain.append(current)
        current = regions[current].extends
    return chain


def in_cycle(regions: Mapping[str, RegionProfile], region_id: str) -> list[str] | None:
    """The cycle ``region_id`` lies on, from it back to it, or None."""
    chain = ancestry(regions, region_id)
    last = regions[chain[-1]].extends if chain else None
    if last == region_id:
        return [*chain, region_id]
    return None


def _usable_chain(regions: Mapping[str, RegionProfile], region_id: str) -> list[str]:
    """The ancestry to merge: only the region itself when it lies on a cycle, and up to
    (not past) a parent that is on a cycle."""
    if in_cycle(regions, region_id) is not None:
        return [region_id]
    chain = ancestry(regions, region_id)
    for index, rid in enumerate(chain):
        if in_cycle(regions, rid) is not None:
            return chain[:index]
    return chain


def effective_regions(regions: Mapping[str, RegionProfile]) -> dict[str, RegionProfile]:
    """Every region with what it inherits merged in."""
    return {rid: effective_region(regions, rid) for rid in regions}


def effective_region(regions: Mapping[str, RegionProfile], region_id: str) -> RegionProfile:
    """``region_id``'s profile with what it inherits from its ancestors merged in."""
    chain = _usable_chain(regions, region_id)
    merged = regions[region_id]
    for parent_id in chain[1:]:
        merged = _merge(regions[parent_id], merged)
    if len(chain) > 1:
        merged = merged.model_copy()
        merged._ancestors = tuple(chain[1:])
    return merged


def _merge(parent: RegionProfile, child: RegionProfile) -> RegionProfile:
    """``child`` over ``parent``: what the child sets wins, lists of modules add up."""
    own = child.model_fields_set
    localized = dict(parent.localized)
    for language, words in child.localized.items():
        localized[language] = _merge_words(localized.get(language), words)
    return child.model_copy(update={
        "countries": child.countries if "countries" in own else parent.countries,
        "languages": child.languages if "languages" in own else parent.languages,
        "variables": {**parent.variables, **child.variables},
        "localized": localized,
        "add_modules": [*parent.add_modules, *child.add_modules],
        "omit_modules": [*parent.omit_modules,
                         *(m for m in child.omit_modules if m not in parent.omit_modules)],
        "adaptations": overlay(parent.adaptations, child.adaptations),
    })


def _merge_words(parent: RegionLocalization | None,
                 child: RegionLocalization) -> RegionLocalization:
    if parent is None:
        return child
    return RegionLocalization(
        name=child.name or parent.name,
        countries=child.countries if child.countries is not None else parent.countries,
        variables={**parent.variables, **child.variables})


def adaptation_origins(regions: Mapping[str, RegionProfile],
                       region_id: str) -> dict[str, tuple[str, Adaptation]]:
    """Each adaptation key of ``region_id`` (inherited or its own) with the id of the
    region whose profile gives it (fragment files live under ``regions/<that id>/``)."""
    found: dict[str, tuple[str, Adaptation]] = {}
    for rid in reversed(_usable_chain(regions, region_id)):
        found = overlay(found, {key: (rid, value)
                                for key, value in regions[rid].adaptations.items()})
    return found


Value = TypeVar("Value")


def overlay(parent: Mapping[str, Value], child: Mapping[str, Value]) -> dict[str, Value]:
    """Adaptations of ``child`` over those it inherits: the nearest region wins, so a
    plain ``slot`` key of the child also replaces the parent's ``slot@<module>`` keys."""
    plain = {key for key in child if "@" not in key}
    kept = {key: value for key, value in parent.items() if key.partition("@")[0] not in plain}
    return {**kept, **child}
