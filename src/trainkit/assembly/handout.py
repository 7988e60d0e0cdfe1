"""A handout on the document model: one module of a participant-style edition.

A handout is built on the document model, like an edition. The participant-style edition
of the region is assembled through ``assemble`` (an edition of the manifest that hides
trainer notes and answers; when the manifest has none, its default edition filtered by
``EditionFilter`` with those two kinds hidden), so regional variables and conditional
blocks apply exactly as in the participant's manual. Then the handout transform keeps
only what a handout shows, in this order:

1. key points;
2. case studies and exercises, in module order;
3. questions, without their answers, under "Check your understanding" (a decision:
   participants can prepare them in the notes area; answers are never in a handout).

Everything else (body prose, trainer notes, answers, and anything nested in a trainer
note) is gone before any writer runs, so it cannot reach a header, a bookmark or the
document properties. Cross-references become plain text: their targets are not in the
handout. The title, summary and learning objectives come from the module's front-matter.
"""

from __future__ import annotations

from dataclasses import replace

from trainkit.assembly.passes import Audience, EditionFilter
from trainkit.assembly.transform import Transform
from trainkit.model import document as d
from trainkit.model.document import BlockKind
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.schemas import Edition, Manifest

#: Named blocks no handout ever shows.
HIDDEN_KINDS: frozenset[BlockKind] = frozenset({"trainer-note", "answer"})
#: The named blocks a handout shows, by group, in the order the groups are printed.
SHOWN_GROUPS: tuple[tuple[str, ...], ...] = (("key-points",), ("case-study", "exercise"),
                                             ("question",))
SHOWN_KINDS = frozenset(kind for group in SHOWN_GROUPS for kind in group)


# -- the model -------------------------------------------------------------------------


class _InsideShownBlock(Transform):
    """Inside a block a handout shows: drops hidden nested blocks, unlinks references."""

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.NamedBlock) and node.kind not in SHOWN_KINDS:
            return ()
        return (self.descend(node),)

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.CrossRef):
            return self.inlines(node.children)
        return (self.descend(node),)


def _collect(blocks: tuple[d.Block, ...], found: dict[str, list[d.Block]]) -> None:
    for node in blocks:
        if isinstance(node, d.NamedBlock):
            if node.kind in found:
                found[node.kind].extend(_InsideShownBlock().block(node))
            continue  # a block a handout does not show: nothing inside it is shown either
        if isinstance(node, (d.BlockQuote, d.Conditional)):
            _collect(node.blocks, found)
        elif isinstance(node, (d.BulletList, d.OrderedList)):
            for item in node.items:
                _collect(item.blocks, found)


def handout_blocks(blocks: tuple[d.Block, ...], words: dict[str, str]) -> tuple[d.Block, ...]:
    """The blocks of an assembled module that a handout shows, grouped and ordered."""
    found: dict[str, list[d.Block]] = {kind: [] for kind in SHOWN_KINDS}
    _collect(blocks, found)
    shown: list[d.Block] = []
    for group in SHOWN_GROUPS:
        members = blocks_in_order(found, group)
        if group == ("question",) and members:
            title = words["review-questions"]
            shown.append(d.Heading(2, (d.Text(title),), "review-questions"))
        shown.extend(members)
    return tuple(shown)


def blocks_in_order(found: dict[str, list[d.Block]], kinds: tuple[str, ...]) -> list[d.Block]:
    """The blocks of ``kinds``, in module order (their numbers follow it)."""
    blocks = [block for kind in kinds for block in found[kind]]
    return sorted(blocks, key=lambda b: b.line if isinstance(b, d.NamedBlock) else 0)


def handout_edition(edition: AssembledEdition, module: EditionModule) -> AssembledEdition:
    """``edition`` reduced to the handout of one of its modules (``compact``: every writer
    ends it with a notes area of its own)."""
    words = edition.labels
    hidden = Audience(edition.request.region, edition.request.edition, None, HIDDEN_KINDS)
    blocks = handout_blocks(EditionFilter(hidden).blocks(module.blocks), words)
    definition = Edition(title=words["handout"],
                         hide=sorted(HIDDEN_KINDS | set(edition.edition.hide)))
    alone = replace(module, blocks=blocks, part=None)  # no part title page for one module
    return replace(edition, edition=definition, modules=(alone,), glossary=(), compact=True)


def participant_edition(manifest: Manifest) -> str:
    """The edition to assemble: one that hides trainer notes and answers, if there is one.

    The default edition comes first, then ``participant``, then the others in manifest
    order. Without any, the default edition is used (``handout_edition`` hides the two
    kinds itself, so its ``only edition=`` blocks are those of the default edition).
    """
    preferred = [manifest.output.edition or "", "participant", *manifest.editions]
    for edition_id in preferred:
        edition = manifest.editions.get(edition_id)
        if edition is not None and HIDDEN_KINDS <= set(edition.hide):
            return edition_id
    return manifest.output.edition or next(iter(manifest.editions))
