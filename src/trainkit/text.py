"""Small text helpers every stage shares: suggestions, slugs and lists in prose."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: How a list reads in prose, by language: separator, then the joint before the last item.
_LISTS = {"en": (", ", " and "), "fr": (", ", " et "), "ar": ("، ", " و")}


def suggestion(word: str, choices: Sequence[str]) -> str | None:
    """'did you mean `x`?' for the closest of ``choices``, or None."""
    close = closest(word, choices)
    return f"did you mean `{close}`?" if close is not None else None


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The one of ``choices`` that ``word`` most likely misspells, or None."""
    from difflib import get_close_matches  # only when there is something to suggest

    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def slugify(text: str) -> str:
    """The anchor of a heading: lower case, words joined by hyphens (any script)."""
    words = re.findall(r"[\w]+", text.lower())
    return "-".join(word.strip("_") for word in words if word.strip("_"))


#: Latin letters NFKD does not take apart into a base letter and marks.
_ASCII = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                        "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                        "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i", "ħ": "h", "Ħ": "H"})


def ascii_slug(text: str) -> str:
    """A file-name slug in ASCII: 'Enquêtes et poursuites' -> 'enquetes-et-poursuites'.

    Latin letters lose their accents (NFKD, then a small table); other scripts have no
    agreed transliteration and are dropped, so an Arabic title gives ''.
    """
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = decomposed.encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)


def manual_slug(slug: str | None, title: str) -> str:
    """The start of every output file name: the manifest's ``slug``, else the title in
    ASCII, else ``manual`` (a title in a non-Latin script, say Arabic, with no slug)."""
    return slug or ascii_slug(title)[:60].strip("-") or "manual"


def list_separator(language: str) -> str:
    """', ', or the Arabic comma '، ' in Arabic."""
    return _LISTS.get(language.split("-")[0], _LISTS["en"])[0]


def prose_list(items: list[str], language: str = "en") -> str:
    """'A', 'A and B', 'A, B and C' (in the words of ``language``)."""
    if len(items) <= 1:
        return "".join(items)
    separator, joint = _LISTS.get(language, _LISTS["en"])
    return f"{separator.join(items[:-1])}{joint}{items[-1]}"


#: Languages whose common nouns are written in lower case inside a sentence.
_LOWER_CASE_NOUNS = frozenset({"en", "fr", "es", "it", "pt", "nl"})


def audience_list(names: list[str], language: str = "en") -> str:
    """Audience names as one list in prose, capitalised only at its start.

    Names are written to stand alone ("Prosecutors", "Judges"); inside the list every name
    but the first starts in lower case ("Prosecutors, judges and coast guards"), unless its
    first word is an acronym or a name (``INTERPOL officers``, ``eTrade``: a capital letter
    after its first one). German and languages without case keep the names as written.
    """
    if language.split("-")[0] not in _LOWER_CASE_NOUNS:
        return prose_list(names, language)
    return prose_list([names[0], *(_lower_initial(name) for name in names[1:])]
                      if names else [], language)


def _lower_initial(name: str) -> str:
    first = name.split(" ")[0]
    if len(first) > 1 and any(ch.isupper() for ch in first[1:]):
        return name
    return name[:1].lower() + name[1:]
