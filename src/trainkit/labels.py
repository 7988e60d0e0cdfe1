"""Every word trainkit itself prints, by language.

Writers never hard-code text: they look it up in the catalogue of the edition's
language, ``resources/labels/<language>.json``. English, French and Arabic are complete
(a test fails if a catalogue lacks a key English has); a language without a catalogue
gets English.
"""

from __future__ import annotations

import datetime
import json
from functools import lru_cache
from importlib import resources

SOURCE_LANGUAGE = "en"


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str] | None:
    try:
        text = resources.files("trainkit").joinpath(
            "resources", "labels", f"{language}.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    catalogue: dict[str, str] = json.loads(text)
    return catalogue


def catalogue_languages() -> list[str]:
    """The languages trainkit has a catalogue for."""
    folder = resources.files("trainkit").joinpath("resources", "labels")
    return sorted(item.name.removesuffix(".json") for item in folder.iterdir()
                  if item.name.endswith(".json"))


def labels(language: str) -> dict[str, str]:
    """The catalogue for ``language``; English for a language without one."""
    base = language.split("-")[0]
    found = _catalogue(base)
    if found is not None:
        return found
    english = _catalogue(SOURCE_LANGUAGE)
    assert english is not None, "the English catalogue ships with trainkit"
    return english


ENGLISH: dict[str, str] = labels(SOURCE_LANGUAGE)


def format_date(value: datetime.date, language: str) -> str:
    """A date as people write it in ``language``: 22 November 2026, 22 novembre 2026."""
    months = labels(language)["months"].split("|")
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_minutes(minutes: int, language: str) -> str:
    """90 -> '1 h 30 min' (in the words of ``language``)."""
    words = labels(language)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return words["hours-minutes"].format(h=hours, m=f"{rest:02d}")
    return words["hours"].format(h=hours) if hours else words["minutes"].format(m=rest)
