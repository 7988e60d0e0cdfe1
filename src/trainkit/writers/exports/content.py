"""What every export takes from an assembled edition: its questions, as HTML fragments.

The exports (Moodle XML, GIFT, SCORM) are written from an edition assembled for
participants with the answers of typed questions kept (``commands/export.py`` says how),
so trainer notes and trainer-only conditional text never reach them. The HTML of a
prompt, an option or a feedback comes from the edition's own HTML writer, with two
changes for a page that stands alone: a cross-reference is plain text (its target is in
the manual, not in the question bank) and a footnote stays in place.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath

from trainkit.assembly.assessment import edition_questions as collected_questions
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.model import document as d
from trainkit.model.assessment import Question
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.writers.html.render import HtmlRenderer


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """One module of the edition, its printed title and its typed questions, in order."""

    module: EditionModule
    title: str
    questions: tuple[Question, ...]
    #: Each question's number as the edition prints it (``2.3``), by question id.
    numbers: Mapping[str, str] = field(default_factory=dict)

    @property
    def gradable(self) -> tuple[Question, ...]:
        """The questions a machine can mark (every kind but an essay)."""
        return tuple(q for q in self.questions if q.auto_graded)


def edition_questions(edition: AssembledEdition) -> list[QuestionGroup]:
    """Each module of ``edition`` with its questions (``assembly.assessment``: after every
    filter, ids defaulted to ``<module>-q<n>``, nothing from trainer notes)."""
    return [QuestionGroup(group.module, edition.module_title(group.module),
                          tuple(item.question for item in group.questions),
                          {item.question.id: item.number for item in group.questions})
            for group in collected_questions(edition)]


@dataclass(slots=True)
class EmbeddedFiles:
    """The images one piece of text refers to, by the name the text uses for each."""

    resolver: ProjectResolver
    files: dict[str, bytes] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)

    def read(self, src: str) -> bytes:
        """The bytes of the image ``src`` (rebased on the project by assembly)."""
        path = self.resolver.resolve(src, self.resolver.root, suffixes=IMAGE_SUFFIXES,
                                     max_bytes=MAX_IMAGE_BYTES)
        return path.read_bytes()

    def name_of(self, src: str) -> str:
        """A file name for ``src``, unique among this text's files (``a.png``, ``a-2.png``)."""
        if src in self._names:
            return self._names[src]
        path = PurePosixPath(src)
        name, number = path.name, 1
        while name in self.files:
            number += 1
            name = f"{path.stem}-{number}{path.suffix}"
        self.files[name] = self.read(src)
        self._names[src] = name
        return name

    def data_uri(self, src: str) -> str:
        """``src`` as a ``data:`` URI, for text that cannot carry files (GIFT)."""
        mime = mimetypes.guess_type(PurePosixPath(src).name)[0] or "application/octet-stream"
        encoded = base64.b64encode(self.read(src)).decode("ascii")
        return f"data:{mime};base64,{encoded}"


class FragmentRenderer(HtmlRenderer):
    """The edition's HTML writer for text that stands alone: no links into the manual,
    footnotes in place."""

    def inline_CrossRef(self, node: d.CrossRef) -> str:
        return self.inlines(node.children)

    def inline_Footnote(self, node: d.Footnote) -> str:
        content = " ".join(self.footnote_paragraphs(node.blocks))
        return f' <span class="footnote">({content})</span>'


class QuestionText:
    """HTML fragments of one module's questions, images named by ``image_source``."""

    def __init__(self, edition: AssembledEdition, module: EditionModule,
                 image_source: Callable[[str], str]) -> None:
        self.renderer = FragmentRenderer(edition, "screen", image_source)
        self.renderer.words = edition.module_words(module)

    def blocks(self, blocks: tuple[d.Block, ...]) -> str:
        return self.renderer.blocks(blocks).strip()

    def inlines(self, inlines: tuple[d.Inline, ...]) -> str:
        return self.renderer.inlines(inlines).strip()


def plain(inlines: tuple[d.Inline, ...]) -> str:
    """The plain text of ``inlines``, spaces collapsed (answers Moodle compares as text)."""
    return " ".join(d.plain_text(inlines).split())


def html_paragraph(text: str) -> str:
    """Plain ``text`` as an HTML paragraph."""
    return f"<p>{escape(text, quote=False)}</p>"


def category_path(*names: str) -> str:
    """A Moodle category path: ``$course$/<name>/<name>``; a ``/`` inside a name doubled,
    as Moodle reads it."""
    return "/".join(["$course$", *(" ".join(n.split()).replace("/", "//") for n in names)])


def fraction(value: float) -> str:
    """A Moodle grade fraction in percent, as Moodle writes it (``33.33333``, ``-50``)."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
