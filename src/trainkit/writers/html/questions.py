"""Typed questions in HTML: options, true-false boxes, matching columns, accepted answers.

What prints depends on the model alone, which the edition's filter has already cut: an
edition that hides answers has no correct marks, accepted answers or feedback left, and
its matching pairs have their right sides shuffled. ``keeps_answers`` only chooses the
layout (empty boxes and lettered columns for participants; marks, answers and a line of
points and objectives for trainers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from trainkit.assembly.assessment import coverage, edition_questions, has_typed_questions
from trainkit.labels import numbered
from trainkit.model import assessment as a
from trainkit.model.assessment import letter
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition

EMPTY_BOX, TICKED_BOX = "\u2610", "\u2611"
#: Blocks, inlines and the edition's words of the renderer using these functions.
Blocks = Callable[[tuple[d.Block, ...]], str]
Inlines = Callable[[tuple[d.Inline, ...]], str]


def objective_numbers(references: Sequence[str], ids: Sequence[str | None]) -> list[str]:
    """The objectives' numbers as printed (1-based), for references as written."""
    numbers: list[str] = []
    for reference in references:
        if reference.isdigit():
            numbers.append(reference)
        elif reference in ids:
            numbers.append(str(list(ids).index(reference) + 1))
        else:  # already printed form, e.g. ``2.3`` in an answer key
            numbers.append(reference)
    return numbers


def question_meta(question: a.Question, words: dict[str, str],
                  ids: Sequence[str | None]) -> str:
    """``Points 2 · Objectives 1, 3``: the trainer's small print."""
    points = f"{question.points:g}"
    parts = [f"{words['points']}\u00a0{points}"]
    numbers = objective_numbers(question.objectives, ids)
    if numbers:
        parts.append(f"{words['objectives']}\u00a0{', '.join(numbers)}")
    return " · ".join(parts)


class QuestionHtml:
    """The typed part of one question block, after its prompt."""

    def __init__(self, blocks: Blocks, inlines: Inlines, words: dict[str, str],
                 keeps_answers: bool, rtl: bool = False) -> None:
        self.blocks, self.inlines, self.words = blocks, inlines, words
        self.keeps_answers = keeps_answers
        self.arrow = pair_arrow(rtl)

    def html(self, question: a.Question, ids: Sequence[str | None], tail: str = "") -> str:
        """The question's options, pairs or accepted answers, ``tail`` (a print mark) at
        the end of the last of them; "" when it has none to show."""
        writers: dict[str, Callable[[a.Question, str], str]] = {
            "choice": self.choice, "true-false": self.true_false,
            "short-answer": self.short_answer, "matching": self.matching}
        body = writers[question.kind](question, tail) if question.kind in writers else ""
        if self.keeps_answers and question.typed:
            meta = escape(question_meta(question, self.words, ids))
            body += f'<p class="question-meta">{meta}</p>'
        return body

    def choice(self, question: a.Question, tail: str = "") -> str:
        items = []
        for number, option in enumerate(question.options, start=1):
            mark = TICKED_BOX if option.correct else EMPTY_BOX
            css = "option correct" if option.correct else "option"
            end = tail if number == len(question.options) else ""
            feedback = (f'<div class="option-feedback">{self.blocks(option.feedback)}</div>'
                        if option.feedback else "")
            items.append(f'<li class="{css}"><span class="box">{mark}</span> '
                         f"{self.inlines(option.inlines)}{end}{feedback}</li>")
        return f'<ul class="options">{"".join(items)}</ul>'

    def true_false(self, question: a.Question, tail: str = "") -> str:
        items = []
        for value, key in ((True, "true"), (False, "false")):
            correct = question.answer is value
            css = "option correct" if correct else "option"
            mark = TICKED_BOX if correct else EMPTY_BOX
            end = tail if key == "false" else ""
            items.append(f'<li class="{css}"><span class="box">{mark}</span> '
                         f"{escape(self.words[key])}{end}</li>")
        return f'<ul class="options true-false">{"".join(items)}</ul>'

    def short_answer(self, question: a.Question, tail: str = "") -> str:
        if not question.accepted:
            return ""
        answers = escape(self.words["alternatives-separator"]).join(
            escape(answer) for answer in question.accepted)
        return (f'<p class="accepted"><span class="accepted-label">'
                f"{escape(self.words['accepted-answers'])}</span>"
                f"{escape(self.words['title-separator'])}{answers}{tail}</p>")

    def matching(self, question: a.Question, tail: str = "") -> str:
        rows = []
        for index, pair in enumerate(question.pairs):
            left = f"{index + 1}. {self.inlines(pair.left)}"
            end = tail if index == len(question.pairs) - 1 else ""
            if self.keeps_answers:
                rows.append(f'<tr><td>{left}</td><td class="pair-arrow">{self.arrow}</td>'
                            f"<td>{self.inlines(pair.right)}{end}</td></tr>")
            else:
                rows.append(f'<tr><td>{left}</td><td class="pair-blank">____</td>'
                            f"<td>{letter(index)}. {self.inlines(pair.right)}{end}</td></tr>")
        return f'<table class="matching"><tbody>{"".join(rows)}</tbody></table>'


def pair_arrow(rtl: bool) -> str:
    """The arrow from a matching pair's left side to its right side, in reading order."""
    return "\u2190" if rtl else "\u2192"


def needs_answer_lines(node: d.NamedBlock) -> bool:
    """Whether a question is answered in writing (lines under it when answers are hidden)."""
    return node.question is None or node.question.kind in ("essay", "short-answer")


def coverage_rows(edition: AssembledEdition) -> list[dict[str, str]]:
    """The rows of the trainer edition's coverage table: each module's objectives and the
    questions, exercises and case studies that assess them. None for an edition that hides
    answers or has no typed question."""
    if "answer" in edition.edition.hide or not has_typed_questions(edition):
        return []
    words = edition.labels
    rows: list[dict[str, str]] = []
    for module in edition_questions(edition):
        title = edition.module_title(module.module)
        for item in coverage(module):
            what = [numbered(words["question"], q.number) for q in item.questions]
            what += [numbered(words[x.kind], x.number) for x in item.activities]
            rows.append({"module": title, "anchor": module.module.anchor,
                         "objective": f"{item.objective.number}. {item.objective.text}",
                         "assessed": ", ".join(what) or words["not-assessed"],
                         "covered": "yes" if item.covered else ""})
    return rows
