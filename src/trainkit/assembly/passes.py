"""The passes that turn a module body into its form in one edition.

Order matters and is fixed in ``assemble``: filter first (so nothing dropped reaches
numbering, tables of contents or indexes), then typography (``typography.py``), variables,
images, cross-references and numbering.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from trainkit.errors import MissingVariable
from trainkit.model import document as d
from trainkit.model.assessment import without_answers
from trainkit.assembly.transform import Transform


@dataclass(frozen=True, slots=True)
class Audience:
    """What an edition is built for: the conditions of ``only``/``except`` blocks test it."""

    region: str
    edition: str
    audience: str | None
    hidden_kinds: frozenset[str]
    #: The regions ``region`` extends: ``region=<parent>`` conditions hold for it too.
    region_ancestors: tuple[str, ...] = ()


class EditionFilter(Transform):
    """Resolves conditional blocks and drops the named blocks the edition hides."""

    def __init__(self, target: Audience) -> None:
        self.target = target

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.Conditional):
            return self.blocks(node.blocks) if self.keeps(node) else ()
        if isinstance(node, d.NamedBlock) and node.kind in self.target.hidden_kinds:
            return ()
        kept = self.descend(node)
        if isinstance(kept, d.NamedBlock) and kept.question is not None and (
                "answer" in self.target.hidden_kinds):  # no answer reaches such an edition
            return (replace(kept, question=without_answers(kept.question)),)
        return (kept,)

    def keeps(self, node: d.Conditional) -> bool:
        results = [self.holds(condition) for condition in node.conditions]
        if node.mode == "only":
            return all(result is not False for result in results)
        return not all(result is True for result in results)

    def holds(self, condition: d.Condition) -> bool | None:
        """True or False, or None when the edition does not say (no audience chosen)."""
        value = {"region": self.target.region, "edition": self.target.edition,
                 "audience": self.target.audience}[condition.key]
        if value is None:
            return None
        if condition.key == "region":
            return any(rid in condition.values
                       for rid in (value, *self.target.region_ancestors))
        return value in condition.values


class SubstituteVariables(Transform):
    """Replaces ``{{ name }}`` with its value for the edition."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def inlines(self, inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
        return d.merge_text(super().inlines(inlines))

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.Variable):
            if node.name not in self.values:
                raise MissingVariable(node.name)
            return (d.Text(self.values[node.name]),)
        return (self.descend(node),)


class RebaseImages(Transform):
    """Makes image paths relative to the project folder instead of the module file."""

    def __init__(self, module_dir: PurePosixPath) -> None:
        self.module_dir = module_dir

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.Image):
            joined = _normalise(self.module_dir / node.src)
            return (replace(node, src=joined),)
        return (self.descend(node),)


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True, slots=True)
class ModuleTarget:
    """What a cross-reference needs to know about the module it points to."""

    module_id: str
    label: str
    included: bool


class ResolveCrossReferences(Transform):
    """Turns links to module files into CrossRef nodes with their printed label."""

    def __init__(self, resolve: Callable[[d.ModuleLink], ModuleTarget | None]) -> None:
        self.resolve = resolve

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.ModuleLink):
            target = self.resolve(node)
            children = self.inlines(node.children)
            if target is None:
                return children
            if not children:
                children = (d.Text(target.label),)
            return (d.CrossRef(target.module_id, node.anchor, children, target.included),)
        return (self.descend(node),)


class NumberSections(Transform):
    """Numbers headings (3.1, 3.1.2) and case studies, exercises and questions (3.1, 3.2)."""

    def __init__(self, module_number: int) -> None:
        self.prefix = str(module_number)
        self.levels = [0, 0]
        self.counts: Counter[str] = Counter()

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.Heading) and node.level in (2, 3):
            return (replace(node, number=self.heading_number(node.level),
                            children=self.inlines(node.children)),)
        if isinstance(node, d.NamedBlock) and node.kind in ("case-study", "exercise", "question"):
            self.counts[node.kind] += 1
            number = f"{self.prefix}.{self.counts[node.kind]}"
            return (replace(self.descend(node), number=number),)
        return (self.descend(node),)

    def heading_number(self, level: int) -> str:
        if level == 2:
            self.levels = [self.levels[0] + 1, 0]
            return f"{self.prefix}.{self.levels[0]}"
        self.levels[1] += 1
        return f"{self.prefix}.{self.levels[0]}.{self.levels[1]}"
