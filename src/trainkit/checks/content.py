"""Checks of module bodies against the project: conditions, variables, links and images.

They read each module's ``facts`` (``document.BodyFacts``), never its body: a module from
the cache then never decodes its nodes. Every link target and image is resolved once per
(folder, reference) in a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Protocol

from trainkit.model import document as d
from trainkit.diagnostics import Diagnostic
from trainkit.errors import ReferenceRejected
from trainkit.loading.fragments import all_fragments, fragment_regions
from trainkit.loading.image_cache import ImageVerdicts
from trainkit.loading.module_file import ModuleSource
from trainkit.loading.project import Project
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES
from trainkit.text import prose_list, suggestion
from trainkit.schemas import Manifest, RegionProfile
from trainkit.loading.selection import regions_by_module
from trainkit.schemas.variables import BUILTIN_VARIABLES, known_variable_names

#: What an image check found: None, or the code, message and hint of a finding.
ImageOutcome = tuple[str, str, str | None] | None


class _LinkLike(Protocol):
    @property
    def path(self) -> str: ...


class _Context:
    """The project and what the checks work out from it once per run."""

    def __init__(self, project: Project, manifest: Manifest,
                 regions: dict[str, RegionProfile]) -> None:
        self.project = project
        self.manifest = manifest
        self.regions = regions
        self.lineage = {rid: region.ancestors for rid, region in regions.items()}
        self.region_variables: dict[str, frozenset[str]] = {
            rid: frozenset(region.variables) for rid, region in regions.items()}
        #: Names ``region.<name>`` has a value for in some region, or by default.
        self.defined = frozenset(manifest.variables).union(*self.region_variables.values())
        self.known: dict[str, list[str]] = {
            "region": sorted(project.regions),
            "edition": sorted(manifest.editions),
            "audience": sorted(manifest.audiences),
        }
        self.folders: dict[str, Path] = {}
        self.images: dict[tuple[Path, str], ImageOutcome] = {}
        self.verdicts = ImageVerdicts(project.cache_dir)

    def folder(self, module: ModuleSource) -> Path:
        """The folder of ``module``, against which its references are resolved."""
        parent = module.path.rpartition("/")[0]
        found = self.folders.get(parent)
        if found is None:
            found = self.folders[parent] = (self.project.root / module.path).parent
        return found

    @cached_property
    def module_names(self) -> list[str]:
        """The file names of the project's modules, for suggestions."""
        return [PurePosixPath(p).name for p in self.project.modules]

    @cached_property
    def variable_names(self) -> list[str]:
        """Every variable name the project defines, for suggestions."""
        return known_variable_names(self.manifest.variables, self.regions)


def check_content(project: Project) -> Iterator[Diagnostic]:
    """Findings about every module body that need the rest of the project to decide."""
    manifest = project.manifest_model
    if manifest is None:
        return
    context = _Context(project, manifest, project.region_models())
    visible = regions_by_module(manifest, context.regions, project.modules, project.resolver)
    for module in project.modules.values():
        yield from _check_module(context, module, visible[module.path])
    for translation in project.translations:
        source = project.module_by_id(translation.meta.translation_of) if translation.meta else None
        if source is not None and source.meta is not None and translation.body is not None:
            yield from _check_module(context, translation.as_module(source.meta),
                                     visible[source.path])
    own = project.own_region_models()
    for fragment, origin in all_fragments(project):  # adaptations: checked like module text
        yield from fragment.diagnostics
        yield from _check_module(context, fragment.as_module(),
                                 fragment_regions(own, origin, fragment.key))
    context.verdicts.save()


def _check_module(context: _Context, module: ModuleSource,
                  regions: set[str]) -> Iterator[Diagnostic]:
    facts = module.facts
    if facts is None:
        return
    yield from _check_conditionals(context, module, facts)
    yield from _check_variables(context, module, facts, regions)
    for link in facts.links:
        yield from _check_module_link(context, module, link)
    for image in facts.images:
        yield from _check_image(context, module, image)


def _scope_regions(facts: d.BodyFacts, regions: set[str],
                   lineage: Mapping[str, tuple[str, ...]] | None = None) -> list[set[str]]:
    """For each conditional of ``facts``, the regions in which its content can appear;
    ``lineage`` gives each region's ancestors (``region=<parent>`` holds for it too)."""
    scoped: list[set[str]] = []
    for conditional in facts.conditionals:
        outer = regions if conditional.parent < 0 else scoped[conditional.parent]
        scoped.append(_narrow(outer, conditional, lineage or {}))
    return scoped


def _narrow(regions: set[str], conditional: d.ConditionalFact,
            lineage: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The regions in which the content of ``conditional`` can appear."""
    for condition in conditional.conditions:
        if condition.key != "region":
            continue
        named = {rid for rid in regions
                 if {rid, *lineage.get(rid, ())} & set(condition.values)}
        if conditional.mode == "only":
            return named
        if len(conditional.conditions) == 1:
            return regions - named
    return regions


def _check_conditionals(context: _Context, module: ModuleSource,
                        facts: d.BodyFacts) -> Iterator[Diagnostic]:
    for node in facts.conditionals:
        for condition in node.conditions:
            choices = context.known[condition.key]
            for value in condition.values:
                if value not in choices:
                    hint = suggestion(value, choices) or (
                        "known: " + ", ".join(choices) if choices else None)
                    yield Diagnostic(module.path, node.line, condition.column, "TK405",
                                     f"unknown {condition.key} `{value}` in a conditional block",
                                     hint)


def _check_variables(context: _Context, module: ModuleSource, facts: d.BodyFacts,
                     regions: set[str]) -> Iterator[Diagnostic]:
    scoped: list[set[str]] | None = None
    for node in facts.variables:
        if node.name in BUILTIN_VARIABLES:
            continue
        namespace, _, name = node.name.partition(".")
        if namespace == "region" and name and name in context.defined:
            if scoped is None:
                scoped = _scope_regions(facts, regions, context.lineage)
            where = regions if node.scope < 0 else scoped[node.scope]
            yield from _check_region_variable(context, module, node, name, where)
            continue
        yield Diagnostic(module.path, node.line, node.column, "TK406",
                         f"unknown variable `{node.name}`",
                         suggestion(node.name, context.variable_names)
                         or "see docs/format.md for the variables")


def _check_region_variable(context: _Context, module: ModuleSource, node: d.VariableFact,
                           name: str, regions: set[str]) -> Iterator[Diagnostic]:
    """``region.<name>`` must have a value in every region where the text appears."""
    if name in context.manifest.variables:
        return
    missing = sorted(rid for rid in regions
                     if name not in context.region_variables.get(rid, frozenset()))
    if missing:
        files = ", ".join(f"regions/{rid}.yaml" for rid in missing)
        yield Diagnostic(module.path, node.line, node.column, "TK406",
                         f"variable `{node.name}` is not defined for "
                         f"{prose_list(missing)}, where this text appears",
                         f"define `{name}` under `variables:` in {files}, or give a "
                         "default in trainkit.yaml")



def _check_module_link(context: _Context, module: ModuleSource,
                       node: d.LinkFact) -> Iterator[Diagnostic]:
    if node.path and not node.path.endswith(".md"):
        return  # already reported by the parse
    target = _link_target(context, module, node)
    if target is None:
        yield Diagnostic(module.path, node.line, node.column, "TK505",
                         f"link to `{node.path}` does not reach a module of this project",
                         suggestion(PurePosixPath(node.path).name, context.module_names))
        return
    facts = target.facts
    if node.anchor and facts is not None and node.anchor not in facts.anchors:
        yield Diagnostic(module.path, node.line, node.column, "TK507",
                         f"`{target.path}` has no section `#{node.anchor}`",
                         suggestion(node.anchor, sorted(facts.anchors)))


def _link_target(context: _Context, module: ModuleSource,
                 node: d.LinkFact) -> ModuleSource | None:
    if not node.path:
        return module
    path = context.project.resolver.module_path(node.path, context.folder(module))
    return context.project.modules.get(path) if path else None


def module_link_target(project: Project, module: ModuleSource,
                       node: _LinkLike) -> ModuleSource | None:
    """The module a link (a ``ModuleLink`` or its fact) points to (itself for ``#anchor``
    links), or None."""
    if not node.path:
        return module
    base = (project.root / module.path).parent
    path = project.resolver.module_path(node.path, base)
    return project.modules.get(path) if path else None


def _described(what: str, reason: str) -> str:
    """'image `x.png` does not exist', or 'image: the file reference is empty'."""
    return f"{what} {reason}" if reason.startswith("`") else f"{what}: {reason}"


def _check_image(context: _Context, module: ModuleSource,
                 node: d.ImageFact) -> Iterator[Diagnostic]:
    base = context.folder(module)
    key = (base, node.src)
    if key not in context.images:
        context.images[key] = _image_outcome(context, base, node.src)
    outcome = context.images[key]
    if outcome is not None:
        code, message, hint = outcome
        yield Diagnostic(module.path, node.line, node.column, code, message, hint)


def _image_outcome(context: _Context, base: Path, src: str) -> ImageOutcome:
    """What is wrong with image ``src`` referred to from folder ``base``, if anything.

    The whole file is checked (``images.check_image``), its verdict cached by content.
    """
    try:
        path = context.project.resolver.resolve(src, base, suffixes=IMAGE_SUFFIXES,
                                                max_bytes=MAX_IMAGE_BYTES)
    except ReferenceRejected as rejected:
        code = rejected.code or ("TK501" if rejected.missing else "TK502")
        return code, _described("image", rejected.reason), rejected.hint
    try:
        data = path.read_bytes()
    except OSError as error:
        return "TK504", f"image `{src}` cannot be used: {error.strerror}", None
    verdict = context.verdicts.verdict(data, path.suffix)
    if verdict.code is None:
        return None
    if verdict.code == "TK512":  # an SVG that does not stand alone
        return verdict.code, f"image `{src}` {verdict.problem}", verdict.hint
    return verdict.code, f"image `{src}` cannot be used: {verdict.problem}", verdict.hint
