"""Assemble one edition from a validated project: the model every writer walks.

Choosing modules, filtering conditional blocks, typography, substituting variables,
rebasing image paths, resolving cross-references and numbering all happen here, on the document model,
before any writer builds a table of contents, a bookmark or a running header.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from trainkit.assembly.adaptation import SlotFiller
from trainkit.assembly.glossary import abbreviations_for, entries_for
from trainkit.assembly.national_law import national_law_profiles, national_law_tables
from trainkit.assembly.passes import (
    Audience, EditionFilter, ModuleTarget, NumberSections, RebaseImages, ResolveCrossReferences,
    SubstituteVariables,
)
from trainkit.assembly.typography import Typography, typeset_manifest, typeset_meta, typeset_text
from trainkit.loading.selection import Placed, modules_for_region
from trainkit.schemas.variables import edition_variables
from trainkit.checks.content import module_link_target
from trainkit.checks.validate import ValidProject
from trainkit.diagnostics import Diagnostic
from trainkit.errors import require_known
from trainkit.labels import labels, module_title
from trainkit.loading.module_file import ModuleSource
from trainkit.loading.project import Project
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule, EditionRequest
from trainkit.schemas import Edition as EditionDefinition
from trainkit.schemas import Manifest, RegionProfile


def check_request(valid: ValidProject, request: EditionRequest) -> None:
    """``UsageError`` when the region, edition or audience asked for does not exist."""
    manifest = valid.manifest
    require_known("region", request.region, valid.region_ids)
    require_known("edition", request.edition, sorted(manifest.editions))
    if request.audience is not None:
        require_known("audience", request.audience, sorted(manifest.audiences))
    if request.language is not None:
        require_known("language", request.language, manifest.edition_languages)


def edition_language(valid: ValidProject, request: EditionRequest) -> str:
    """The language asked for, else the region's first language the manifest allows."""
    if request.language is not None:
        return request.language
    region = valid.regions.get(request.region)
    for language in region.languages if region else []:
        if language in valid.manifest.edition_languages:
            return language
    return valid.manifest.language


def assemble(valid: ValidProject, request: EditionRequest,
             today: datetime.date | None = None) -> AssembledEdition:
    """The edition ``request`` names, from a project that validated without errors."""
    check_request(valid, request)
    language = edition_language(valid, request)
    source = valid.manifest.language
    manifest = valid.manifest.in_language(language)
    region = valid.regions.get(request.region)
    # Placed with the manifest in the edition's language: part titles are localized.
    placed = modules_for_region(manifest, request.region, region, valid.project.modules,
                                valid.resolver)
    if request.audience is not None:
        placed = [p for p in placed if request.audience in p.meta.audiences]
    if request.status is not None:
        placed = [p for p in placed if p.meta.status is request.status]
    edition = manifest.editions[request.edition]
    numbering = {p.module.path: number for number, p in enumerate(placed, start=1)}
    translated, warnings = _translate(valid, placed, language)
    values = edition_variables(manifest, request.edition, request.region, region, language)
    # One context per language the modules are in: a fallback module (no translation) keeps
    # its own language's variables, adaptations, typography and cross-reference words.
    contexts = {code: _Context(valid.project, valid.manifest.in_language(code), request, region,
                               edition, numbering, code,
                               SlotFiller(valid.project, request.region,
                                          edition_variables(manifest, request.edition,
                                                            request.region, region,
                                                            code)["region.name"], code))
                for code in {language, *(code for _, code in translated)}}
    modules = tuple(_assemble_module(contexts[code], item, number, language)
                    for number, (item, code) in enumerate(translated, start=1))
    glossary = tuple(entries_for(valid.glossary, language, source))
    abbreviations = tuple(abbreviations_for(valid.glossary, language, source, modules))
    digits = edition_digits(valid.manifest, region, language)
    words = {**labels(language), **valid.project.label_words().get(language, {})}
    national_law = national_law_tables(
        national_law_profiles(valid.project, request.region, region), region, language,
        words, digits)
    return AssembledEdition(request, typeset_manifest(manifest, language), values["region.name"],
                            edition.model_copy(update={"title": typeset_text(edition.title,
                                                                             language)}),
                            language, modules, today or datetime.date.today(), glossary,
                            tuple(warnings), abbreviations,
                            project_labels=valid.project.label_words(),
                            digits=digits, original=valid.manifest,
                            source_titles={p.meta.id: p.meta.title for p in placed},
                            national_law=national_law)


def edition_digits(manifest: Manifest, region: RegionProfile | None, language: str) -> str:
    """The digits of trainkit's own numbers: the region's setting for the language, else
    the manifest's, else ``western`` (0-9, as Maghreb editions and most Arabic print
    online use them)."""
    region_words = region.localized.get(language) if region is not None else None
    if region_words is not None and region_words.digits is not None:
        return region_words.digits
    words = manifest.localized.get(language)
    return words.digits if words is not None and words.digits is not None else "western"


@dataclass(frozen=True, slots=True)
class _Context:
    project: Project
    manifest: Manifest
    request: EditionRequest
    region: RegionProfile | None
    edition: EditionDefinition
    numbering: dict[str, int]
    language: str
    slots: SlotFiller


def _translate(valid: ValidProject, placed: list[Placed],
               language: str) -> tuple[list[tuple[Placed, str]], list[Diagnostic]]:
    """Each module in ``language`` (its translation), else the source with a TK604 warning;
    with the language the module is in."""
    manifest = valid.manifest
    if language == manifest.language:
        return [(item, language) for item in placed], []
    result: list[tuple[Placed, str]] = []
    warnings: list[Diagnostic] = []
    for item in placed:
        meta = item.meta
        translation = valid.project.translation(language, meta.id)
        if translation is not None and translation.meta is not None and translation.body:
            result.append((Placed(translation.as_module(meta), item.part, item.module.path),
                           language))
            continue
        warnings.append(Diagnostic(
            item.module.path, 1, 1, "TK604",
            f"module `{meta.id}` has no translation into `{language}`; the "
            f"`{manifest.language}` text is used",
            f"add modules/{language}/{item.module.path.removeprefix('modules/')}"))
        result.append((item, manifest.language))
    return result, warnings


def _assemble_module(context: _Context, item: Placed, number: int,
                     edition_language: str) -> EditionModule:
    """One module, in ``context.language``: the edition's, or the source language of a
    fallback module (no translation into ``edition_language``), whose variables,
    typography and cross-references then read in that language."""
    module = item.module
    if module.body is None:
        raise ValueError(f"{module.path} was placed without a body")
    request = context.request
    target = Audience(request.region, request.edition, request.audience,
                      frozenset(context.edition.hide),
                      context.region.ancestors if context.region else ())
    values = edition_variables(context.manifest, request.edition, request.region,
                               context.region, context.language)
    blocks = context.slots.fill(module.body.blocks, item.meta.id, module.path)
    blocks = EditionFilter(target).blocks(blocks)
    # Before the variables: their values stay as the region profile or manifest wrote them.
    blocks = Typography(context.language).blocks(blocks)
    blocks = SubstituteVariables(values).blocks(blocks)
    blocks = RebaseImages(PurePosixPath(module.path).parent).blocks(blocks)
    blocks = ResolveCrossReferences(
        _target_finder(context, module, item.source_path or module.path)).blocks(blocks)
    blocks = NumberSections(number).blocks(blocks)
    part = typeset_text(item.part, edition_language) if item.part else item.part
    return EditionModule(number, typeset_meta(item.meta, context.language),
                         item.source_path or module.path, part, blocks, context.language,
                         context.language != edition_language)


def _target_finder(context: _Context, module: ModuleSource,
                   source_path: str) -> Callable[[d.ModuleLink], ModuleTarget | None]:
    words = {**labels(context.language),
             **context.project.label_words().get(context.language, {})}

    def find(link: d.ModuleLink) -> ModuleTarget | None:
        target = module_link_target(context.project, module, link)
        if target is None or target.meta is None:
            return None
        title = typeset_text(context.project.title_in(context.language, target.meta.id,
                                                      target.meta.title), context.language)
        number = context.numbering.get(source_path if target is module else target.path)
        if number is None:
            return ModuleTarget(target.meta.id, title, included=False)
        return ModuleTarget(target.meta.id,
                            module_title(context.language, number, title, words), True)

    return find

