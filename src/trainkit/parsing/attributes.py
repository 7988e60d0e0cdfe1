"""The ``{key=value ...}`` attribute group at the end of a ``:::`` fence line.

``::: question {type=choice objectives=1,3 points=2}``: words separated by spaces, each
``key=value``, as pandoc writes attributes. A ``{{ variable }}`` at the end of a title is
no attribute group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_GROUP = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})\s*$")

#: report(code, line, column, message, hint)
Report = Callable[[str, int, int, str, "str | None"], None]


@dataclass(frozen=True, slots=True)
class Attribute:
    """One ``key=value`` word and the column of its first character."""

    key: str
    value: str
    column: int

    @property
    def value_column(self) -> int:
        """The column of the value's first character."""
        return self.column + len(self.key) + 1


def split_attributes(rest: str) -> tuple[str, str | None]:
    """The title and the attribute group's text (None without a group) of a fence line's
    words after the block name."""
    match = _GROUP.search(rest)
    if match is None:
        return rest.strip(), None
    return rest[:match.start()].strip(), match.group(1)


def parse_attributes(group: str, source: str, line: int,
                     report: Report) -> dict[str, Attribute]:
    """The attributes in ``group`` (found at the end of the source line ``source``), by key;
    malformed words and repeated keys are reported (TK803) and left out."""
    base = source.rfind("{" + group + "}") + 2
    found: dict[str, Attribute] = {}
    for match in re.finditer(r"\S+", group):
        word, column = match.group(0), base + match.start()
        key, equals, value = word.partition("=")
        if not equals or not key or not value:
            report("TK803", line, column, f"`{word}` is not an attribute",
                   "write key=value words separated by spaces, e.g. {type=choice points=2}")
        elif key in found:
            report("TK803", line, column, f"attribute `{key}` is given twice",
                   "keep one of them")
        else:
            found[key] = Attribute(key, value, column)
    return found
