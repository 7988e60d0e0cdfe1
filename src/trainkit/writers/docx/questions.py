"""Typed questions in DOCX: options with boxes, true-false, matching columns, accepted
answers and answer lines, as the HTML writer prints them (``writers/html/questions.py``).

The model is already cut for the edition (no answers where answers are hidden);
``keeps_answers`` only chooses the layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.writers.docx.context import Format, Place, Spot
from trainkit.writers.docx.oxml import add_text, paragraph, run
from trainkit.writers.docx.tables import content_widths, new_row, new_table
from trainkit.model.assessment import letter
from trainkit.writers.html.questions import EMPTY_BOX, TICKED_BOX, pair_arrow, question_meta

if TYPE_CHECKING:
    from trainkit.writers.docx.blocks import BlockWriter


class QuestionDocx:
    """Writes the typed part of one question into the question's box."""

    def __init__(self, writer: BlockWriter, place: Place, keeps_answers: bool,
                 answer_lines: int) -> None:
        self.writer, self.place = writer, place
        self.keeps_answers, self.answer_lines = keeps_answers, answer_lines

    def write(self, question: a.Question, ids: Sequence[str | None]) -> None:
        kind = question.kind
        if kind == "choice":
            self.choice(question)
        elif kind == "true-false":
            self.true_false(question)
        elif kind == "matching":
            self.matching(question)
        elif kind == "short-answer" and question.accepted:
            p = self.writer.paragraph(self.place)
            words = self.writer.words
            run(p, words["accepted-answers"] + words["title-separator"], bold=True)
            add_text(run(p), words["alternatives-separator"].join(question.accepted))
        if kind in ("essay", "short-answer") and not self.keeps_answers:
            for _ in range(self.answer_lines):
                paragraph(self.place.story.container, self.writer.ids.note_line)
        if self.keeps_answers and question.typed:
            p = self.writer.paragraph(self.place)
            add_text(run(p, italic=True), question_meta(question, self.writer.words, ids))

    def option(self, correct: bool, inlines: tuple[d.Inline, ...]) -> None:
        p = self.writer.paragraph(self.place)
        add_text(run(p, bold=correct), (TICKED_BOX if correct else EMPTY_BOX) + " ")
        self.writer.inlines(inlines, Spot(p, Format(bold=correct), self.place))

    def choice(self, question: a.Question) -> None:
        for option in question.options:
            self.option(option.correct, option.inlines)
            self.feedback(option.feedback)

    def feedback(self, blocks: tuple[d.Block, ...]) -> None:
        """An option's feedback in the question's box, in italics (not indented: an indent
        would move the box's border with it)."""
        for block in blocks:
            if not isinstance(block, d.Paragraph):
                self.writer.blocks((block,), self.place)
                continue
            p = self.writer.paragraph(self.place)
            self.writer.inlines(block.children, Spot(p, Format(italic=True), self.place))

    def true_false(self, question: a.Question) -> None:
        for value, key in ((True, "true"), (False, "false")):
            self.option(question.answer is value, (d.Text(self.writer.words[key]),))

    def matching(self, question: a.Question) -> None:
        lefts = [f"{i + 1}. {d.plain_text(p.left)}" for i, p in enumerate(question.pairs)]
        rights = [d.plain_text(p.right) for p in question.pairs]
        arrow = pair_arrow(self.writer.edition.direction == "rtl")
        widths = content_widths(self.place.width, [lefts, [arrow, "____"], rights])
        table = new_table(self.place.story.container, self.writer.ids.table, widths,
                          header_row=False)
        for index, pair in enumerate(question.pairs):
            row = new_row(table)
            number = (d.Text(f"{index + 1}. "),)
            self.writer.table_cell(row, widths[0], number + pair.left, self.place)
            middle = arrow if self.keeps_answers else "____"
            self.writer.table_cell(row, widths[1], (d.Text(middle),), self.place)
            prefix = () if self.keeps_answers else (d.Text(f"{letter(index)}. "),)
            self.writer.table_cell(row, widths[2], prefix + pair.right, self.place)
