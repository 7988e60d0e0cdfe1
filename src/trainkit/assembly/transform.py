"""A model-to-model pass: override ``block`` or ``inline`` to drop, replace or expand nodes.

The default rebuilds a node with its children transformed, so a pass only writes the
cases it cares about, as a pandoc filter does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from trainkit.model import assessment as a
from trainkit.model import document as d

Node = TypeVar("Node")

_INLINE_CONTAINERS = (d.Paragraph, d.Heading, d.Emph, d.Strong, d.Strike, d.Link, d.ModuleLink,
                      d.CrossRef)
_BLOCK_CONTAINERS = (d.NamedBlock, d.Conditional, d.BlockQuote, d.ListItem, d.Footnote,
                     d.Slot)


class Transform:
    """Walks blocks and inlines, rebuilding only what changed."""

    def blocks(self, blocks: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
        result: list[d.Block] = []
        for node in blocks:
            result.extend(self.block(node))
        return tuple(result)

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        return (self.descend(node),)

    def inlines(self, inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
        result: list[d.Inline] = []
        for node in inlines:
            result.extend(self.inline(node))
        return tuple(result)

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        return (self.descend(node),)

    def descend(self, node: Node) -> Node:
        """``node`` with its children passed through this transform."""
        if isinstance(node, _INLINE_CONTAINERS):
            return replace(node, children=self.inlines(node.children))
        if isinstance(node, d.NamedBlock) and node.question is not None:
            question = self.question(replace(node.question, prompt=node.blocks))
            return replace(node, blocks=question.prompt, question=question)
        if isinstance(node, _BLOCK_CONTAINERS):
            return replace(node, blocks=self.blocks(node.blocks))
        if isinstance(node, (d.BulletList, d.OrderedList)):
            items = tuple(self.descend(item) for item in node.items)
            return replace(node, items=items)
        if isinstance(node, d.Table):
            header = tuple(self.inlines(cell) for cell in node.header)
            rows = tuple(tuple(self.inlines(cell) for cell in row) for row in node.rows)
            return replace(node, header=header, rows=rows)
        if isinstance(node, d.Figure):
            images = self.inline(node.image)
            image = images[0] if images and isinstance(images[0], d.Image) else node.image
            return replace(node, image=image,
                           caption=self.inlines(node.caption))
        return node

    def question(self, question: a.Question) -> a.Question:
        """``question`` with its prompt, options, pairs and feedback transformed."""
        options = tuple(replace(option, inlines=self.inlines(option.inlines),
                                feedback=self.blocks(option.feedback))
                        for option in question.options)
        pairs = tuple(replace(pair, left=self.inlines(pair.left), right=self.inlines(pair.right))
                      for pair in question.pairs)
        return replace(question, prompt=self.blocks(question.prompt), options=options,
                       pairs=pairs, model_answer=self.blocks(question.model_answer),
                       feedback=self.blocks(question.feedback))
