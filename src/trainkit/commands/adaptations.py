"""``trainkit list --adaptations`` as a library call: region x slot, and their state.

A cell is ``filled`` (the region's own content), ``inherited`` (content from the region
it extends), ``default`` (the module's generic text), ``missing`` (a required slot not
filled) or ``n/a`` (none of the region's modules has the slot). A slot used in several
modules is ``missing`` when any of its required uses is not filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trainkit.checks.adaptation import SlotUse, fill_key, slot_uses
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.loading.inheritance import adaptation_origins

CellState = Literal["filled", "inherited", "default", "missing", "n/a"]


@dataclass(frozen=True, slots=True)
class RegionAdaptation:
    """One region's row: its parent, status, last review and each slot's state."""

    id: str
    name: str
    parent: str | None
    status: str
    last_reviewed: str | None
    cells: dict[str, CellState]


@dataclass(frozen=True, slots=True)
class AdaptationMatrix:
    """Regions x slots."""

    slots: tuple[str, ...]
    regions: tuple[RegionAdaptation, ...]

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form, for ``trainkit list --adaptations --format json``."""
        return {"slots": list(self.slots), "regions": [
            {"id": r.id, "name": r.name, "extends": r.parent, "status": r.status,
             "last_reviewed": r.last_reviewed, "slots": dict(r.cells)} for r in self.regions]}


def adaptation_matrix(project_dir: Path) -> AdaptationMatrix:
    """Validate the project and give the state of every slot in every region."""
    return matrix_of(require_valid(project_dir))


def matrix_of(valid: ValidProject) -> AdaptationMatrix:
    """The matrix of a validated project, regions in tree order (parents first)."""
    uses = slot_uses(valid.project, valid.manifest, valid.regions)
    slots = tuple(sorted({use.slot for use in uses}))
    own = valid.project.own_region_models()
    rows: list[RegionAdaptation] = []
    for rid in tree_order(valid):
        region = valid.regions[rid]
        origins = adaptation_origins(own, rid)
        cells = {slot: _state(rid, [u for u in uses if u.slot == slot and rid in u.regions],
                              valid, origins) for slot in slots}
        rows.append(RegionAdaptation(
            rid, region.name, region.extends if region.extends in own else None,
            region.status, region.last_reviewed.isoformat() if region.last_reviewed else None,
            cells))
    return AdaptationMatrix(slots, tuple(rows))


def _state(rid: str, uses: list[SlotUse], valid: ValidProject,
           origins: Mapping[str, tuple[str, object]]) -> CellState:
    if not uses:
        return "n/a"
    region = valid.regions[rid]
    keys = [fill_key(use, region) for use in uses]
    if any(key is None and not use.has_default for key, use in zip(keys, uses)):
        return "missing"
    filled = [key for key in keys if key is not None]
    if not filled:
        return "default"
    return "filled" if any(origins[key][0] == rid for key in filled) else "inherited"


def tree_order(valid: ValidProject) -> list[str]:
    """Region ids, each parent followed by the regions that extend it (depth first)."""
    own = valid.project.own_region_models()
    children: dict[str | None, list[str]] = {}
    for rid in sorted(own):
        parent = own[rid].extends
        children.setdefault(parent if parent in own and parent != rid else None,
                            []).append(rid)
    order: list[str] = []
    pending = list(reversed(children.get(None, [])))
    while pending:
        rid = pending.pop()
        if rid in order:
            continue
        order.append(rid)
        pending.extend(reversed(children.get(rid, [])))
    order.extend(rid for rid in sorted(own) if rid not in order)  # regions on a cycle
    return order


def depth(valid: ValidProject, rid: str) -> int:
    """How many regions ``rid`` extends, through its parents."""
    own = valid.project.own_region_models()
    seen: list[str] = []
    current = own[rid].extends if rid in own else None
    while current is not None and current in own and current not in seen:
        seen.append(current)
        current = own[current].extends
    return len(seen)
