"""Which modules a region's edition contains, in which order and under which part."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.loading.module_file import ModuleSource
from trainkit.loading.resolver import ProjectResolver
from trainkit.schemas import Manifest, ModuleMeta, RegionProfile

#: The region used when a project has no ``regions/`` folder.
DEFAULT_REGION_ID = "default"


@dataclass(frozen=True, slots=True)
class Placed:
    """A module in an edition's reading order, with the part it belongs to."""

    module: ModuleSource
    part: str | None
    #: For a translated module, the path of its source module (numbering, links, records).
    source_path: str | None = None

    @property
    def meta(self) -> ModuleMeta:
        """The module's front-matter (only modules with valid front-matter are placed)."""
        meta = self.module.meta
        if meta is None:
            raise ValueError(f"{self.module.path} was placed without valid front-matter")
        return meta


def modules_for_region(
    manifest: Manifest,
    region_id: str,
    region: RegionProfile | None,
    modules: dict[str, ModuleSource],
    resolver: ProjectResolver,
) -> list[Placed]:
    """The modules of ``region``'s edition: manifest order, plus additions, minus omissions."""
    placed: list[Placed] = []
    for reference, part in manifest.module_files():
        path = resolver.module_path(reference, resolver.root)
        module = modules.get(path) if path else None
        if module is not None and module.meta is not None:
            placed.append(Placed(module, part))
    if region is not None:
        placed = _apply_region(placed, region, modules, resolver)
    lineage = (region_id, *(region.ancestors if region is not None else ()))
    return [p for p in placed if _applies(p.module, lineage)]


def _apply_region(placed: list[Placed], region: RegionProfile,
                  modules: dict[str, ModuleSource], resolver: ProjectResolver) -> list[Placed]:
    omitted = set(region.omit_modules)
    result = [p for p in placed if p.module.meta and p.module.meta.id not in omitted]
    for addition in region.add_modules:
        path = resolver.module_path(addition.file, resolver.root)
        module = modules.get(path) if path else None
        if module is None or module.meta is None:
            continue
        index = _index_after(result, addition.after)
        part = result[index - 1].part if 0 < index <= len(result) else None
        result.insert(index, Placed(module, part))
    return result


def _index_after(placed: list[Placed], after: str | None) -> int:
    for index, item in enumerate(placed):
        if after is not None and item.module.meta and item.module.meta.id == after:
            return index + 1
    return len(placed)


def _applies(module: ModuleSource, lineage: tuple[str, ...]) -> bool:
    """A module for some regions applies to them and to the regions that extend them."""
    regions = module.meta.regions if module.meta else None
    return regions is None or any(region_id in regions for region_id in lineage)


def region_ids(regions: dict[str, RegionProfile]) -> list[str]:
    """The project's region ids; the default region when it defines none."""
    return sorted(regions) or [DEFAULT_REGION_ID]


def regions_by_module(
    manifest: Manifest, regions: dict[str, RegionProfile], modules: dict[str, ModuleSource],
    resolver: ProjectResolver,
) -> dict[str, set[str]]:
    """For each module path, the ids of the regions whose editions include it."""
    found: dict[str, set[str]] = {path: set() for path in modules}
    for region_id in region_ids(regions):
        for item in modules_for_region(manifest, region_id, regions.get(region_id), modules,
                                       resolver):
            found[item.module.path].add(region_id)
    return found
