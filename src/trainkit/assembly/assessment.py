"""The typed questions of an assembled edition, module by module.

What test papers, coverage and the Moodle/SCORM exports read: questions after the
edition's filters, variables and typography, with their ids defaulted (``<module>-q<n>``)
and their objective references turned into objective keys (an objective's id, else its
number). Trainer notes never reach a collected question, whatever the edition.
Answers are present only if the edition keeps them (does not hide ``answer`` blocks).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from trainkit.assembly.transform import Transform
from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule


@dataclass(frozen=True, slots=True)
class Objective:
    """A learning objective of a module: its key, 1-based number and printed text."""

    key: str
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Assessed:
    """An exercise or case study that names objectives."""

    kind: str
    title: str
    number: str
    objectives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NumberedQuestion:
    """A question with its printed number in the edition (e.g. ``3.2``)."""

    question: a.Question
    number: str


@dataclass(frozen=True, slots=True)
class ModuleQuestions:
    """A module of the edition with its objectives, questions and assessed activities."""

    module: EditionModule
    objectives: tuple[Objective, ...]
    questions: tuple[NumberedQuestion, ...]
    assessed: tuple[Assessed, ...] = ()

    @property
    def module_id(self) -> str:
        return self.module.meta.id


class _DropTrainerNotes(Transform):
    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.NamedBlock) and node.kind == "trainer-note":
            return ()
        return (self.descend(node),)


def module_objectives(module: EditionModule) -> tuple[Objective, ...]:
    """The objectives of ``module`` with their keys."""
    keys = a.objective_keys(module.meta.objective_ids)
    return tuple(Objective(key, number, text) for number, (key, text) in
                 enumerate(zip(keys, module.meta.objective_texts, strict=True), start=1))


def module_questions(module: EditionModule) -> ModuleQuestions:
    """The questions and assessed activities of one assembled module, in order."""
    ids = module.meta.objective_ids
    questions: list[NumberedQuestion] = []
    assessed: list[Assessed] = []
    cleaner = _DropTrainerNotes()
    for node in _outside_trainer_notes(module.blocks):
        if node.question is not None:
            question = cleaner.question(node.question)
            question = replace(
                question, id=question.id or a.default_id(module.meta.id, question.ordinal),
                objectives=_keys(question.objectives, ids))
            questions.append(NumberedQuestion(question, node.number))
        elif node.objectives:
            refs = tuple(ref.reference for ref in node.objectives)
            assessed.append(Assessed(node.kind, node.title, node.number, _keys(refs, ids)))
    return ModuleQuestions(module, module_objectives(module), tuple(questions), tuple(assessed))


def _outside_trainer_notes(blocks: tuple[d.Block, ...]) -> list[d.NamedBlock]:
    """The named blocks under ``blocks`` in reading order, none from inside a trainer note
    (a question there is the trainer's, never a test's or an export's)."""
    return list(a.named_blocks(blocks, outside="trainer-note"))


def _keys(references: tuple[str, ...], ids: list[str | None]) -> tuple[str, ...]:
    keys = (a.objective_key(reference, ids) for reference in references)
    return tuple(dict.fromkeys(key for key in keys if key is not None))


def edition_questions(edition: AssembledEdition) -> tuple[ModuleQuestions, ...]:
    """Every module of ``edition`` with its questions (modules without any included)."""
    return tuple(module_questions(module) for module in edition.modules)


def has_typed_questions(edition: AssembledEdition) -> bool:
    """Whether any module of the edition has a typed question (outside trainer notes)."""
    return any(node.question is not None and node.question.typed
               for module in edition.modules for node in _outside_trainer_notes(module.blocks))


@dataclass(frozen=True, slots=True)
class CoveredObjective:
    """An objective and what assesses it: question ids and numbers, exercises and case
    studies (``kind number: title``)."""

    objective: Objective
    questions: tuple[NumberedQuestion, ...]
    activities: tuple[Assessed, ...]

    @property
    def covered(self) -> bool:
        return bool(self.questions or self.activities)


def coverage(module: ModuleQuestions) -> tuple[CoveredObjective, ...]:
    """Each objective of ``module`` with the questions and activities that name it."""
    return tuple(CoveredObjective(
        objective,
        tuple(q for q in module.questions if objective.key in q.question.objectives),
        tuple(x for x in module.assessed if objective.key in x.objectives))
        for objective in module.objectives)
