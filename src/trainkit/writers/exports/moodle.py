"""Moodle XML: a question bank with a category per module.

Every typed question is exported: ``choice`` as ``multichoice`` (one correct option:
single answer; several: multiple answers whose correct options share 100 % and whose
wrong options share -100 %, so ticking everything scores nothing), ``true-false`` as
``truefalse``, ``short-answer`` as ``shortanswer`` (case-insensitive), ``matching`` as
``matching`` and ``essay`` as ``essay`` with the model answer as information for graders.
The ``::: answer`` block after a question is its general feedback (shown after an
attempt); an option's block quote is its feedback. Text is HTML from the edition's writer,
in CDATA sections; each image is embedded in the text that shows it, as a base64
``<file>`` the text refers to as ``@@PLUGINFILE@@/<name>``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from trainkit.files import write_text_atomic
from trainkit.loading.resolver import ProjectResolver
from trainkit.model import document as d
from trainkit.model.assessment import Question
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.writers.exports.content import (
    EmbeddedFiles, QuestionGroup, QuestionText, category_path, edition_questions, fraction,
    plain,
)

#: Moodle's question types, by trainkit's kinds.
MOODLE_TYPES = {"choice": "multichoice", "true-false": "truefalse",
                "short-answer": "shortanswer", "matching": "matching", "essay": "essay"}


def cdata(text: str) -> str:
    """``text`` in a CDATA section (a ``]]>`` inside split across two sections)."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class _Writer:
    """The XML of one module's questions; each text with the images it shows."""

    def __init__(self, edition: AssembledEdition, module: EditionModule,
                 resolver: ProjectResolver) -> None:
        self.edition = edition
        self.module = module
        self.resolver = resolver

    def text(self, tag: str, blocks: tuple[d.Block, ...] = (),
             inlines: tuple[d.Inline, ...] = (), attributes: str = "") -> str:
        """``<tag format="html"><text>…</text><file…/></tag>`` of blocks or inlines."""
        files = EmbeddedFiles(self.resolver)
        render = QuestionText(self.edition, self.module,
                              lambda src: "@@PLUGINFILE@@/" + quote(files.name_of(src)))
        html = render.blocks(blocks) if blocks else render.inlines(inlines)
        embedded = "".join(
            f'<file name={quoteattr(name)} path="/" encoding="base64">'
            f"{base64.b64encode(data).decode('ascii')}</file>"
            for name, data in files.files.items())
        return f'<{tag}{attributes} format="html"><text>{cdata(html)}</text>{embedded}</{tag}>'

    def question(self, question: Question) -> str:
        kind = MOODLE_TYPES[question.kind]
        parts = [
            f"<name><text>{escape(question.id)}</text></name>",
            self.text("questiontext", question.prompt),
            self.text("generalfeedback", question.feedback),
            f"<defaultgrade>{fraction(question.points)}</defaultgrade>",
            "<penalty>0</penalty>", "<hidden>0</hidden>",
            f"<idnumber>{escape(question.id)}</idnumber>",
            *getattr(self, "body_" + kind.replace("-", "_"))(question),
        ]
        body = "\n    ".join(parts)
        return f'  <question type="{kind}">\n    {body}\n  </question>\n'

    def body_multichoice(self, question: Question) -> Iterator[str]:
        correct = sum(1 for option in question.options if option.correct)
        wrong = len(question.options) - correct
        single = correct == 1
        yield f"<single>{'true' if single else 'false'}</single>"
        yield "<shuffleanswers>true</shuffleanswers>"
        yield "<answernumbering>abc</answernumbering>"
        for option in question.options:
            if option.correct:
                share = 100 / correct
            else:
                share = 0.0 if single or not wrong else -100 / wrong
            feedback = self.text("feedback", option.feedback)
            answer = self.text("answer", inlines=option.inlines,
                               attributes=f' fraction="{fraction(share)}"')
            yield answer.replace("</answer>", feedback + "</answer>")

    def body_truefalse(self, question: Question) -> Iterator[str]:
        for value in (True, False):
            share = "100" if question.answer is value else "0"
            yield (f'<answer fraction="{share}" format="moodle_auto_format">'
                   f"<text>{'true' if value else 'false'}</text>"
                   '<feedback format="html"><text></text></feedback></answer>')

    def body_shortanswer(self, question: Question) -> Iterator[str]:
        yield "<usecase>0</usecase>"
        for accepted in question.accepted:
            # ``*`` is Moodle's wildcard: an accepted answer means itself.
            text = accepted.replace("*", "\\*")
            yield (f'<answer fraction="100" format="moodle_auto_format">'
                   f"<text>{escape(text)}</text>"
                   '<feedback format="html"><text></text></feedback></answer>')

    def body_matching(self, question: Question) -> Iterator[str]:
        yield "<shuffleanswers>true</shuffleanswers>"
        for pair in question.pairs:
            left = self.text("subquestion", inlines=pair.left)
            answer = f"<answer><text>{escape(plain(pair.right))}</text></answer>"
            yield left.replace("</subquestion>", answer + "</subquestion>")

    def body_essay(self, question: Question) -> Iterator[str]:
        yield "<responseformat>editor</responseformat>"
        yield "<responserequired>1</responserequired>"
        yield "<responsefieldlines>15</responsefieldlines>"
        yield "<attachments>0</attachments>"
        yield "<attachmentsrequired>0</attachmentsrequired>"
        yield self.text("graderinfo", question.model_answer)
        yield '<responsetemplate format="html"><text></text></responsetemplate>'


def moodle_xml(edition: AssembledEdition, resolver: ProjectResolver,
               modules: list[QuestionGroup] | None = None) -> str:
    """The question bank of ``edition`` as a Moodle XML document."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', "<quiz>\n"]
    manual = " ".join(edition.manifest.title.split())
    for group in modules if modules is not None else edition_questions(edition):
        if not group.questions:
            continue
        path = category_path(manual, group.title)
        out.append(f'  <question type="category">\n    <category><text>{escape(path)}'
                   "</text></category>\n  </question>\n")
        writer = _Writer(edition, group.module, resolver)
        out.extend(writer.question(question) for question in group.questions)
    out.append("</quiz>\n")
    return "".join(out)


def write_moodle_xml(edition: AssembledEdition, resolver: ProjectResolver,
                     target: Path) -> int:
    """Write the Moodle XML question bank of ``edition`` atomically; its question count."""
    modules = edition_questions(edition)
    write_text_atomic(target, moodle_xml(edition, resolver, modules))
    return sum(len(group.questions) for group in modules)
