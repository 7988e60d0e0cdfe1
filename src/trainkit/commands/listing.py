"""``trainkit list`` as a library call: which modules each region includes, and durations.

Durations come from each module's front-matter (``duration``). An edition only hides
blocks inside modules (trainer notes, answers), never whole modules, so every edition of
a region has the region's total; the listing says so instead of repeating the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainkit.schemas import ModuleMeta
from trainkit.schemas.common import format_duration
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.commands.adaptations import depth, tree_order
from trainkit.commands.review_log import open_comments as logged_open_comments


@dataclass(frozen=True, slots=True)
class ModuleRow:
    """One module and the regions whose editions include it."""

    id: str
    title: str
    path: str
    status: str
    version: str
    minutes: int
    regions: tuple[str, ...]
    #: The review state: the last review date (or ""), the reviewers, and the comments
    #: left open in the newest review log of the module (``reviews/``).
    last_reviewed: str = ""
    reviewers: tuple[str, ...] = ()
    open_comments: int = 0


@dataclass(frozen=True, slots=True)
class RegionTotal:
    """One region: its name, how many modules it includes and their total duration."""

    id: str
    name: str
    modules: int
    minutes: int
    #: The region it extends (a country edition of a region), if any.
    parent: str | None = None
    #: How many regions it extends through its parents (0: a top-level region).
    depth: int = 0


@dataclass(frozen=True, slots=True)
class EditionTotal:
    """One edition: the blocks it hides and its total duration in each region."""

    id: str
    title: str
    hides: tuple[str, ...]
    minutes: dict[str, int]


@dataclass(frozen=True, slots=True)
class Listing:
    """The whole table: modules x regions, with totals."""

    title: str
    modules: tuple[ModuleRow, ...]
    regions: tuple[RegionTotal, ...]
    editions: tuple[EditionTotal, ...]

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form, for ``trainkit list --format json``."""
        return {
            "title": self.title,
            "modules": [{"id": m.id, "title": m.title, "path": m.path, "status": m.status,
                         "version": m.version, "minutes": m.minutes,
                         "duration": format_duration(m.minutes), "regions": list(m.regions),
                         "last_reviewed": m.last_reviewed or None,
                         "reviewers": list(m.reviewers), "open_comments": m.open_comments}
                        for m in self.modules],
            "regions": [{"id": r.id, "name": r.name, "extends": r.parent, "modules": r.modules,
                         "minutes": r.minutes, "duration": format_duration(r.minutes)}
                        for r in self.regions],
            "editions": [{"id": e.id, "title": e.title, "hides": list(e.hides),
                          "minutes": e.minutes} for e in self.editions],
            "note": EDITIONS_NOTE,
        }


EDITIONS_NOTE = ("durations come from module front-matter; editions only hide blocks inside "
                 "modules, so every edition of a region has the region's total")


def project_listing(project_dir: Path) -> Listing:
    """Validate the project and list its modules by region."""
    valid = require_valid(project_dir)
    placed = _placed_by_region(valid)
    order = _module_order(valid, placed)
    open_comments = logged_open_comments(valid.root)
    rows = tuple(
        ModuleRow(meta.id, meta.title, path, meta.status.value, meta.version, meta.minutes,
                  tuple(r for r, paths in placed.items() if path in paths),
                  meta.last_reviewed.isoformat() if meta.last_reviewed else "",
                  tuple(meta.reviewers), open_comments.get(path, 0))
        for path, meta in order)
    minutes = {r: sum(m.minutes for m in rows if r in m.regions) for r in placed}
    parents = {r: profile.extends for r, profile in valid.regions.items()
               if profile.extends in valid.regions}
    region_order = [r for r in tree_order(valid) if r in placed] + [
        r for r in placed if r not in valid.regions]
    regions = tuple(RegionTotal(r, valid.regions[r].name if r in valid.regions else "",
                                len(placed[r]), minutes[r], parents.get(r), depth(valid, r))
                    for r in region_order)
    editions = tuple(EditionTotal(e, definition.title, tuple(definition.hide), dict(minutes))
                     for e, definition in valid.manifest.editions.items())
    return Listing(valid.manifest.title, rows, regions, editions)


def _placed_by_region(valid: ValidProject) -> dict[str, list[str]]:
    """Each region id with the paths of its modules, in reading order."""
    return {r: [p.module.path for p in valid.modules_of(r)] for r in valid.region_ids}


def _module_order(valid: ValidProject,
                  placed: dict[str, list[str]]) -> list[tuple[str, ModuleMeta]]:
    """Manifest order, then each region's additions right after the module they follow."""
    modules = valid.project.modules
    order = [path for path in (valid.resolver.module_path(entry, valid.root)
                               for entry, _ in valid.manifest.module_files())
             if path is not None and path in modules]
    for paths in placed.values():
        for index, path in enumerate(paths):
            if path in order:
                continue
            before = paths[index - 1] if index else None
            order.insert(order.index(before) + 1 if before in order else len(order), path)
    return [(path, meta) for path in order if (meta := modules[path].meta) is not None]
