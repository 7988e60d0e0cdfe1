"""Checks of regional adaptation: slots, fragments, inheritance and required variables.

- TK701: a region's edition includes a slot with no default that the region (after
  inheritance) does not fill; TK702: a required variable the region leaves unset. Both
  are warnings, errors for a region whose profile says ``status: complete``.
- TK703: an adaptation key that names no slot (or no module declaring it).
- TK704: a fragment file that cannot be used (``loading/fragments.py``).
- TK705: ``extends`` naming no region, or regions extending each other in a cycle.
- A fragment's own text is checked like module text by ``content.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from trainkit.checks.content import _scope_regions
from trainkit.checks.terminology import check_terminology
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.loading.fragments import all_fragments, slot_key
from trainkit.loading.inheritance import in_cycle
from trainkit.loading.project import Project
from trainkit.loading.selection import regions_by_module
from trainkit.schemas import Manifest, RegionProfile
from trainkit.text import suggestion


@dataclass(frozen=True, slots=True)
class SlotUse:
    """One ``::: adapt`` block of a module and the regions whose editions show it."""

    slot: str
    module_id: str
    path: str
    line: int
    has_default: bool
    regions: frozenset[str]


def slot_uses(project: Project, manifest: Manifest,
              regions: dict[str, RegionProfile]) -> list[SlotUse]:
    """Every slot of every module with valid front-matter, in module path order."""
    visible = regions_by_module(manifest, regions, project.modules, project.resolver)
    lineage = {rid: region.ancestors for rid, region in regions.items()}
    uses: list[SlotUse] = []
    for path, module in sorted(project.modules.items()):
        facts = module.facts
        if facts is None or module.meta is None or not facts.slots:
            continue
        scoped = _scope_regions(facts, visible[path], lineage)
        for fact in facts.slots:
            where = visible[path] if fact.scope < 0 else scoped[fact.scope]
            uses.append(SlotUse(fact.name, module.meta.id, path, fact.line,
                                bool(fact.column), frozenset(where)))
    return uses


def fill_key(use: SlotUse, region: RegionProfile | None) -> str | None:
    """The adaptation key of ``region`` that fills ``use``, if any."""
    return slot_key(use.slot, use.module_id, region.adaptations) if region else None


def check_adaptation(project: Project) -> Iterator[Diagnostic]:
    """Every finding about slots, adaptations, ``extends`` and required variables."""
    manifest = project.manifest_model
    if manifest is None:
        return
    own = project.own_region_models()
    yield from _check_extends(project, own)
    regions = project.region_models()
    uses = slot_uses(project, manifest, regions)
    for use in uses:
        for rid in sorted(use.regions):
            region = regions.get(rid)
            if use.has_default or region is None or fill_key(use, region) is not None:
                continue
            yield Diagnostic(
                use.path, use.line, 1, "TK701",
                f"slot `{use.slot}` has no default text and is not adapted for `{rid}`",
                f"add `{use.slot}:` under `adaptations:` in regions/{rid}.yaml (a file "
                f"under regions/{rid}/ or inline text)", _severity(region))
    yield from _check_keys(project, own, uses)
    yield from _check_required_variables(project, manifest, regions)
    glossary = project.glossary_model
    if glossary is not None:
        for fragment, _ in all_fragments(project):
            language = fragment.language or manifest.language
            yield from (replace(found, line=found.line + fragment.first_line - 1)
                        for found in check_terminology(fragment.path, fragment.text,
                                                       language, glossary))


def _severity(region: RegionProfile) -> Severity | None:
    return Severity.ERROR if region.status == "complete" else None


def _check_extends(project: Project, own: Mapping[str, RegionProfile]) -> Iterator[Diagnostic]:
    for rid, region in own.items():
        if region.extends is None:
            if not region.languages:
                yield _at(project, rid, (), "TK202", "`languages` is missing",
                          "a region needs `languages:` unless it `extends:` another")
            continue
        if region.extends not in own:
            yield _at(project, rid, ("extends",), "TK705",
                      f"region `{rid}` extends `{region.extends}`, which is not a region",
                      suggestion(region.extends, sorted(set(own) - {rid})))
            continue
        cycle = in_cycle(own, rid)
        if cycle is not None:
            yield _at(project, rid, ("extends",), "TK705",
                      "regions extend each other in a cycle: " + " -> ".join(cycle),
                      "remove `extends:` from one of them")


def _at(project: Project, rid: str, path: tuple[str | int, ...], code: str, message: str,
        hint: str | None = None, severity: Severity | None = None) -> Diagnostic:
    file = project.regions[rid]
    pos = file.loaded.position(path)
    return Diagnostic(file.path, pos.line, pos.column, code, message, hint, severity)


def _check_keys(project: Project, own: Mapping[str, RegionProfile],
                uses: list[SlotUse]) -> Iterator[Diagnostic]:
    """Each adaptation key must name a declared slot (of the module it names)."""
    slots = sorted({use.slot for use in uses})
    by_module = {(use.slot, use.module_id) for use in uses}
    for rid, region in own.items():
        for key in region.adaptations:
            slot, _, module_id = key.partition("@")
            file = project.regions[rid]
            pos = file.loaded.position(("adaptations", key), key=True)
            if slot not in slots:
                yield Diagnostic(file.path, pos.line, pos.column, "TK703",
                                 f"no module has an adaptation slot `{slot}`",
                                 suggestion(slot, slots) or "declare it with `::: adapt "
                                 f"{slot}` in a module, or remove this entry")
            elif module_id and (slot, module_id) not in by_module:
                modules = sorted(m for s, m in by_module if s == slot)
                yield Diagnostic(file.path, pos.line, pos.column, "TK703",
                                 f"module `{module_id}` has no adaptation slot `{slot}`",
                                 suggestion(module_id, modules)
                                 or f"`{slot}` is in: {', '.join(modules)}")


def _check_required_variables(project: Project, manifest: Manifest,
                              regions: Mapping[str, RegionProfile]) -> Iterator[Diagnostic]:
    required = [name for name, info in manifest.declared_variables.items()
                if info.required and name not in manifest.variables]
    for rid, region in sorted(regions.items()):
        for name in required:
            if name not in region.variables:
                yield _at(project, rid, ("variables",), "TK702",
                          f"required variable `{name}` is not set for `{rid}`",
                          f"set `{name}:` under `variables:` in regions/{rid}.yaml "
                          f"({manifest.declared_variables[name].description})",
                          _severity(region))
