"""A model-to-model pass: override ``block`` or ``inline`` to drop, replace or expand nodes.

The default rebuilds a node with its children transformed, so a pass only writes the
cases it cares about, as a pandoc filter does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from trainkit.model import assessment as a
from trainkit.model import document as d

Node = TypeVar("Node")

_INLINE_CONTAINERS = (d.Paragraph, d.Heading, d.Emph, d.Strong, d.Strike, d.Link, d.ModuleLink,
                      d.CrossRef)
_BLOCK_CONTAINERS = (d.NamedBlock, d.Conditional, d.BlockQuote, d.ListItem, d.Footnote,
                     d.Slot)
#: What each node type holds, by exact type (the model's node classes are final).
_KINDS: dict[type, str] = {
    **{kind: "inlines" for kind in _INLINE_CONTAINERS},
    **{kind: "blocks" for kind in _BLOCK_CONTAINERS},
    d.BulletList: "list", d.OrderedList: "list", d.Table: "table", d.Figure: "figure"}


class Transform:
    """Walks blocks and inlines, rebuilding only what changed: a node whose children all
    come back as they were is returned itself (most nodes, in most passes), so a pass
    costs a walk, not a copy of the whole tree."""

    def blocks(self, blocks: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
        result: list[d.Block] = []
        changed = False
        for node in blocks:
            out = self.block(node)
            if not changed and (len(out) != 1 or out[0] is not node):
                changed = True
            result.extend(out)
        return tuple(result) if changed else blocks

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        return (self.descend(node),)

    def inlines(self, inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
        result: list[d.Inline] = []
        changed = False
        # A pass that leaves ``inline`` alone keeps leaves (text, code...) as they are.
        plain = type(self).inline is Transform.inline
        for node in inlines:
            if plain and type(node) not in _KINDS:
                result.append(node)
                continue
            out = self.inline(node)
            if not changed and (len(out) != 1 or out[0] is not node):
                changed = True
            result.extend(out)
        return tuple(result) if changed else inlines

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        return (self.descend(node),)

    def descend(self, node: Node) -> Node:
        """``node`` with its children passed through this transform (``node`` itself when
        none of them changed)."""
        kind = _KINDS.get(type(node))  # one look-up: most nodes are leaves (text)
        if kind is None:
            return node
        held: Any = node
        if kind == "blocks" and isinstance(held, d.NamedBlock) and held.question is not None:
            question = self.question(replace(held.question, prompt=held.blocks))
            result = replace(held, blocks=question.prompt, question=question)
        elif kind == "inlines":
            children = self.inlines(held.children)
            result = held if children is held.children else replace(held, children=children)
        elif kind == "blocks":
            blocks = self.blocks(held.blocks)
            result = held if blocks is held.blocks else replace(held, blocks=blocks)
        else:
            method: Callable[[Any], Any] = getattr(self, f"_descend_{kind}")
            result = method(held)
        return cast(Node, result)

    def _descend_list(self, node: d.BulletList | d.OrderedList) -> d.Block:
        items = tuple(self.descend(item) for item in node.items)
        return node if _same(items, node.items) else replace(node, items=items)

    def _descend_table(self, node: d.Table) -> d.Block:
        header = tuple(self.inlines(cell) for cell in node.header)
        rows = tuple(tuple(self.inlines(cell) for cell in row) for row in node.rows)
        if _same(header, node.header) and all(
                _same(new, old) for new, old in zip(rows, node.rows, strict=True)):
            return node
        return replace(node, header=header, rows=rows)

    def _descend_figure(self, node: d.Figure) -> d.Block:
        images = self.inline(node.image)
        image = images[0] if images and isinstance(images[0], d.Image) else node.image
        caption = self.inlines(node.caption)
        if image is node.image and caption is node.caption:
            return node
        return replace(node, image=image, caption=caption)


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


def _same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    """Whether two tuples hold the very same objects, in the same order."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old, strict=True))
