"""The document model: frozen dataclasses for the blocks and inlines of a module body.

Markdown is parsed once into this model; edition filters, variables, slots and
cross-references are transforms from model to model; writers only walk it (never a
``Slot``, which assembly fills). Nodes carry a ``line``/``column`` in the module file.
Typed questions (``model/assessment.py``) hang on their ``question`` block.

``BodyFacts`` (``body_facts``) is the small summary of a body that the cross-file checks
need: ``validate`` works from it alone, so a warm run never rebuilds a body's nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    from trainkit.model.assessment import AssessmentFacts, ObjectiveReference, Question

# --- inlines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strike:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class SoftBreak:
    pass


@dataclass(frozen=True, slots=True)
class HardBreak:
    pass


@dataclass(frozen=True, slots=True)
class Link:
    """An external link (``https:``, ``http:``, ``mailto:``)."""
    target: str
    children: tuple[Inline, ...]
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class ModuleLink:
    """A link to another module's file, as written; resolved into a CrossRef on assembly."""
    path: str
    anchor: str | None
    children: tuple[Inline, ...]
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class CrossRef:
    """A resolved reference to a module (and optionally a section) of the edition."""
    module_id: str
    anchor: str | None
    children: tuple[Inline, ...]
    included: bool = True


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str
    title: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Variable:
    """``{{ name }}``: replaced by its value when an edition is assembled."""
    name: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote call, carrying the footnote's own blocks."""
    label: str
    blocks: tuple[Block, ...]


Inline = Union[Text, Code, Emph, Strong, Strike, SoftBreak, HardBreak, Link, ModuleLink,
               CrossRef, Image, Variable, Footnote]

# --- blocks --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    anchor: str
    line: int = 0
    number: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    image: Image
    caption: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    tight: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    info: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    line: int = 0


Alignment = Literal["left", "center", "right", ""]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[Alignment, ...]
    line: int = 0


BlockKind = Literal["case-study", "exercise", "trainer-note", "key-points", "question", "answer"]
BLOCK_KINDS: tuple[BlockKind, ...] = (
    "case-study", "exercise", "trainer-note", "key-points", "question", "answer")


@dataclass(frozen=True, slots=True)
class NamedBlock:
    """A training block: case study, exercise, trainer note, key points, question, answer."""
    kind: BlockKind
    title: str
    blocks: tuple[Block, ...]
    line: int = 0
    number: str = ""
    question: Question | None = None  #: a question's typed content (its blocks: the prompt)
    objectives: tuple[ObjectiveReference, ...] = ()  #: an exercise's or case study's


ConditionKey = Literal["region", "edition", "audience"]
CONDITION_KEYS: tuple[ConditionKey, ...] = ("region", "edition", "audience")


@dataclass(frozen=True, slots=True)
class Condition:
    key: ConditionKey
    values: tuple[str, ...]
    column: int = 0


@dataclass(frozen=True, slots=True)
class Conditional:
    """``only`` keeps its blocks when every condition holds; ``except`` drops them then."""
    mode: Literal["only", "except"]
    conditions: tuple[Condition, ...]
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Slot:
    """``::: adapt <slot>``, filled on assembly; ``blocks``: its default (none, or only trainer
    notes, which guide the adapters: required)."""
    slot: str
    blocks: tuple[Block, ...]
    line: int = 0


Block = Union[Paragraph, Heading, Figure, BulletList, OrderedList, BlockQuote, CodeBlock,
              ThematicBreak, Table, NamedBlock, Conditional, Slot]


@dataclass(frozen=True, slots=True)
class Body:
    """The parsed body of one module."""
    blocks: tuple[Block, ...]
    anchors: frozenset[str] = field(default_factory=frozenset)


# --- helpers -------------------------------------------------------------------------

_QUIET = ("line", "column", "number", "question", "objectives")  #: to_data leaves out if empty


def children_of(node: object) -> tuple[object, ...]:
    """The child nodes of any model node, blocks and inlines alike."""
    if isinstance(node, NamedBlock) and node.question is not None:
        return (*node.blocks, *node.question.parts())
    for name in ("blocks", "children", "items"):
        if hasattr(node, name):
            value: tuple[object, ...] = getattr(node, name)
            return value
    if isinstance(node, Table):
        cells = [*node.header, *(cell for row in node.rows for cell in row)]
        return tuple(inline for cell in cells for inline in cell)
    if isinstance(node, Figure):
        return (node.image, *node.caption)
    return ()


def walk(nodes: tuple[object, ...]) -> list[object]:
    """Every node under ``nodes``, depth first, including footnote contents."""
    found: list[object] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(children_of(node)))
    return found


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of inlines without markup (footnotes left out), for titles and anchors."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, (Text, Code)):
            parts.append(inline.text)
        elif isinstance(inline, (SoftBreak, HardBreak)):
            parts.append(" ")
        elif isinstance(inline, Variable):
            parts.append("{{ " + inline.name + " }}")
        elif isinstance(inline, Image):
            parts.append(inline.alt)
        elif isinstance(inline, Footnote):
            continue
        else:
            parts.append(plain_text(getattr(inline, "children", ())))
    return "".join(parts)


def merge_text(nodes: list[Inline] | tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``nodes`` with runs of adjacent Text nodes joined into one."""
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


def to_data(node: object) -> object:
    """A JSON-ready form of any node, used for golden files and debugging."""
    if isinstance(node, tuple):
        return [to_data(item) for item in node]
    if isinstance(node, frozenset):
        return sorted(node)
    if is_dataclass(node) and not isinstance(node, type):
        data: dict[str, object] = {"type": type(node).__name__}
        for item in fields(node):
            value = getattr(node, item.name)
            if value in ("", 0, None, (), False) and item.name in _QUIET:
                continue
            data[item.name] = to_data(value)
        return data
    return node


# --- facts for the cross-file checks --------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConditionalFact:
    """A conditional block, with the innermost conditional around it (``parent``)."""
    mode: Literal["only", "except"]
    conditions: tuple[Condition, ...]
    line: int
    parent: int = -1  #: index in ``BodyFacts.conditionals`` of the one around it, or -1


@dataclass(frozen=True, slots=True)
class VariableFact:
    """A ``{{ name }}``, with the innermost conditional block around it (``scope``)."""
    name: str
    line: int
    column: int
    scope: int = -1  #: index in ``BodyFacts.conditionals`` of the one around it, or -1


@dataclass(frozen=True, slots=True)
class LinkFact:
    """A link to a module (``path`` empty for a ``#anchor`` link to the same module)."""
    path: str
    anchor: str | None
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ImageFact:
    """An image reference, as written."""
    src: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What the cross-file checks need from a body, in the order a depth-first walk meets it
    (footnote contents once per call, in the conditionals around the call; a conditional
    before the conditionals and variables inside it)."""

    conditionals: tuple[ConditionalFact, ...] = ()
    variables: tuple[VariableFact, ...] = ()
    links: tuple[LinkFact, ...] = ()
    images: tuple[ImageFact, ...] = ()
    anchors: frozenset[str] = field(default_factory=frozenset)
    #: ``::: adapt`` slots: the slot id as ``name``, ``column`` 1 when it has a default.
    slots: tuple[VariableFact, ...] = ()
    assessment: AssessmentFacts | None = None  #: questions, exercises, case studies


#: Nodes with nothing inside that the checks look at.
_LEAVES: frozenset[type] = frozenset({Text, Code, SoftBreak, HardBreak, CodeBlock, ThematicBreak})


def body_facts(body: Body) -> BodyFacts:
    """The facts of ``body`` for the cross-file checks (see ``BodyFacts``)."""
    collector = _FactCollector()
    collector.visit(body.blocks, -1)
    from trainkit.model.assessment import assessment_facts  # it builds on this module
    return BodyFacts(tuple(collector.conditionals), tuple(collector.variables),
                     tuple(collector.links), tuple(collector.images), body.anchors,
                     tuple(collector.slots), assessment_facts(body.blocks))


class _FactCollector:
    """Walks a body depth first (as ``children_of`` describes it) and records its facts."""

    def __init__(self) -> None:
        self.conditionals: list[ConditionalFact] = []
        self.variables: list[VariableFact] = []
        self.links: list[LinkFact] = []
        self.images: list[ImageFact] = []
        self.slots: list[VariableFact] = []

    def visit(self, nodes: tuple[object, ...], scope: int) -> None:
        """Record the facts under ``nodes``, which lie in conditional ``scope``."""
        for node in nodes:
            if type(node) in _LEAVES:
                continue
            if isinstance(node, Conditional):
                self.conditionals.append(
                    ConditionalFact(node.mode, node.conditions, node.line, scope))
                self.visit(node.blocks, len(self.conditionals) - 1)
                continue
            if isinstance(node, Variable):
                self.variables.append(VariableFact(node.name, node.line, node.column, scope))
            elif isinstance(node, ModuleLink):
                self.links.append(LinkFact(node.path, node.anchor, node.line, node.column))
            elif isinstance(node, Image):
                self.images.append(ImageFact(node.src, node.line, node.column))
            elif isinstance(node, Slot):
                self.slots.append(VariableFact(node.slot, node.line, int(any(  # notes: guidance
                    getattr(b, "kind", "") != "trainer-note" for b in node.blocks)), scope))
            self.visit(children_of(node), scope)
