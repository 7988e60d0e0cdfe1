"""Checks of trainkit's own words: every edition language has a catalogue of them.

trainkit ships catalogues for some languages (``resources/labels/``); a project provides
the others, or overrides trainkit's words, in ``labels/<language>.yaml``. An edition
language with neither would print English labels in, say, a Spanish edition: an error
(TK608) at the manifest's entry naming the language. A label that loses or invents a
``{placeholder}`` is an error too (TK609), not a crash or a missing number at build time.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.labels import ENGLISH, catalogue_languages
from trainkit.loading.project import LABELS_DIR, MANIFEST, Project
from trainkit.schemas.labels import catalogue_words, placeholders


def check_labels(project: Project) -> Iterator[Diagnostic]:
    """Each edition language has a catalogue; each project catalogue keeps placeholders."""
    manifest = project.manifest_model
    if manifest is None:
        return
    builtin = set(catalogue_languages())
    for language in manifest.edition_languages:
        if language.split("-")[0] in builtin or language in project.labels:
            continue
        if language == manifest.language:
            pos = project.manifest.loaded.position(("language",))
        else:
            pos = project.manifest.loaded.position(("languages",
                                                    manifest.languages.index(language)))
        yield Diagnostic(MANIFEST, pos.line, pos.column, "TK608",
                         f"trainkit has no words for language `{language}`: its labels "
                         "(Contents, Module, Case study...) would print in English",
                         f"add {LABELS_DIR}/{language}.yaml with every key of trainkit's "
                         f"English catalogue (see docs/translation.md), or use one of "
                         f"{', '.join(sorted(builtin))}")
    for file in project.labels.values():
        if file.model is None:
            continue
        for key, value in catalogue_words(file.model).items():
            expected = placeholders(ENGLISH[key])
            if placeholders(value) != expected:
                pos = file.loaded.position((key,))
                fields = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "none"
                yield Diagnostic(file.path, pos.line, pos.column, "TK609",
                                 f"label `{key}` must hold the fields {fields}, as in "
                                 f"English: {ENGLISH[key]!r}",
                                 "keep each {name} as it is and translate the words around it")
