"""Every word trainkit itself prints, by language.

Writers never hard-code text: they look it up in the catalogue of the edition's
language, ``resources/labels/<language>.json``, with the project's own catalogue
(``labels/<language>.yaml``) laid over it. English, French and Arabic are complete (a test
fails if a catalogue lacks a key English has); validation refuses an edition language
with neither catalogue, so ``labels`` giving English for one is only a last resort.

Dates, day counts and language names come from the CLDR data of Babel, imported only
when one is formatted (not by ``trainkit --help`` or ``validate``).
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

#: The Babel (CLDR) locale of a language code where the bare code is not the usage
#: trainkit wants: day-month-year English.
_LOCALES = {"en": "en_GB"}
_EASTERN = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664"
                                       "\u0665\u0666\u0667\u0668\u0669")


def numbered(word: str, number: object) -> str:
    """``Module 7``, ``Étude de cas 1.1``: a label and its number, joined by a no-break space."""
    return f"{word}{NO_BREAK_SPACE}{number}"


def titled(label: str, title: str, language: str,
           words: dict[str, str] | None = None) -> str:
    """``Module 1: Introduction``; in French ``Module 1 : Introduction``, with a no-break
    space before the colon (the catalogue's ``title-separator``)."""
    words = words if words is not None else labels(language)
    return f"{label}{words['title-separator']}{title}"


def module_title(language: str, number: int | str, title: str,
                 words: dict[str, str] | None = None) -> str:
    """``Module 7: Following the money`` in the words of ``language`` (or ``words``, the
    project's catalogue laid over trainkit's)."""
    words = words if words is not None else labels(language)
    return titled(numbered(words["module"], number), title, language, words)


def localize_digits(text: str, digits: str = "western") -> str:
    """``text`` with 0-9 written in ``digits``: ``western`` leaves them, ``eastern``
    gives the Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩)."""
    return text.translate(_EASTERN) if digits == "eastern" else text


def babel_locale(language: str) -> str:
    """The CLDR locale Babel formats ``language`` with (``fr-CA`` -> ``fr_CA``)."""
    return _LOCALES.get(language, language.replace("-", "_"))


def format_date(value: datetime.date, language: str, digits: str = "western") -> str:
    """A date as ``language`` writes it (CLDR's long form): 22 November 2026,
    22 novembre 2026, 22 نوفمبر 2026 (٢٢ نوفمبر ٢٠٢٦ with eastern digits)."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date as babel_format_date

    try:
        text = babel_format_date(value, "long", locale=babel_locale(language))
    except (UnknownLocaleError, ValueError):
        text = babel_format_date(value, "long", locale=babel_locale(SOURCE_LANGUAGE))
    return localize_digits(text, digits)


def format_days(days: int, language: str, digits: str = "western") -> str:
    """'1 day', '3 days', '3 jours', '3 أيام': CLDR's plural rules for the language, with
    a no-break space."""
    from babel.core import UnknownLocaleError
    from babel.units import format_unit

    try:
        text = format_unit(days, "duration-day", locale=babel_locale(language))
    except (UnknownLocaleError, ValueError):
        text = format_unit(days, "duration-day", locale=babel_locale(SOURCE_LANGUAGE))
    # "3 days" never parts at a line end (as "Module 7" does not).
    return localize_digits(text.replace(" ", NO_BREAK_SPACE), digits)


def language_name(code: str, language: str) -> str:
    """The name of language ``code`` in ``language``: ('en', 'ar') -> 'الإنجليزية'."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        name = Locale.parse(babel_locale(language)).languages.get(code.split("-")[0])
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


def format_minutes(minutes: int, language: str, digits: str = "western",
                   words: dict[str, str] | None = None) -> str:
    """90 -> '1 h 30 min' (in the words of ``language``, or ``words``)."""
    words = words if words is not None else labels(language)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        text = words["hours-minutes"].format(h=hours, m=f"{rest:02d}")
    else:
        text = words["hours"].format(h=hours) if hours else words["minutes"].format(m=rest)
    return localize_digits(text, digits)
