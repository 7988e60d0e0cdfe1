"""Inline nodes to runs: one method per node type, like the HTML writer.

Emphasis, strong and struck text set the run's ``w:i``/``w:b``/``w:strike`` (a run holds
one character style only, and these nest); code, links and footnote calls use character
styles. Links get a relationship from the part they are written in (document or
footnotes), cross-references a ``w:anchor`` to a planned bookmark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition
from trainkit.writers.docx.context import Kit, Place, Spot, Story
from trainkit.writers.docx.footnotes import mark_run, reference_run
from trainkit.writers.docx.numbering import HeadingCounter
from trainkit.writers.docx.oxml import Element, external_link, internal_link, qn, run, sub


class InlineWriter:
    """Writes inline nodes into paragraphs; the block methods live in the subclass."""

    def __init__(self, edition: AssembledEdition, kit: Kit) -> None:
        self.edition = edition
        self.words = edition.labels
        self.ids = kit.ids
        self.styles = kit.styles
        self.plan = kit.plan
        self.numbering = kit.numbering
        self.footnotes = kit.footnotes
        self.images = kit.images
        self.flush = kit.flush
        #: The heading outline's numbering id (0: none, numbers are written as text) and
        #: Word's count of it; the edition writer sets both.
        self.outline = 0
        self.counter = HeadingCounter()

    def blocks(self, blocks: tuple[d.Block, ...], place: Place) -> None:
        raise NotImplementedError  # BlockWriter

    # -- dispatch ---------------------------------------------------------------------

    def inlines(self, inlines: tuple[d.Inline, ...], spot: Spot) -> None:
        """Write ``inlines``; neighbouring text and soft breaks share one run."""
        pending: list[str] = []
        for node in inlines:
            if isinstance(node, d.Text):
                pending.append(node.text)
            elif isinstance(node, d.SoftBreak):
                pending.append(" ")
            else:
                if pending:
                    self.text("".join(pending), spot)
                    pending.clear()
                self.inline(node, spot)
        if pending:
            self.text("".join(pending), spot)

    def inline(self, node: d.Inline, spot: Spot) -> None:
        method: Callable[[d.Inline, Spot], None] = getattr(self, f"inline_{type(node).__name__}")
        method(node, spot)

    def text(self, text: str, spot: Spot) -> Element:
        f = spot.format
        return run(spot.parent, text, style_id=f.style, bold=f.bold, italic=f.italic,
                   strike=f.strike)

    # -- one method per node ----------------------------------------------------------

    def inline_Text(self, node: d.Text, spot: Spot) -> None:
        self.text(node.text, spot)

    def inline_Code(self, node: d.Code, spot: Spot) -> None:
        self.text(node.text, spot.formatted(replace(spot.format, style=self.ids.verbatim)))

    def inline_Emph(self, node: d.Emph, spot: Spot) -> None:
        self.inlines(node.children, spot.formatted(replace(spot.format, italic=True)))

    def inline_Strong(self, node: d.Strong, spot: Spot) -> None:
        self.inlines(node.children, spot.formatted(replace(spot.format, bold=True)))

    def inline_Strike(self, node: d.Strike, spot: Spot) -> None:
        self.inlines(node.children, spot.formatted(replace(spot.format, strike=True)))

    def inline_SoftBreak(self, node: d.SoftBreak, spot: Spot) -> None:
        self.text(" ", spot)

    def inline_HardBreak(self, node: d.HardBreak, spot: Spot) -> None:
        sub(self.text("", spot), "w:br")

    def inline_Link(self, node: d.Link, spot: Spot) -> None:
        link = external_link(spot.parent, spot.place.story.links.hyperlink(node.target))
        linked = Spot(link, replace(spot.format, style=self.ids.hyperlink), spot.place)
        self.inlines(node.children, linked)

    def inline_ModuleLink(self, node: d.ModuleLink, spot: Spot) -> None:
        self.inlines(node.children, spot)  # unresolved links are reported by validation

    def inline_CrossRef(self, node: d.CrossRef, spot: Spot) -> None:
        target = self.plan.target(node.module_id, node.anchor) if node.included else None
        if target is None:
            missing = spot.formatted(replace(spot.format, italic=True))
            self.inlines(node.children, missing)
            self.text(f' ({self.words["not-in-edition"]})', missing)
            return
        link = internal_link(spot.parent, target)
        self.inlines(node.children, Spot(link, replace(spot.format, style=self.ids.hyperlink),
                                         spot.place))

    def inline_Image(self, node: d.Image, spot: Spot) -> None:
        drawing = self.images.picture(node.src, node.alt, node.title, spot.place.story.links,
                                      spot.place.width)
        if drawing is None:
            self.text(self.placeholder(node), spot)
        else:
            self.text("", spot).append(drawing)

    def placeholder(self, node: d.Image) -> str:
        """What stands in for an image Word files cannot hold (SVG)."""
        return f'[{self.words["image-not-embedded"]}: {node.alt}]'

    def inline_Variable(self, node: d.Variable, spot: Spot) -> None:
        raise AssertionError("variables are substituted before writing")

    def inline_Footnote(self, node: d.Footnote, spot: Spot) -> None:
        note_id, note = self.footnotes.add()
        story = Story(note, self.footnotes.links)
        self.blocks(node.blocks, Place(story, self.ids.footnote_text, spot.place.width))
        first = note.find(qn("w:p"))
        if first is None:
            first = sub(note, "w:p")
        mark_run(first, self.ids.footnote_reference)
        reference_run(spot.parent, note_id, self.ids.footnote_reference)
