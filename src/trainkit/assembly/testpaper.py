"""Test papers and answer keys on the document model (issue 17).

A test is taken from the typed questions of a region's edition (``assessment.py``) and
written as two compact editions that every writer already prints: the participant's
paper and the trainer's key, the same questions in the same order. A paper question is
the answer-free form of the key's (``without_answers``) with the prompt of the
participant edition (so trainer-only content of a prompt stays out too): nothing of an
answer can reach it. Options and matching columns are shuffled by the seed.

Pre- and post-tests are drawn from one seeded order of the pool: the pre-test takes the
first questions a pre-test may use (``pool=pre`` ones first), the post-test the first of
the others a post-test may use (``pool=post`` first), so the two never share a question
and the same seed always gives the same papers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from trainkit.assembly.assessment import ModuleQuestions
from trainkit.errors import UsageError
from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.model.status import Status
from trainkit.schemas import ModuleMeta

DrawKind = Literal["pre", "post"]


@dataclass(frozen=True, slots=True)
class PaperItem:
    """A question of a test as the key prints it, with the module it comes from."""

    question: a.Question
    module: EditionModule
    prompt: tuple[d.Block, ...]  #: the prompt as the participant edition prints it

    @property
    def key(self) -> tuple[str, str]:
        return (self.module.meta.id, self.question.id)


def pool_items(paper: Sequence[ModuleQuestions],
               key: Sequence[ModuleQuestions]) -> list[PaperItem]:
    """The questions of ``paper`` (the participant edition's modules) that the key's
    edition has too, with the key's answers, in reading order."""
    answers = {(m.module_id, q.question.id): q.question for m in key for q in m.questions}
    items: list[PaperItem] = []
    for module in paper:
        for numbered in module.questions:
            full = answers.get((module.module_id, numbered.question.id))
            if full is not None:
                items.append(PaperItem(full, module.module, numbered.question.prompt))
    return items


def drawn(items: Sequence[PaperItem], kind: DrawKind, count: int, seed: int) -> list[PaperItem]:
    """``count`` questions for a ``kind``-test; ``UsageError`` if the pool is too small."""
    order = a.shuffled(items, f"{seed}:draw")
    pre = _take(order, "pre", count, set())
    chosen = pre if kind == "pre" else _take(order, "post", count, {i.key for i in pre})
    if len(chosen) < count:
        raise UsageError(f"the pool has {len(chosen)} question{'s' if len(chosen) != 1 else ''} "
                         f"for a {kind}-test of {count}"
                         + (" besides the pre-test's" if kind == "post" else "")
                         + "; ask for fewer (--count) or write more questions")
    return sorted(chosen, key=lambda i: (i.module.number, i.question.ordinal))


def _take(order: list[PaperItem], kind: DrawKind, count: int,
          taken: set[tuple[str, str]]) -> list[PaperItem]:
    eligible = [i for i in order if i.key not in taken and i.question.pool in (None, "both", kind)]
    eligible.sort(key=lambda i: i.question.pool != kind)  # stable: keeps the seeded order
    return eligible[:count]


def shuffled_options(question: a.Question, seed: int) -> a.Question:
    """``question`` with its options in the seed's order (the paper's and the key's)."""
    return replace(question, options=tuple(a.shuffled(question.options,
                                                      f"{seed}:{question.id}:options")))


def paper_and_key(item: PaperItem, seed: int) -> tuple[a.Question, a.Question]:
    """The paper's form of a question (no answers; right column shuffled) and the key's
    (answers; each right side headed by its letter on the paper; objectives printed as
    ``<module>.<objective>``)."""
    full = shuffled_options(item.question, seed)
    paper = replace(a.without_answers(full), prompt=item.prompt)
    if full.pairs:
        order = a.shuffled(list(range(len(full.pairs))), f"{seed}:{full.id}:pairs")
        paper = replace(paper, pairs=tuple(
            a.MatchPair(pair.left, full.pairs[order[i]].right, pair.line)
            for i, pair in enumerate(full.pairs)))
        position = {source: place for place, source in enumerate(order)}
        full = replace(full, pairs=tuple(
            replace(pair, right=(d.Text(f"{a.letter(position[i])}. "), *pair.right))
            for i, pair in enumerate(full.pairs)))
    keys = a.objective_keys(item.module.meta.objective_ids)
    printed = tuple(f"{item.module.number}.{keys.index(key) + 1}"
                    for key in full.objectives if key in keys)
    return paper, replace(full, objectives=printed)


def question_block(question: a.Question, number: int, title: str = "") -> d.NamedBlock:
    """A numbered question block holding ``question``."""
    return d.NamedBlock("question", title, question.prompt, number=str(number),
                        question=question)


def paper_blocks(items: Sequence[PaperItem], seed: int, words: dict[str, str]
                 ) -> tuple[tuple[d.Block, ...], tuple[d.Block, ...]]:
    """The blocks of the participant's paper and of the trainer's key."""
    total = f"{sum(item.question.points for item in items):g}"
    points = d.Paragraph((d.Strong((d.Text(words["total-points"].format(points=total)),)),))
    name = d.Paragraph((d.Strong((d.Text(words["participant-name"] + words["title-separator"]),)),
                        d.Text("_" * 40)))
    paper: list[d.Block] = [name, d.Paragraph((d.Text(words["test-instructions"]),)), points]
    key: list[d.Block] = [points]
    for number, item in enumerate(items, start=1):
        shown, answered = paper_and_key(item, seed)
        paper.append(question_block(shown, number))
        key.append(question_block(answered, number, f"{item.module.meta.id} · {answered.id}"))
        explanation = answered.model_answer or answered.feedback
        if explanation:
            key.append(d.NamedBlock("answer", "", explanation))
    return tuple(paper), tuple(key)


def paper_edition(edition: AssembledEdition, title: str, summary: str,
                  blocks: tuple[d.Block, ...], *, answers: bool) -> AssembledEdition:
    """A compact edition of one page-set: a test paper (``answers`` False) or a key."""
    meta = paper_meta(edition, title, summary)
    module = EditionModule(1, meta, "", None, blocks, edition.language)
    hide = ["trainer-note"] + ([] if answers else ["answer"])
    definition = edition.edition.model_copy(update={
        "title": title, "hide": hide, "answer_lines": edition.edition.answer_lines or 4})
    return replace(edition, edition=definition, modules=(module,), glossary=(),
                   abbreviations=(), compact=True, paper=True)


def paper_meta(edition: AssembledEdition, title: str, summary: str) -> ModuleMeta:
    """The front-matter of a paper's one module, from the modules it draws on: a draft
    watermark unless they are all approved."""
    modules = edition.modules
    approved = all(module.meta.status is Status.APPROVED for module in modules)
    return ModuleMeta(
        id="paper", title=title, version=edition.manifest.version, summary=summary or title,
        status=Status.APPROVED if approved else Status.DRAFT, duration="1h",
        audiences=sorted({x for m in modules for x in m.meta.audiences}) or ["participants"],
        learning_objectives=[t for m in modules for t in m.meta.objective_texts] or [title])
