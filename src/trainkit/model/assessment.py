"""Typed questions (issue 17): the model of a ``::: question {type=... }`` block.

A question block of the body is a ``document.NamedBlock`` of kind ``question`` whose
``question`` field holds a ``Question``; its ``blocks`` are the question's prompt (the
same tuple as ``Question.prompt``), so every writer that knows nothing of typed
questions still prints the prompt and nothing else. The ``::: answer`` block after a
question stays in the body as before, and is also copied into the question (its
``model_answer`` for an essay, its ``feedback`` otherwise) for test papers and exports.

Objective references are kept as written by the parser (``"1"``, ``"distinguish"``);
``assembly.assessment`` turns them into objective keys (``objective_key``) with the
module's front-matter. ``AssessmentFacts`` is what ``validate`` needs of a body's
questions, exercises and case studies (kept in ``document.BodyFacts``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from trainkit.model import document as d

QuestionKind = Literal["choice", "true-false", "short-answer", "matching", "essay"]
QUESTION_KINDS: tuple[QuestionKind, ...] = (
    "choice", "true-false", "short-answer", "matching", "essay")
#: The kinds a machine can mark (everything but an essay).
AUTO_GRADED: tuple[QuestionKind, ...] = ("choice", "true-false", "short-answer", "matching")
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
Pool = Literal["pre", "post", "both"]
POOLS: tuple[Pool, ...] = ("pre", "post", "both")
T = TypeVar("T")
#: A ``{{ variable }}`` in an accepted answer (kept as text by the parser).
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Option:
    """An option of a choice question (``- [x] text``), with its feedback block quote."""

    inlines: tuple[d.Inline, ...]
    correct: bool = False
    feedback: tuple[d.Block, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class MatchPair:
    """A pair of a matching question (``- left -> right``)."""

    left: tuple[d.Inline, ...]
    right: tuple[d.Inline, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Question:
    """A typed question. Answers (``correct``, ``accepted``, ``answer``, feedback, the model
    answer) are present only in editions that keep answers: an edition that hides
    ``answer`` blocks clears them and shuffles the right sides of matching pairs."""

    #: The ``id=`` attribute; empty until assembly gives the default ``<module>-q<n>``.
    id: str
    kind: QuestionKind
    prompt: tuple[d.Block, ...]
    options: tuple[Option, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    accepted: tuple[str, ...] = ()
    #: The right answer of a true-false question.
    answer: bool | None = None
    #: An essay's model answer: the ``::: answer`` block after it.
    model_answer: tuple[d.Block, ...] = ()
    #: General feedback of the other kinds: the ``::: answer`` block after it.
    feedback: tuple[d.Block, ...] = ()
    #: Objective references: as written in the source; objective keys after assembly.
    objectives: tuple[str, ...] = ()
    points: float = 1.0
    difficulty: Difficulty | None = None
    pool: Pool | None = None
    line: int = 0
    #: 1-based position among the module's question blocks in the source.
    ordinal: int = 0
    #: Written with a ``{...}`` attribute group (an untyped ``::: question`` is an essay).
    typed: bool = False
    #: Columns on the fence line of the ``objectives=`` value and of the ``id=`` attribute.
    objectives_column: int = 0
    id_column: int = 0

    @property
    def auto_graded(self) -> bool:
        """Whether a machine can mark it."""
        return self.kind in AUTO_GRADED

    def parts(self) -> tuple[object, ...]:
        """Its nodes besides the prompt, for ``document.children_of``."""
        nodes: list[object] = []
        for option in self.options:
            nodes.extend((*option.inlines, *option.feedback))
        for pair in self.pairs:
            nodes.extend((*pair.left, *pair.right))
        nodes.extend(d.Variable(match.group(1), self.line, 1)  # checked like any variable
                     for answer in self.accepted for match in VARIABLE.finditer(answer))
        return (*nodes, *self.model_answer, *self.feedback)


def without_answers(question: Question) -> Question:
    """``question`` as an edition that hides answers prints it: no correct marks, accepted
    answers, true-false answer, feedback or model answer; matching pairs with their right
    sides shuffled (reproducibly), so the model no longer holds the pairing."""
    options = tuple(Option(option.inlines, False, (), option.line) for option in question.options)
    rights = shuffled([pair.right for pair in question.pairs],
                      f"{question.id}:{question.ordinal}:{len(question.pairs)}")
    pairs = tuple(MatchPair(pair.left, right, pair.line)
                  for pair, right in zip(question.pairs, rights, strict=True))
    return replace(question, options=options, pairs=pairs, accepted=(), answer=None,
                   model_answer=(), feedback=())


def shuffled(items: Sequence[T], seed: str) -> list[T]:
    """``items`` in an order that depends only on ``seed`` (and never the identity, when
    another order exists)."""
    order = list(items)
    if len(order) < 2:
        return order
    generator = random.Random(seed)
    original = list(range(len(order)))
    indices = original[:]
    while indices == original:
        generator.shuffle(indices)
    return [order[index] for index in indices]


def letter(index: int) -> str:
    """``A``, ``B``... naming the right-hand column of a matching question in print."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def default_id(module_id: str, ordinal: int) -> str:
    """The id of a question without ``id=``: ``<module id>-q<n>``."""
    return f"{module_id}-q{ordinal}"


def objective_key(reference: str, ids: Sequence[str | None]) -> str | None:
    """The key of the objective ``reference`` names among a module's objectives (``ids``:
    each objective's id or None), or None when there is no such objective. An objective's
    key is its id, else its 1-based number as a string."""
    if reference.isdigit():
        number = int(reference)
        if 1 <= number <= len(ids):
            return ids[number - 1] or str(number)
        return None
    return reference if reference in ids else None


def objective_keys(ids: Sequence[str | None]) -> tuple[str, ...]:
    """The key of each of a module's objectives, in order."""
    return tuple(key or str(number) for number, key in enumerate(ids, start=1))


# --- facts for validate ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ObjectiveReference:
    """An objective named by an ``objectives=`` attribute, where it is written."""

    reference: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class AssessedFact:
    """A question, exercise or case study with what validate checks of it."""

    kind: str
    id: str
    ordinal: int
    typed: bool
    objectives: tuple[ObjectiveReference, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    """The questions, exercises and case studies of a body, in source order."""

    items: tuple[AssessedFact, ...] = ()

    @property
    def typed(self) -> bool:
        """Whether any question is typed (written with attributes)."""
        return any(item.typed for item in self.items if item.kind == "question")


def references(values: tuple[str, ...], line: int, column: int) -> tuple[ObjectiveReference, ...]:
    """``values`` of an ``objectives=`` attribute whose value starts at ``column``."""
    found: list[ObjectiveReference] = []
    for value in values:
        found.append(ObjectiveReference(value, line, column))
        column += len(value) + 1
    return tuple(found)


#: Nodes with no named block inside (most nodes of a body: its text).
_TEXT: frozenset[type] = frozenset({d.Text, d.Code, d.SoftBreak, d.HardBreak, d.CodeBlock,
                                    d.ThematicBreak, d.Variable, d.Image})


def named_blocks(nodes: tuple[object, ...], *, outside: str | None = None,
                 ) -> Iterator[d.NamedBlock]:
    """The named blocks under ``nodes`` in ``document.walk``'s order, without visiting the
    text around them; none of kind ``outside``, nor any inside one (a trainer note)."""
    stack: list[object] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if type(node) in _TEXT:
            continue
        if isinstance(node, d.NamedBlock):
            if node.kind == outside:
                continue
            yield node
        stack.extend(reversed(d.children_of(node)))


def assessment_facts(blocks: tuple[object, ...]) -> AssessmentFacts:
    """The assessment facts of the nodes ``blocks`` (a body's blocks)."""
    items: list[AssessedFact] = []
    for node in named_blocks(blocks):
        question = node.question
        if question is not None:
            items.append(AssessedFact(
                "question", question.id, question.ordinal, question.typed,
                references(question.objectives, node.line, question.objectives_column),
                node.line, question.id_column or 1))
        elif node.objectives:
            items.append(AssessedFact(node.kind, "", 0, True, node.objectives, node.line, 1))
    return AssessmentFacts(tuple(items))
