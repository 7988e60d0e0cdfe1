"""Regions that extend regions: what a country edition inherits and overrides."""

from __future__ import annotations

from typing import Any

from trainkit.loading.inheritance import (
    adaptation_origins, ancestry, effective_region, effective_regions, in_cycle, overlay,
)
from trainkit.schemas import RegionProfile


def region(**fields: Any) -> RegionProfile:
    return RegionProfile.model_validate(fields)


REGIONS = {
    "africa": region(name="Africa", countries=["A", "B", "C"], languages=["en", "fr"],
                     variables={"hotline": "112", "agency": "AFRIPOL"},
                     localized={"fr": {"name": "Afrique", "variables": {"agency": "AFRIPOL"}}},
                     add_modules=[{"file": "modules/sahel.md"}], omit_modules=["sea"],
                     adaptations={"national-law": "law.md", "contact@intro": "Africa text"}),
    "north-africa": region(name="North Africa", extends="africa", countries=["A", "B"],
                           variables={"hotline": "113"}, omit_modules=["desert"],
                           status="complete", last_reviewed="2026-10-01",
                           adaptations={"contact": "North text"}),
    "egypt": region(name="Egypt", extends="north-africa", languages=["ar", "en"],
                    localized={"fr": {"name": "Égypte"}},
                    adaptations={"national-law": {"en": "Egyptian law", "ar": "..."}}),
}


def test_a_country_inherits_through_the_chain_and_overrides_what_it_sets() -> None:
    egypt = effective_region(REGIONS, "egypt")
    assert egypt.name == "Egypt"
    assert egypt.countries == ["A", "B"]  # from north-africa, the nearest that sets them
    assert egypt.languages == ["ar", "en"]  # its own
    assert egypt.variables == {"hotline": "113", "agency": "AFRIPOL"}
    assert egypt.localized["fr"].name == "Égypte"
    assert egypt.localized["fr"].variables == {"agency": "AFRIPOL"}
    assert [a.file for a in egypt.add_modules] == ["modules/sahel.md"]
    assert egypt.omit_modules == ["sea", "desert"]
    assert egypt.status == "draft" and egypt.last_reviewed is None  # never inherited
    assert egypt.ancestors == ("north-africa", "africa")
    assert egypt.adaptations == {"national-law": {"en": "Egyptian law", "ar": "..."},
                                 "contact": "North text"}


def test_adaptations_know_the_region_that_gives_them() -> None:
    assert adaptation_origins(REGIONS, "egypt") == {
        "national-law": ("egypt", {"en": "Egyptian law", "ar": "..."}),
        "contact": ("north-africa", "North text")}
    assert adaptation_origins(REGIONS, "africa") == {
        "national-law": ("africa", "law.md"), "contact@intro": ("africa", "Africa text")}


def test_the_nearest_region_wins_over_a_module_specific_key_it_inherits() -> None:
    assert overlay({"contact@intro": 1, "law": 2}, {"contact": 3}) == {"law": 2, "contact": 3}
    assert overlay({"contact": 1}, {"contact@intro": 2}) == {"contact": 1, "contact@intro": 2}


def test_a_region_without_parent_is_unchanged() -> None:
    assert effective_region(REGIONS, "africa") == REGIONS["africa"]
    assert effective_region(REGIONS, "africa").ancestors == ()


def test_cycles_and_unknown_parents_inherit_nothing() -> None:
    regions = {
        "a": region(name="A", languages=["en"], extends="b", variables={"x": "a"}),
        "b": region(name="B", languages=["fr"], extends="a", variables={"y": "b"}),
        "c": region(name="C", extends="a"),
        "d": region(name="D", languages=["en"], extends="nowhere"),
    }
    assert in_cycle(regions, "a") == ["a", "b", "a"]
    assert in_cycle(regions, "c") is None
    assert ancestry(regions, "c") == ["c", "a", "b"]
    merged = effective_regions(regions)
    assert merged["a"].variables == {"x": "a"}
    assert merged["b"].variables == {"y": "b"}
    assert merged["c"].variables == {} and merged["c"].languages == []
    assert merged["d"] == regions["d"]
