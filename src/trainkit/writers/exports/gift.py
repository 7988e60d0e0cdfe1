"""GIFT: the same question bank as the Moodle XML, in Moodle's plain-text format.

A ``$CATEGORY:`` line per module, then one question per paragraph: ``::id::[html]prompt``
and its answers in braces. Text is the HTML of the Moodle XML; GIFT's own characters
``~ = # { } :`` in it are escaped with a backslash, a backslash is written as the HTML
entity ``&#92;`` and a line break as ``&#10;``, so every question keeps to its lines. GIFT
cannot carry files: images are ``data:`` URIs inside the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from trainkit.files import write_text_atomic
from trainkit.loading.resolver import ProjectResolver
from trainkit.model import document as d
from trainkit.model.assessment import Question
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.writers.exports.content import (
    EmbeddedFiles, QuestionGroup, QuestionText, category_path, edition_questions, fraction,
    plain,
)

_SPECIAL = re.compile(r"([~=#{}:])")


def escape_gift(text: str) -> str:
    """``text`` with GIFT's special characters escaped and kept on one line."""
    text = text.replace("\\", "\\\\")
    return _SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", " ")


def escape_html(html: str) -> str:
    """An HTML fragment for GIFT: no backslash escapes to misread, no line breaks."""
    html = html.replace("\\", "&#92;").replace("\r", "").replace("\n", "&#10;")
    return _SPECIAL.sub(r"\\\1", html)


class _Writer:
    """The GIFT of one module's questions."""

    def __init__(self, edition: AssembledEdition, module: EditionModule,
                 resolver: ProjectResolver) -> None:
        files = EmbeddedFiles(resolver)
        self.render = QuestionText(edition, module, files.data_uri)

    def blocks(self, blocks: tuple[d.Block, ...]) -> str:
        return "[html]" + escape_html(self.render.blocks(blocks))

    def inlines(self, inlines: tuple[d.Inline, ...]) -> str:
        return "[html]" + escape_html(self.render.inlines(inlines))

    def question(self, question: Question) -> str:
        head = f"::{escape_gift(question.id)}::{self.blocks(question.prompt)}"
        answers = list(getattr(self, "answers_" + question.kind.replace("-", "_"))(question))
        if question.feedback:
            answers.append("####" + self.blocks(question.feedback))
        if not answers:
            return head + "{}\n"
        return head + "{\n" + "".join(f"\t{line}\n" for line in answers) + "}\n"

    def answers_choice(self, question: Question) -> Iterator[str]:
        correct = sum(1 for option in question.options if option.correct)
        wrong = len(question.options) - correct
        for option in question.options:
            feedback = f"#{self.blocks(option.feedback)}" if option.feedback else ""
            text = self.inlines(option.inlines)
            if correct == 1:
                yield f"{'=' if option.correct else '~'}{text}{feedback}"
                continue
            share = 100 / correct if option.correct else (-100 / wrong if wrong else 0.0)
            yield f"~%{fraction(share)}%{text}{feedback}"

    def answers_true_false(self, question: Question) -> Iterator[str]:
        yield "TRUE" if question.answer else "FALSE"

    def answers_short_answer(self, question: Question) -> Iterator[str]:
        for accepted in question.accepted:
            yield "=" + escape_gift(accepted)

    def answers_matching(self, question: Question) -> Iterator[str]:
        for pair in question.pairs:
            yield f"={self.inlines(pair.left)} -> {escape_gift(plain(pair.right))}"

    def answers_essay(self, question: Question) -> Iterator[str]:
        return iter(())  # the model answer is for graders: GIFT has no place for it


def gift(edition: AssembledEdition, resolver: ProjectResolver,
         modules: list[QuestionGroup] | None = None) -> str:
    """The question bank of ``edition`` in GIFT."""
    manual = " ".join(edition.manifest.title.split())
    out: list[str] = [f"// {escape_gift(manual)}: {len(edition.modules)} modules\n\n"]
    for group in modules if modules is not None else edition_questions(edition):
        if not group.questions:
            continue
        out.append(f"$CATEGORY: {category_path(manual, group.title)}\n\n")
        writer = _Writer(edition, group.module, resolver)
        out.extend(writer.question(question) + "\n" for question in group.questions)
    return "".join(out)


def write_gift(edition: AssembledEdition, resolver: ProjectResolver, target: Path) -> int:
    """Write the GIFT question bank of ``edition`` atomically; its question count."""
    modules = edition_questions(edition)
    write_text_atomic(target, gift(edition, resolver, modules))
    return sum(len(group.questions) for group in modules)
