"""Checks across files: manifest entries, region profiles, module ids and prerequisites.

Manifest and region entries are resolved through ``ProjectResolver.module_path``, which
resolves each once per run for these checks and the edition selection alike. Modules are
seen through ``meta_facts``: a front-matter with errors still gives what is valid in it,
and references to a module whose id is unusable are not reported again (``checks.ids``).
"""

from __future__ import annotations

import re
from typing import Any
from collections.abc import Generator, Iterator

from trainkit.bidi import contains_message, first_control, visible
from trainkit.checks.ids import meant_ids, module_ids
from trainkit.diagnostics import Diagnostic
from trainkit.errors import ReferenceRejected
from trainkit.files import out_dir_problem
from trainkit.loading.module_file import ModuleSource
from trainkit.loading.project import Project, YamlFile
from trainkit.loading.schema_messages import valid_fields
from trainkit.schemas import Manifest, Part, RegionProfile
from trainkit.schemas.region import ModuleAddition
from trainkit.text import suggestion
from trainkit.schemas.common import SLUG_PATTERN
from trainkit.loading.selection import DEFAULT_REGION_ID
from trainkit.loading.strict_yaml import Path_


def check_structure(project: Project) -> Iterator[Diagnostic]:
    """Every cross-file finding about the project's structure."""
    manifest = project.manifest_model
    yield from _check_region_ids(project)
    yield from _check_module_ids(project)
    if manifest is None:
        return
    reached = yield from _check_manifest_entries(project, manifest)
    reached |= yield from _check_region_profiles(project)
    yield from _check_unreached(project, reached)
    yield from _check_front_matter_ids(project, manifest)
    yield from _check_prerequisites(project)
    yield from _check_defaults(project, manifest)
    yield from _check_out_dir(project, manifest)


def _check_region_ids(project: Project) -> Iterator[Diagnostic]:
    """Region ids come from file names and end up in output names: they must be slugs."""
    for region_id, file in project.regions.items():
        control = first_control(region_id)
        if control is not None:
            yield Diagnostic(file.path, 1, 1, "TK511", contains_message(
                f"the region id `{visible(region_id)}` (the file name)", control),
                "rename the file without it")
        elif re.fullmatch(SLUG_PATTERN, region_id) is None:
            yield Diagnostic(file.path, 1, 1, "TK203",
                             f"region id `{region_id}` (the file name) is not allowed",
                             "name region files with lower-case words joined by hyphens, "
                             "e.g. regions/north-africa.yaml")


def _at(file: YamlFile[Any], path: Path_, code: str, message: str,
        hint: str | None = None, *, key: bool = False) -> Diagnostic:
    pos = file.loaded.position(path, key=key)
    return Diagnostic(file.path, pos.line, pos.column, code, message, hint)


def _resolve_entry(project: Project, file: YamlFile[Any], path: Path_,
                   reference: str) -> str | Diagnostic:
    """The project-relative path of a module entry, or the finding that refuses it."""
    known = project.resolver.module_path(reference, project.root)
    if known is not None and known in project.modules:
        return known  # loaded: the loader reports its problems
    try:
        resolved = project.resolver.resolve(reference, project.root, suffixes={".md"},
                                            must_exist=False)
        if project.resolver.relative(resolved) in project.modules:
            return project.resolver.relative(resolved)  # loaded: the loader reports its problems
        project.resolver.resolve(reference, project.root, suffixes={".md"})
    except ReferenceRejected as rejected:
        code = rejected.code or ("TK304" if rejected.missing else "TK502")
        hint = suggestion(reference, list(project.modules)) if rejected.missing else rejected.hint
        return _at(file, path, code, f"module file {rejected.reason}", hint)
    return project.resolver.relative(resolved)


def _check_manifest_entries(project: Project, manifest: Manifest
                            ) -> Generator[Diagnostic, None, set[str]]:
    reached: set[str] = set()
    for path, reference in _entry_paths(manifest):
        outcome = _resolve_entry(project, project.manifest, path, reference)
        if isinstance(outcome, Diagnostic):
            yield outcome
            continue
        if outcome in reached:
            yield _at(project.manifest, path, "TK309", f"`{reference}` is listed twice",
                      "list each module once")
        reached.add(outcome)
    return reached


def _entry_paths(manifest: Manifest) -> Iterator[tuple[Path_, str]]:
    for index, entry in enumerate(manifest.modules):
        if isinstance(entry, Part):
            for inner, reference in enumerate(entry.modules):
                yield ("modules", index, "modules", inner), reference
        else:
            yield ("modules", index), entry


def _check_region_profiles(project: Project) -> Generator[Diagnostic, None, set[str]]:
    reached: set[str] = set()
    ids = module_ids(project)
    known = ids.keys() | meant_ids(project)
    for file in project.regions.values():
        additions, omissions = _region_module_lists(file)
        for index, addition in enumerate(additions):
            outcome = _resolve_entry(project, file, ("add_modules", index, "file"), addition.file)
            if isinstance(outcome, Diagnostic):
                yield outcome
            else:
                reached.add(outcome)
            if addition.after is not None and addition.after not in known:
                yield _at(file, ("add_modules", index, "after"), "TK310",
                          f"no module has the id `{addition.after}`",
                          suggestion(addition.after, sorted(ids)))
        for index, module_id in enumerate(omissions):
            if module_id not in known:
                yield _at(file, ("omit_modules", index), "TK310",
                          f"no module has the id `{module_id}`",
                          suggestion(module_id, sorted(ids)))
    return reached


def _region_module_lists(file: YamlFile[Any]) -> tuple[list[ModuleAddition], list[str]]:
    """A region profile's ``add_modules`` and ``omit_modules``; from a profile with errors,
    each of the two that is valid (a mistake elsewhere in it must not make the modules
    it adds look unreached)."""
    region: RegionProfile | None = file.model
    if region is not None:
        return region.add_modules, region.omit_modules
    loaded = file.loaded
    values = loaded.value if isinstance(loaded.value, dict) else loaded.salvaged
    fields = valid_fields(RegionProfile, values)
    return fields.get("add_modules", []), fields.get("omit_modules", [])


def _check_unreached(project: Project, reached: set[str]) -> Iterator[Diagnostic]:
    for path in project.modules:
        if path not in reached:
            yield Diagnostic(path, 1, 1, "TK305",
                             "no manifest entry or region profile includes this module",
                             "add it to `modules:` in trainkit.yaml, or delete the file")


def _check_module_ids(project: Project) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for module in project.modules.values():
        module_id = module.meta_facts.id
        if module_id is None:
            continue
        if module_id in first:
            pos = module.position("id")
            yield Diagnostic(module.path, pos.line, pos.column, "TK301",
                             f"module id `{module_id}` is already used by {first[module_id]}",
                             "give each module its own id")
        else:
            first[module_id] = module.path


def _check_front_matter_ids(project: Project, manifest: Manifest) -> Iterator[Diagnostic]:
    regions = sorted(project.regions) if project.regions else []
    audiences = sorted(manifest.audiences)
    instruments = sorted(manifest.instruments)
    for module in project.modules.values():
        meta = module.meta_facts
        for index, region_id in enumerate(meta.regions or ()):
            if region_id not in project.regions:
                yield _module_finding(module, ("regions", index), "TK306",
                                      f"unknown region `{region_id}`", region_id, regions)
        for index, audience in enumerate(meta.audiences):
            if audience not in manifest.audiences:
                yield _module_finding(module, ("audiences", index), "TK307",
                                      f"unknown audience `{audience}`", audience, audiences)
        for index, reference in enumerate(meta.legal_references):
            if reference.instrument not in manifest.instruments:
                yield _module_finding(
                    module, ("legal_references", index, "instrument"), "TK308",
                    f"unknown legal instrument `{reference.instrument}`", reference.instrument,
                    instruments, "add it to `instruments:` in trainkit.yaml")


def _module_finding(module: ModuleSource, path: Path_, code: str, message: str, given: str,
                    known: list[str], fallback: str | None = None) -> Diagnostic:
    pos = module.position(*path)
    hint = suggestion(given, known) or fallback or (
        "known: " + ", ".join(known) if known else None)
    return Diagnostic(module.path, pos.line, pos.column, code, message, hint)


def _check_prerequisites(project: Project) -> Iterator[Diagnostic]:
    ids = module_ids(project)
    meant = meant_ids(project)
    graph: dict[str, list[str]] = {}
    for module_id, module in ids.items():
        graph[module_id] = []
        for index, prerequisite in enumerate(module.meta_facts.prerequisites):
            if prerequisite in ids:
                graph[module_id].append(prerequisite)
            elif prerequisite not in meant:
                yield _module_finding(module, ("prerequisites", index), "TK302",
                                      f"prerequisite `{prerequisite}` names no module",
                                      prerequisite, sorted(ids))
    for cycle in find_cycles(graph):
        module = ids[cycle[0]]
        prerequisites = module.meta_facts.prerequisites
        index = prerequisites.index(cycle[1] if len(cycle) > 1 else cycle[0])
        pos = module.position("prerequisites", index)
        chain = " -> ".join([*cycle, cycle[0]])
        yield Diagnostic(module.path, pos.line, pos.column, "TK303",
                         f"prerequisites form a cycle: {chain}",
                         "remove one of these prerequisites")


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle found by depth-first search, once, starting at its least id."""
    cycles: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            node, child = stack.pop()
            if child == 0:
                state[node] = 1
                trail.append(node)
            targets = graph.get(node, [])
            if child < len(targets):
                stack.append((node, child + 1))
                target = targets[child]
                if state.get(target) == 1:
                    cycle = trail[trail.index(target):]
                    pivot = cycle.index(min(cycle))
                    rotated = cycle[pivot:] + cycle[:pivot]
                    cycles.setdefault(tuple(rotated), rotated)
                elif not state.get(target):
                    stack.append((target, 0))
            else:
                state[node] = 2
                trail.pop()
    return list(cycles.values())


def _check_defaults(project: Project, manifest: Manifest) -> Iterator[Diagnostic]:
    output = manifest.output
    known_regions = set(project.regions) or {DEFAULT_REGION_ID}
    if output.region is not None and output.region not in known_regions:
        yield _at(project.manifest, ("output", "region"), "TK312",
                  f"default region `{output.region}` has no profile in regions/",
                  suggestion(output.region, sorted(project.regions)))
    if output.edition is not None and output.edition not in manifest.editions:
        yield _at(project.manifest, ("output", "edition"), "TK311",
                  f"default edition `{output.edition}` is not defined under `editions:`",
                  suggestion(output.edition, sorted(manifest.editions)))


def _check_out_dir(project: Project, manifest: Manifest) -> Iterator[Diagnostic]:
    """The default output folder must lie inside the project (``--out`` may point elsewhere)."""
    problem = out_dir_problem(project.root, manifest.output.out_dir)
    if problem is not None:
        yield _at(project.manifest, ("output", "out_dir"), "TK313", problem.message,
                  problem.hint)
