"""What the node writers share: where output goes, run formatting, and the style ids.

Every style the writer uses is named here and resolved to its id once per document
(:class:`StyleIds`); node methods then set ``w:pStyle``/``w:rStyle`` by id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from trainkit.model.document import BlockKind
from trainkit.writers.docx.footnotes import Footnotes
from trainkit.writers.docx.images import Images
from trainkit.writers.docx.numbering import ListNumbering
from trainkit.writers.docx.oxml import Element
from trainkit.writers.docx.bookmarks import EditionPlan
from trainkit.writers.docx.relations import PartLinks
from trainkit.writers.docx.styles import StyleBook

#: The paragraph style of each training block; its title uses "<name> Title".
BLOCK_STYLES: dict[BlockKind, str] = {
    "case-study": "Case Study",
    "exercise": "Exercise",
    "trainer-note": "Trainer Note",
    "key-points": "Key Points",
    "question": "Assessment Question",
    "answer": "Answer",
}


@dataclass(frozen=True, slots=True)
class Story:
    """A container of block elements (body, table cell, footnote) and the part whose
    relationships its links and pictures use."""

    container: Element
    links: PartLinks


@dataclass(frozen=True, slots=True)
class Place:
    """Where blocks are written and how their paragraphs are styled.

    ``style`` is the id for plain paragraphs; inside a training block or a quotation
    (``boxed``) list items keep it too, so the box continues. ``level`` is the list depth
    (-1 outside lists), ``width`` the room available and ``indent`` the left indent of
    plain paragraphs when a list inside a box sets one, in twips.
    """

    story: Story
    style: str
    width: int
    level: int = -1
    boxed: bool = False
    indent: int | None = None

    def inside(self, style: str) -> Place:
        return replace(self, style=style, boxed=True, indent=None)


@dataclass(frozen=True, slots=True)
class Format:
    """Run formatting from the inlines around a piece of text."""

    style: str | None = None
    bold: bool = False
    italic: bool = False
    strike: bool = False


@dataclass(frozen=True, slots=True)
class Spot:
    """Where inlines are written: a paragraph or hyperlink, with formatting and place."""

    parent: Element
    format: Format
    place: Place

    def formatted(self, run_format: Format) -> Spot:
        return replace(self, format=run_format)


class StyleIds:
    """The id of every style the writer uses, resolved once (copied in when missing)."""

    def __init__(self, book: StyleBook) -> None:
        p, c = book.paragraph, book.character
        self.normal = p("Normal")
        self.body = p("Body Text")
        self.title = p("Title")
        self.subtitle = p("Subtitle")
        self.headings = {level: p(f"Heading {level}") for level in (1, 2, 3, 4)}
        self.list_bullet = p("List Bullet")
        self.list_number = p("List Number")
        self.list_continue = [p("List Continue"), p("List Continue 2"), p("List Continue 3")]
        self.quote = p("Quote")
        self.caption = p("Caption")
        self.figure = p("Figure")
        self.code = p("Source Code")
        self.rule = p("Thematic Break")
        self.table_text = p("Table Text")
        self.table_group = p("Table Subheading")
        self.footnote_text = p("Footnote Text")
        self.header = p("Header")
        self.footer = p("Footer")
        self.toc_heading = p("TOC Heading")
        self.toc = {level: p(f"TOC {level}") for level in (1, 2, 3)}
        self.part_title = p("Part Title")
        self.module_summary = p("Module Summary")
        self.module_facts = p("Module Facts")
        self.objectives_title = p("Objectives Title")
        self.cover_publisher = p("Cover Publisher")
        self.cover_edition = p("Cover Edition")
        self.cover_facts = p("Cover Facts")
        self.cover_draft = p("Cover Draft")
        self.block_separator = p("Block Separator")
        self.note_line = p("Note Line")
        self.blocks = {kind: p(name) for kind, name in BLOCK_STYLES.items()}
        self.block_titles = {kind: p(f"{name} Title") for kind, name in BLOCK_STYLES.items()}
        self.hyperlink = c("Hyperlink")
        self.verbatim = c("Verbatim Char")
        self.footnote_reference = c("Footnote Reference")
        self.fact_label = c("Fact Label")
        self.table = book.table("Training Table")


def _write_nothing(keep: bool) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Kit:
    """The per-document helpers the node writers use, each built once.

    ``flush`` is called each time a piece of the body is finished (the cover and
    contents with True: keep it; each module with False); the body is then written out.
    """

    ids: StyleIds
    styles: StyleBook
    plan: EditionPlan
    numbering: ListNumbering
    footnotes: Footnotes
    images: Images
    flush: Callable[[bool], None] = _write_nothing
