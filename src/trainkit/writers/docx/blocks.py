"""Block nodes to paragraphs and tables: one method per node type, like the HTML writer.

Each paragraph gets its style by id (``Place.style`` for plain text, the heading, list,
caption, code and training-block styles otherwise). The only direct paragraph properties
are a table cell's alignment, list numbering (``w:numPr``), and the indent of a list
inside a training block, which keeps the block's style so that its box continues:
training blocks are runs of paragraphs in their block's style, whose borders and shading
Word draws as one box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from trainkit.labels import numbered, titled
from trainkit.model import document as d
from trainkit.writers.docx.context import Format, Place, Spot
from trainkit.writers.docx.inlines import InlineWriter
from trainkit.writers.docx.numbering import INDENT_STEP, no_numbering, number_paragraph
from trainkit.writers.docx.questions import QuestionDocx
from trainkit.writers.docx.oxml import (
    Element, add_text, bookmark, first_child, indent, last_child, paragraph,
    paragraph_properties, qn, run, w,
)
from trainkit.writers.docx.tables import (
    JUSTIFY, content_widths, finish_cell, new_cell, new_row, new_table,
)

MAX_LEVEL = 8  # Word list levels are 0-8


class BlockWriter(InlineWriter):
    """Writes the blocks of module bodies and footnotes."""

    #: The objective ids of the module being written (for a question's objective numbers).
    objective_ids: Sequence[str | None] = ()

    def blocks(self, blocks: tuple[d.Block, ...], place: Place) -> None:
        for block in blocks:
            self.block(block, place)

    def block(self, node: d.Block, place: Place) -> None:
        method: Callable[[d.Block, Place], None] = getattr(self, f"block_{type(node).__name__}")
        method(node, place)

    def paragraph(self, place: Place, style_id: str | None = None) -> Element:
        p = paragraph(place.story.container, style_id or place.style)
        if place.indent is not None and style_id is None:
            indent(p, place.indent)
        return p

    def spot(self, parent: Element, place: Place) -> Spot:
        return Spot(parent, Format(), place)

    # -- one method per node ----------------------------------------------------------

    def block_Paragraph(self, node: d.Paragraph, place: Place) -> None:
        self.inlines(node.children, self.spot(self.paragraph(place), place))

    def block_Heading(self, node: d.Heading, place: Place) -> None:
        """A heading: Markdown ``##`` and ``###`` are Heading 2 and 3, numbered by the
        outline when Word's count gives the PDF's number; ``#`` is an unnumbered Heading
        2, deeper levels Heading 4."""
        style_level = min(max(node.level, 2), 4)
        p = self.paragraph(place, self.ids.headings[style_level])
        if self.outline and node.number and node.level == style_level \
                and self.counter.section(node.level, node.number):
            number_paragraph(p, self.outline, node.level - 1)
        else:
            if self.outline and style_level < 4:
                no_numbering(p)
            if node.number:
                add_text(run(p), f"{node.number} ")
        self.inlines(node.children, self.spot(p, place))
        name = self.plan.headings.get(id(node))
        if name:
            bookmark(p, name, self.plan.names.next_id())

    def block_Figure(self, node: d.Figure, place: Place) -> None:
        image = node.image
        drawing = self.images.picture(image.src, image.alt, image.title, place.story.links,
                                      place.width)
        if drawing is None:
            add_text(run(self.paragraph(place, self.ids.caption)), self.placeholder(image))
        else:
            run(self.paragraph(place, self.ids.figure)).append(drawing)
        if node.caption:
            self.inlines(node.caption, self.spot(self.paragraph(place, self.ids.caption), place))

    def block_BulletList(self, node: d.BulletList, place: Place) -> None:
        self.list_items(node.items, place, self.numbering.bullet(), self.ids.list_bullet)

    def block_OrderedList(self, node: d.OrderedList, place: Place) -> None:
        level = min(place.level + 1, MAX_LEVEL)
        number = self.numbering.ordered(node.start, level)
        self.list_items(node.items, place, number, self.ids.list_number)

    def list_items(self, items: tuple[d.ListItem, ...], place: Place, num_id: int,
                   list_style: str) -> None:
        level = min(place.level + 1, MAX_LEVEL)
        if place.boxed:  # keep the box's style; indent from the box's own indent
            left = self.styles.indent(place.style) + INDENT_STEP * (level + 1)
            inner = replace(place, level=level, indent=left)
        else:
            inner = replace(place, level=level, indent=None,
                            style=self.ids.list_continue[min(level, 2)])
        for item in items:
            p = paragraph(place.story.container, place.style if place.boxed else list_style)
            number_paragraph(p, num_id, level)
            if place.boxed:
                indent(p, left, INDENT_STEP)
            blocks = item.blocks
            if blocks and isinstance(blocks[0], d.Paragraph):
                self.inlines(blocks[0].children, self.spot(p, place))
                blocks = blocks[1:]
            self.blocks(blocks, inner)

    def block_BlockQuote(self, node: d.BlockQuote, place: Place) -> None:
        self.blocks(node.blocks, place.inside(self.ids.quote))

    def block_CodeBlock(self, node: d.CodeBlock, place: Place) -> None:
        add_text(run(self.paragraph(place, self.ids.code)), node.text.rstrip("\n"))

    def block_ThematicBreak(self, node: d.ThematicBreak, place: Place) -> None:
        self.paragraph(place, self.ids.rule)

    def block_Table(self, node: d.Table, place: Place) -> None:
        columns = max(len(node.header), *(len(row) for row in node.rows)) if node.rows \
            else len(node.header)
        rows = (node.header, *node.rows)
        widths = content_widths(place.width, [
            [d.plain_text(cells[column]) for cells in rows if column < len(cells)]
            for column in range(max(columns, 1))])
        table = new_table(place.story.container, self.ids.table, widths)
        for index, cells in enumerate(rows):
            row = new_row(table, header=index == 0)
            for column in range(columns):
                content = cells[column] if column < len(cells) else ()
                align = node.aligns[column] if column < len(node.aligns) else ""
                self.table_cell(row, widths[column], content, place, JUSTIFY.get(align))

    def table_cell(self, row: Element, width: int, content: tuple[d.Inline, ...],
                   place: Place, justify: str | None = None, style_id: str | None = None,
                   span: int = 1) -> Element:
        """A cell holding one paragraph of ``content``."""
        cell = new_cell(row, width, span)
        cell_place = replace(place, style=style_id or self.ids.table_text, width=width,
                             level=-1, boxed=False,
                             story=replace(place.story, container=cell))
        p = self.paragraph(cell_place)
        if justify:
            w(paragraph_properties(p), "jc", justify)
        self.inlines(content, self.spot(p, cell_place))
        finish_cell(cell)
        return p

    def block_NamedBlock(self, node: d.NamedBlock, place: Place) -> None:
        style = self.ids.blocks[node.kind]
        title_style = self.ids.block_titles[node.kind]
        container = place.story.container
        last = last_child(container)
        if last is not None and _style_of(last) in (style, title_style):
            self.paragraph(place, self.ids.block_separator)  # keep two boxes apart
        label = self.words[node.kind]
        if node.number:
            label = numbered(label, node.number)
        if node.title:  # "Case study 1.2: ...", "Étude de cas 1.2 : ...", as the PDF says
            label = titled(label, node.title, self.edition.language, self.words)
        add_text(run(self.paragraph(place, title_style)), label)
        self.blocks(node.blocks, place.inside(style))
        if node.question is not None:
            edition = self.edition.edition
            lines = 0 if self.edition.compact and not self.edition.paper else edition.answer_lines
            QuestionDocx(self, place.inside(style), "answer" not in edition.hide,
                         lines).write(node.question, self.objective_ids)

    def block_Conditional(self, node: d.Conditional, place: Place) -> None:
        raise AssertionError("conditional blocks are resolved before writing")


def _style_of(element: Element) -> str | None:
    properties = first_child(element) if element.tag == qn("w:p") else None
    if properties is None:
        return None
    style = properties.find(qn("w:pStyle"))
    return style.get(qn("w:val")) if style is not None else None
