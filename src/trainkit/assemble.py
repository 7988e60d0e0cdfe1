"""Assemble one edition from a validated project: the model every writer walks.

Choosing modules, filtering conditional blocks, substituting variables, rebasing image
paths, resolving cross-references and numbering all happen here, on the document model,
before any writer builds a table of contents, a bookmark or a running header.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from trainkit import document as d
from trainkit.checks.content import module_link_target
from trainkit.errors import UsageError
from trainkit.labels import labels
from trainkit.modulefile import ModuleSource
from trainkit.parsing import slugify, suggestion
from trainkit.project import Project
from trainkit.schemas import Edition as EditionDefinition
from trainkit.schemas import Manifest, ModuleMeta, RegionProfile, Status
from trainkit.selection import DEFAULT_REGION_ID, Placed, modules_for_region
from trainkit.transforms.passes import (
    Audience, EditionFilter, ModuleTarget, NumberSections, RebaseImages, ResolveCrossReferences,
    SubstituteVariables,
)
from trainkit.variables import edition_variables


@dataclass(frozen=True, slots=True)
class EditionRequest:
    """What to build: a region, an edition and optionally an audience."""

    region: str
    edition: str
    audience: str | None = None
    status: Status | None = None


@dataclass(frozen=True, slots=True)
class EditionModule:
    """One module as it appears in an edition."""

    number: int
    meta: ModuleMeta
    path: str
    part: str | None
    blocks: tuple[d.Block, ...]

    @property
    def anchor(self) -> str:
        return f"module-{self.meta.id}"


@dataclass(frozen=True, slots=True)
class Citation:
    """One article of one instrument, with the modules of the edition that cite it."""

    instrument: str
    article: str
    modules: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AssembledEdition:
    """Everything a writer needs, already filtered for the region, edition and audience."""

    request: EditionRequest
    manifest: Manifest
    region_name: str
    edition: EditionDefinition
    language: str
    modules: tuple[EditionModule, ...]
    date: datetime.date

    @property
    def draft(self) -> bool:
        return any(m.meta.status is not Status.APPROVED for m in self.modules)

    @property
    def slug(self) -> str:
        return self.manifest.slug or slugify(self.manifest.title)[:60] or "manual"

    @property
    def total_minutes(self) -> int:
        return sum(module.meta.minutes for module in self.modules)

    @property
    def labels(self) -> dict[str, str]:
        return labels(self.language)

    def file_stem(self) -> str:
        """``<slug>-<region>-<edition>[-<audience>]``; every part is a validated slug."""
        parts = [self.slug, self.request.region, self.request.edition]
        if self.request.audience:
            parts.append(self.request.audience)
        return "-".join(parts)

    def citations(self) -> list[Citation]:
        """The legal index: instruments in manifest order, articles in natural order."""
        cited: dict[tuple[str, str], list[int]] = {}
        for module in self.modules:
            for reference in module.meta.legal_references:
                numbers = cited.setdefault((reference.instrument, reference.article), [])
                if module.number not in numbers:
                    numbers.append(module.number)
        order = list(self.manifest.instruments)
        keys = sorted(cited, key=lambda k: (_index(order, k[0]), _article_key(k[1])))
        return [Citation(self.manifest.instruments.get(k[0], k[0]), k[1], tuple(cited[k]))
                for k in keys]


def _index(order: list[str], item: str) -> int:
    return order.index(item) if item in order else len(order)


def _article_key(article: str) -> tuple[int, str]:
    digits = "".join(ch for ch in article.split("(")[0] if ch.isdigit())
    return (int(digits) if digits else 10_000, article)


def check_request(project: Project, request: EditionRequest) -> None:
    """``UsageError`` when the region, edition or audience asked for does not exist."""
    manifest = project.manifest_model
    assert manifest is not None
    regions = sorted(project.regions) or [DEFAULT_REGION_ID]
    _require(request.region, regions, "region")
    _require(request.edition, sorted(manifest.editions), "edition")
    if request.audience is not None:
        _require(request.audience, sorted(manifest.audiences), "audience")


def _require(value: str, known: list[str], what: str) -> None:
    if value not in known:
        hint = suggestion(value, known)
        raise UsageError(f"unknown {what} `{value}`" + (f"; {hint}" if hint else "")
                         + f" (known: {', '.join(known)})")


def assemble(project: Project, request: EditionRequest,
             today: datetime.date | None = None) -> AssembledEdition:
    """The edition ``request`` names, from a project that validated without errors."""
    manifest = project.manifest_model
    assert manifest is not None, "assemble() needs a validated project"
    check_request(project, request)
    region = project.region_models().get(request.region)
    placed = modules_for_region(manifest, request.region, region, project.modules,
                                project.resolver)
    if request.audience is not None:
        placed = [p for p in placed if p.module.meta and request.audience in p.module.meta.audiences]
    if request.status is not None:
        placed = [p for p in placed if p.module.meta and p.module.meta.status is request.status]
    edition = manifest.editions[request.edition]
    language = manifest.language
    numbering = {p.module.path: number for number, p in enumerate(placed, start=1)}
    modules = tuple(
        _assemble_module(project, manifest, request, region, edition, item, number, numbering)
        for number, item in enumerate(placed, start=1))
    return AssembledEdition(request, manifest, region.name if region else "", edition,
                            language, modules, today or datetime.date.today())


def _assemble_module(project: Project, manifest: Manifest, request: EditionRequest,
                     region: RegionProfile | None, edition: EditionDefinition, item: Placed,
                     number: int, numbering: dict[str, int]) -> EditionModule:
    module = item.module
    assert module.meta is not None and module.body is not None
    target = Audience(request.region, request.edition, request.audience, frozenset(edition.hide))
    values = edition_variables(manifest, request.edition, request.region, region)
    word = labels(manifest.language)["module"]
    blocks = EditionFilter(target).blocks(module.body.blocks)
    blocks = SubstituteVariables(values).blocks(blocks)
    blocks = RebaseImages(PurePosixPath(module.path).parent).blocks(blocks)
    blocks = ResolveCrossReferences(_target_finder(project, module, numbering, word)).blocks(blocks)
    blocks = NumberSections(number).blocks(blocks)
    return EditionModule(number, module.meta, module.path, item.part, blocks)


def _target_finder(project: Project, module: ModuleSource, numbering: dict[str, int],
                   word: str) -> Callable[[d.ModuleLink], ModuleTarget | None]:
    def find(link: d.ModuleLink) -> ModuleTarget | None:
        target = module_link_target(project, module, link)
        if target is None or target.meta is None:
            return None
        number = numbering.get(target.path)
        if number is None:
            return ModuleTarget(target.meta.id, target.meta.title, included=False)
        return ModuleTarget(target.meta.id, f"{word} {number}: {target.meta.title}", True)

    return find

