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
#: Between a word and its number ("Module 7", "Exercise 1.2"): they never part at a line end.
NO_BREAK_SPACE = "\u00a0"


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


def numbered(word: str, number: object) -> str:
    """``Module 7``, ``Étude de cas 1.1``: a label and its number, joined by a no-break space."""
    return f"{word}{NO_BREAK_SPACE}{number}"


def titled(label: str, title: str, language: str) -> str:
    """``Module 1: Introduction``; in French ``Module 1 : Introduction``, with a no-break
    space before the colon (the catalogue's ``title-separator``)."""
    return f"{label}{labels(language)['title-separator']}{title}"


def module_title(language: str, number: int, title: str) -> str:
    """``Module 7: Following the money`` in the words of ``language``."""
    return titled(numbered(labels(language)["module"], number), title, language)


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
