"""Checks of module bodies against the project: conditions, variables, links and images."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from trainkit import document as d
from trainkit.diagnostics import Diagnostic
from trainkit.errors import ReferenceRejected
from trainkit.images import ImageProblem, inspect_image
from trainkit.modulefile import ModuleSource
from trainkit.parsing import suggestion
from trainkit.project import Project
from trainkit.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES
from trainkit.schemas import Manifest, RegionProfile
from trainkit.selection import regions_by_module, resolve_module_path
from trainkit.variables import BUILTIN_VARIABLES, known_variable_names


@dataclass(frozen=True, slots=True)
class _Context:
    project: Project
    manifest: Manifest
    regions: dict[str, RegionProfile]


def check_content(project: Project) -> Iterator[Diagnostic]:
    """Findings about every module body that need the rest of the project to decide."""
    manifest = project.manifest_model
    if manifest is None:
        return
    context = _Context(project, manifest, project.region_models())
    visible = regions_by_module(manifest, context.regions, project.modules, project.resolver)
    for module in project.modules.values():
        if module.body is None:
            continue
        yield from _check_blocks(context, module, module.body.blocks, visible[module.path])


def _check_blocks(context: _Context, module: ModuleSource, blocks: tuple[object, ...],
                  regions: set[str]) -> Iterator[Diagnostic]:
    for node in blocks:
        if isinstance(node, d.Conditional):
            yield from _check_conditional(context, module, node)
            inner = _narrow(regions, node)
            yield from _check_blocks(context, module, node.blocks, inner)
            continue
        if isinstance(node, d.Variable):
            yield from _check_variable(context, module, node, regions)
        elif isinstance(node, d.ModuleLink):
            yield from _check_module_link(context.project, module, node)
        elif isinstance(node, d.Image):
            yield from _check_image(context.project, module, node)
        yield from _check_blocks(context, module, d.children_of(node), regions)


def _narrow(regions: set[str], conditional: d.Conditional) -> set[str]:
    """The regions in which the content of ``conditional`` can appear."""
    for condition in conditional.conditions:
        if condition.key != "region":
            continue
        if conditional.mode == "only":
            return regions & set(condition.values)
        if len(conditional.conditions) == 1:
            return regions - set(condition.values)
    return regions


def _check_conditional(context: _Context, module: ModuleSource,
                       node: d.Conditional) -> Iterator[Diagnostic]:
    known = {
        "region": sorted(context.project.regions),
        "edition": sorted(context.manifest.editions),
        "audience": sorted(context.manifest.audiences),
    }
    for condition in node.conditions:
        for value in condition.values:
            if value not in known[condition.key]:
                choices = known[condition.key]
                hint = suggestion(value, choices) or (
                    "known: " + ", ".join(choices) if choices else None)
                yield Diagnostic(module.path, node.line, condition.column, "TK405",
                                 f"unknown {condition.key} `{value}` in a conditional block",
                                 hint)


def _check_variable(context: _Context, module: ModuleSource, node: d.Variable,
                    regions: set[str]) -> Iterator[Diagnostic]:
    namespace, _, name = node.name.partition(".")
    if node.name in BUILTIN_VARIABLES:
        return
    defaults = context.manifest.variables
    if namespace == "region" and name and any(
            name in r.variables for r in context.regions.values()) | (name in defaults):
        missing = sorted(rid for rid in regions
                         if name not in defaults and name not in _variables_of(context, rid))
        if missing:
            files = ", ".join(f"regions/{rid}.yaml" for rid in missing)
            yield Diagnostic(module.path, node.line, node.column, "TK406",
                             f"variable `{node.name}` is not defined for "
                             f"{_join(missing)}, where this text appears",
                             f"define `{name}` under `variables:` in {files}, or give a "
                             "default in trainkit.yaml")
        return
    names = known_variable_names(defaults, context.regions)
    yield Diagnostic(module.path, node.line, node.column, "TK406",
                     f"unknown variable `{node.name}`",
                     suggestion(node.name, names) or "see docs/format.md for the variables")


def _variables_of(context: _Context, region_id: str) -> dict[str, str]:
    region = context.regions.get(region_id)
    return dict(region.variables) if region else {}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _check_module_link(project: Project, module: ModuleSource,
                       node: d.ModuleLink) -> Iterator[Diagnostic]:
    if node.path and not node.path.endswith(".md"):
        return  # already reported by the parse
    target = module_link_target(project, module, node)
    if target is None:
        yield Diagnostic(module.path, node.line, node.column, "TK505",
                         f"link to `{node.path}` does not reach a module of this project",
                         suggestion(PurePosixPath(node.path).name,
                                    [PurePosixPath(p).name for p in project.modules]))
        return
    if node.anchor and target.body is not None and node.anchor not in target.body.anchors:
        yield Diagnostic(module.path, node.line, node.column, "TK507",
                         f"`{target.path}` has no section `#{node.anchor}`",
                         suggestion(node.anchor, sorted(target.body.anchors)))


def module_link_target(project: Project, module: ModuleSource,
                       node: d.ModuleLink) -> ModuleSource | None:
    """The module a link points to (itself for ``#anchor`` links), or None."""
    if not node.path:
        return module
    base = (project.root / module.path).parent
    path = resolve_module_path(project.resolver, node.path, base)
    return project.modules.get(path) if path else None


def _described(what: str, reason: str) -> str:
    """'image `x.png` does not exist', or 'image: the file reference is empty'."""
    return f"{what} {reason}" if reason.startswith("`") else f"{what}: {reason}"


def _check_image(project: Project, module: ModuleSource, node: d.Image) -> Iterator[Diagnostic]:
    base = (project.root / module.path).parent
    try:
        path = project.resolver.resolve(node.src, base, suffixes=IMAGE_SUFFIXES,
                                        max_bytes=MAX_IMAGE_BYTES)
    except ReferenceRejected as rejected:
        code = "TK501" if "does not exist" in rejected.reason else "TK502"
        yield Diagnostic(module.path, node.line, node.column, code,
                         _described("image", rejected.reason), rejected.hint)
        return
    try:
        inspect_image(path)
    except (ImageProblem, OSError) as problem:
        yield Diagnostic(module.path, node.line, node.column, "TK504",
                         f"image `{node.src}` cannot be used: {problem}")
