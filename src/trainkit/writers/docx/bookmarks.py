"""Bookmarks and table-of-contents entries, planned before anything is written.

A cross-reference may point to a module further on, and the table of contents comes
first, so every bookmark is named up front: one per part, module, section heading and
back-matter chapter. Word bookmark names must start with a letter, hold only letters,
digits and underscores, be at most 40 characters long and be unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule

MAX_BOOKMARK = 40
_INVALID = re.compile(r"[^A-Za-z0-9_]+")
TOC_LEVELS = (2, 3)  # module titles are level 1


class BookmarkNames:
    """Valid, unique bookmark names and ids for one document."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next_id = 0

    def name(self, hint: str) -> str:
        """A new name like ``hint`` (cleaned, shortened, numbered if taken)."""
        base = _INVALID.sub("_", hint).strip("_")
        if not base or not base[0].isalpha():
            base = f"b_{base}" if base else "b"
        base = base[:MAX_BOOKMARK]
        candidate, counter = base, 1
        while candidate.lower() in self._taken:  # Word compares names case-insensitively
            counter += 1
            suffix = f"_{counter}"
            candidate = base[:MAX_BOOKMARK - len(suffix)] + suffix
        self._taken.add(candidate.lower())
        return candidate

    def next_id(self) -> int:
        """A new ``w:id`` for a ``w:bookmarkStart``/``w:bookmarkEnd`` pair."""
        self._next_id += 1
        return self._next_id


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One pre-filled line of the table of contents."""

    level: int
    text: str
    bookmark: str


@dataclass(slots=True)
class EditionPlan:
    """The bookmark of everything a link or the table of contents can point to."""

    names: BookmarkNames
    modules: dict[str, str] = field(default_factory=dict)
    parts: dict[int, str] = field(default_factory=dict)
    headings: dict[int, str] = field(default_factory=dict)  # id(Heading node) -> name
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)
    back: dict[str, str] = field(default_factory=dict)
    toc: list[TocEntry] = field(default_factory=list)

    def target(self, module_id: str, anchor: str | None) -> str | None:
        """The bookmark a cross-reference to ``module_id`` (and ``anchor``) goes to."""
        if anchor:
            found = self.anchors.get((module_id, anchor))
            if found:
                return found
        return self.modules.get(module_id)


def module_title(edition: AssembledEdition, module: EditionModule) -> str:
    """``Module 3: The legal framework``: the heading, running header and TOC line, in
    the edition's words and typography, as in the PDF."""
    return edition.module_title(module)


def section_title(heading: d.Heading) -> str:
    text = d.plain_text(heading.children)
    return f"{heading.number} {text}" if heading.number else text


def _headings(blocks: tuple[d.Block, ...]) -> list[d.Heading]:
    """Every heading among ``blocks`` and the blocks inside them, in reading order."""
    found: list[d.Heading] = []
    stack: list[d.Block] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, d.Heading):
            found.append(block)
        elif isinstance(block, (d.BulletList, d.OrderedList)):
            for item in reversed(block.items):
                stack.extend(reversed(item.blocks))
        elif isinstance(block, (d.NamedBlock, d.BlockQuote, d.Conditional)):
            stack.extend(reversed(block.blocks))
    return found


def plan_edition(edition: AssembledEdition) -> EditionPlan:
    """Name every bookmark of ``edition`` and list its table of contents."""
    words = edition.labels
    plan = EditionPlan(BookmarkNames())
    part: str | None = None
    for module in edition.modules:
        if module.part and module.part != part:
            part = module.part
            plan.parts[module.number] = plan.names.name(f"part_{module.number}_{part}")
            plan.toc.append(TocEntry(1, part, plan.parts[module.number]))
        mark = plan.names.name(f"module_{module.meta.id}")
        plan.modules[module.meta.id] = mark
        title = module_title(edition, module)
        if module.fallback:  # marked as in the HTML and PDF contents
            title += f" ({edition.fallback_mark(module)})"
        plan.toc.append(TocEntry(1, title, mark))
        for heading in _headings(module.blocks):
            name = plan.names.name(f"{module.meta.id}_{heading.anchor}")
            plan.headings[id(heading)] = name
            plan.anchors.setdefault((module.meta.id, heading.anchor), name)
            if heading.level in TOC_LEVELS:
                plan.toc.append(TocEntry(heading.level, section_title(heading), name))
    from trainkit.writers.html.questions import coverage_rows

    back = ["legal-index", "durations", *(["coverage"] if coverage_rows(edition) else []),
            *(["glossary"] if edition.glossary else []),
            *(["national-law"] if edition.national_law else [])]
    for key in back:
        plan.back[key] = plan.names.name(key)
        plan.toc.append(TocEntry(1, words[key], plan.back[key]))
    return plan
