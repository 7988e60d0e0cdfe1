"""Adaptation slots in an edition: the first pass over a module body.

A slot the region (after inheritance) fills becomes its fragment's blocks, in the
edition's language, with image and module-link paths made relative to the module file
so the later passes treat them like the module's own. A slot the region does not fill
becomes its default text; a slot without default becomes a trainer note titled "To be
adapted for <region>", which every edition that hides trainer notes (participant
editions, handouts) drops with them. Exports (agendas, timetables) print no blocks.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace

from trainkit.assembly.transform import Transform
from trainkit.checks.adaptation import fill_key, slot_uses
from trainkit.checks.validate import ValidProject, source_lines
from trainkit.errors import ContentError
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.labels import labels
from trainkit.loading.fragments import load_fragment, slot_key
from trainkit.loading.inheritance import adaptation_origins
from trainkit.loading.project import Project
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition
from trainkit.schemas.region import Adaptation


@dataclass(slots=True)
class SlotFiller:
    """What filling the slots of one edition needs, and the required slots it missed."""

    project: Project
    region_id: str
    region_name: str
    language: str
    missing: list[Diagnostic] = field(default_factory=list)
    _origins: dict[str, tuple[str, Adaptation]] = field(init=False)

    def __post_init__(self) -> None:
        self._origins = adaptation_origins(self.project.own_region_models(), self.region_id)

    def fill(self, blocks: tuple[d.Block, ...], module_id: str,
             module_path: str) -> tuple[d.Block, ...]:
        """``blocks`` of module ``module_id`` (at ``module_path``) with slots filled."""
        return _FillSlots(self, module_id, module_path).blocks(blocks)

    def content(self, slot: d.Slot, module_id: str,
                module_path: str) -> tuple[d.Block, ...] | None:
        """The region's blocks for ``slot``, relocated to ``module_path``; None if unfilled."""
        key = slot_key(slot.slot, module_id, self._origins)
        if key is None:
            return None
        origin, value = self._origins[key]
        fragment = load_fragment(self.project, origin, key, value, self.language)
        if fragment.body is None:
            return None
        base = posixpath.dirname(fragment.path)
        return _Relocate(base, posixpath.dirname(module_path)).blocks(fragment.body.blocks)

    def placeholder(self, slot: d.Slot, module_path: str,
                    guidance: tuple[d.Block, ...] = ()) -> tuple[d.Block, ...]:
        """The marked box of a required slot the region does not fill, holding the
        guidance (the trainer notes in the slot) for whoever adapts it."""
        words = labels(self.language)
        region = self.region_name or self.region_id
        self.missing.append(Diagnostic(
            module_path, slot.line, 1, "TK701",
            f"slot `{slot.slot}` has no default text and is not adapted for "
            f"`{self.region_id}`", f"add `{slot.slot}:` under `adaptations:` in "
            f"regions/{self.region_id}.yaml", Severity.ERROR))
        title = words.get("to-be-adapted", "To be adapted for {region}").format(region=region)
        note = d.Paragraph((d.Text(f"{words.get('adaptation-slot', 'Adaptation slot')}: "),
                            d.Code(slot.slot)), slot.line)
        inner = tuple(block for note_block in guidance for block in (
            note_block.blocks if isinstance(note_block, d.NamedBlock) else (note_block,)))
        return (d.NamedBlock("trainer-note", title, (*inner, note), slot.line),)


class _FillSlots(Transform):
    def __init__(self, filler: SlotFiller, module_id: str, module_path: str) -> None:
        self.filler = filler
        self.module_id = module_id
        self.module_path = module_path

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.Slot):
            filled = self.filler.content(node, self.module_id, self.module_path)
            if filled is not None:
                return filled
            if any(getattr(b, "kind", "") != "trainer-note" for b in node.blocks):
                return self.blocks(node.blocks)
            return self.filler.placeholder(node, self.module_path, self.blocks(node.blocks))
        return (self.descend(node),)


class _Relocate(Transform):
    """Rewrites relative image and module-link paths from ``source`` to ``target``."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target

    def moved(self, path: str) -> str:
        if not path:
            return path
        return posixpath.relpath(posixpath.normpath(posixpath.join(self.source, path)),
                                 self.target or ".")

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.Slot):  # fragments do not nest slots
            return self.blocks(node.blocks)
        return (self.descend(node),)

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.Image):
            return (replace(node, src=self.moved(node.src)),)
        if isinstance(node, d.ModuleLink):
            return (replace(node, path=self.moved(node.path),
                            children=self.inlines(node.children)),)
        return (self.descend(node),)


def require_adapted(valid: ValidProject, edition: AssembledEdition) -> None:
    """``ContentError`` when a module of ``edition`` has a required slot its region does
    not fill: an approved edition is never printed with a "To be adapted" box."""
    region_id = edition.request.region
    region = valid.regions.get(region_id)
    if region is None:
        return
    ids = {module.meta.id for module in edition.modules}
    missing = [Diagnostic(use.path, use.line, 1, "TK701",
                          f"slot `{use.slot}` has no default text and is not adapted for "
                          f"`{region_id}`", f"add `{use.slot}:` under `adaptations:` in "
                          f"regions/{region_id}.yaml", Severity.ERROR)
               for use in slot_uses(valid.project, valid.manifest, valid.regions)
               if use.module_id in ids and region_id in use.regions and not use.has_default
               and fill_key(use, region) is None]
    if missing:
        count = len(missing)
        raise ContentError(
            f"the {region_id} {edition.request.edition} edition has {count} required "
            f"adaptation slot{'s' if count != 1 else ''} not filled; an approved edition "
            "cannot be built (fill them under `adaptations:` in the region profile)",
            missing, source_lines(valid.project, missing))
