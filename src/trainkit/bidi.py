"""Bidirectional control characters: the "Trojan Source" family (CVE-2021-42574).

The embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are invisible and
change the order in which the characters around them are displayed, so a line can read
one way in an editor, a pull request or a terminal and say something else. trainkit
reports them: a warning (TK510) wherever they occur in a text file, and an error (TK511)
in ids, file names, file references and link addresses, where a name that looks right
would name something else.

Right-to-left writing does not need them. Arabic letters carry their direction
themselves, and the three directional *marks* (U+200E left-to-right mark, U+200F
right-to-left mark, U+061C Arabic letter mark) are allowed: they are invisible letters
with a direction, which only settle the side of neighbouring punctuation or digits, and
can neither reverse nor move text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainkit.diagnostics import Diagnostic

#: The embeddings, overrides and isolates, and their terminators.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

_NAMES = {
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}

TEXT_HINT = ("delete it; right-to-left text such as Arabic needs none (the marks U+200E "
             "and U+200F are fine)")


def first_control(text: str) -> str | None:
    """The first bidirectional control character of ``text``, if it has one."""
    match = BIDI_CONTROLS.search(text)
    return match.group(0) if match else None


def describe(char: str) -> str:
    """``U+202E (right-to-left override)``."""
    return f"U+{ord(char):04X} ({_NAMES.get(char, 'bidirectional control')})"


def visible(text: str) -> str:
    """``text`` with each bidirectional control written as ``<U+202E>``, for messages."""
    return BIDI_CONTROLS.sub(lambda match: f"<U+{ord(match.group(0)):04X}>", text)


def contains_message(what: str, char: str) -> str:
    """'`id` contains the invisible bidirectional control character U+202E (...)'."""
    return f"{what} contains the invisible bidirectional control character {describe(char)}"


def text_findings(text: str, relative: str) -> list[Diagnostic]:
    """A TK510 warning for the first bidirectional control of each line of a file."""
    if BIDI_CONTROLS.search(text) is None:
        return []
    findings = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = BIDI_CONTROLS.search(line)
        if match:
            findings.append(Diagnostic(
                relative, number, match.start() + 1, "TK510",
                f"invisible bidirectional control character {describe(match.group(0))} "
                "can make this line display differently from what it says", TEXT_HINT))
    return findings


def without_shadowed(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` less the TK510 warnings on lines that have a TK511 error.

    The line scan cannot tell an id or a file name from text; the checks that can report
    the same character as an error, which says more.
    """
    found = list(diagnostics)
    errors = {(d.path, d.line) for d in found if d.code == "TK511"}
    if not errors:
        return found
    return [d for d in found if d.code != "TK510" or (d.path, d.line) not in errors]
