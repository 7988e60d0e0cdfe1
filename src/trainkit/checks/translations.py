"""Checks of languages, translations and terminology."""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.checks.ids import meant_ids, module_ids
from trainkit.diagnostics import Diagnostic
from trainkit.checks.terminology import check_terminology
from trainkit.loading.module_file import ModuleSource, read_text
from trainkit.text import suggestion
from trainkit.loading.project import Project
from trainkit.schemas import Manifest
from trainkit.schemas.glossary import Glossary
from trainkit.loading.translations import TranslationSource, version_key


def check_translations(project: Project) -> Iterator[Diagnostic]:
    """Region languages, each translation against its source, and avoided wordings."""
    manifest = project.manifest_model
    if manifest is None:
        return
    yield from _check_region_languages(project, manifest)
    ids = module_ids(project)
    meant = meant_ids(project)
    seen: dict[tuple[str, str], str] = {}
    for translation in project.translations:
        yield from _check_translation(translation, ids, meant, seen)
    glossary = project.glossary_model
    if glossary is not None:
        yield from _check_glossary_languages(project, manifest, glossary)
        yield from _check_terminology(project, manifest, glossary)


def _check_region_languages(project: Project, manifest: Manifest) -> Iterator[Diagnostic]:
    allowed = manifest.edition_languages
    for file in project.regions.values():
        if file.model is None:
            continue
        for index, language in enumerate(file.model.languages):
            if language not in allowed:
                pos = file.loaded.position(("languages", index))
                yield Diagnostic(file.path, pos.line, pos.column, "TK603",
                                 f"language `{language}` is not one of the manifest's "
                                 f"languages ({', '.join(allowed)})",
                                 "add it to `languages:` in trainkit.yaml")
        for language in file.model.localized:
            if language not in allowed:
                pos = file.loaded.position(("localized", language), key=True)
                yield Diagnostic(file.path, pos.line, pos.column, "TK603",
                                 f"language `{language}` is not one of the manifest's "
                                 f"languages ({', '.join(allowed)})",
                                 "add it to `languages:` in trainkit.yaml")


def _check_translation(translation: TranslationSource, ids: dict[str, ModuleSource],
                       meant: frozenset[str],
                       seen: dict[tuple[str, str], str]) -> Iterator[Diagnostic]:
    """A translation against its source module: ``meant`` are ids of modules whose id is
    unusable, already reported: a translation of one of them is not reported again."""
    meta = translation.meta
    if meta is None or (meta.translation_of in meant and meta.translation_of not in ids):
        return
    source = ids.get(meta.translation_of)
    if source is None:
        pos = translation.position("translation_of")
        yield Diagnostic(translation.path, pos.line, pos.column, "TK602",
                         f"`{meta.translation_of}` is not the id of a module",
                         suggestion(meta.translation_of, sorted(ids)))
        return
    key = (translation.language, meta.translation_of)
    if key in seen:
        pos = translation.position("translation_of")
        yield Diagnostic(translation.path, pos.line, pos.column, "TK602",
                         f"module `{meta.translation_of}` already has a translation into "
                         f"`{translation.language}`: {seen[key]}", "keep one of the two files")
        return
    seen[key] = translation.path
    source_meta = source.meta_facts
    if source_meta.version is not None and (
            version_key(meta.source_version) < version_key(source_meta.version)):
        pos = translation.position("source_version")
        yield Diagnostic(
            translation.path, pos.line, pos.column, "TK601",
            f"the translation follows version {meta.source_version} of "
            f"`{meta.translation_of}`, which is now at version {source_meta.version}",
            f"update the translation, then set source_version: \"{source_meta.version}\"")
    if source_meta.learning_objectives is None:
        return
    wanted = len(source_meta.learning_objectives)
    if len(meta.learning_objectives) != wanted:
        pos = translation.position("learning_objectives")
        yield Diagnostic(translation.path, pos.line, pos.column, "TK606",
                         f"{len(meta.learning_objectives)} learning objectives, but the source "
                         f"module has {wanted}", "translate each objective of the source, in order")


def _check_glossary_languages(project: Project, manifest: Manifest,
                              glossary: Glossary) -> Iterator[Diagnostic]:
    assert project.glossary is not None
    for index, term in enumerate(glossary.terms):
        missing = [code for code in manifest.edition_languages if code not in term.term]
        if missing:
            pos = project.glossary.loaded.position(("terms", index, "term"))
            yield Diagnostic(project.glossary.path, pos.line, pos.column, "TK607",
                             f"term `{term.id}` has no wording in {', '.join(missing)}",
                             "give the term in every language of the manifest")


def _check_terminology(project: Project, manifest: Manifest,
                       glossary: Glossary) -> Iterator[Diagnostic]:
    files = [(path, manifest.language) for path in project.modules]
    files += [(t.path, t.language) for t in project.translations]
    for path, language in files:
        text, _ = read_text(project.root / path, path)
        if text is not None:
            yield from check_terminology(path, text, language, glossary)
