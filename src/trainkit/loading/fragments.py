"""Adaptation fragments: the content a region profile gives an ``::: adapt`` slot.

Under ``adaptations:`` a slot id (or ``<slot>@<module id>``) maps to

- a Markdown file: a name ending in ``.md`` without spaces, relative to
  ``regions/<region id>/`` (of the region whose profile names it, also when a country
  inherits it); its translation into a language is ``regions/<id>/<language>/<name>``;
- inline Markdown text, located in the region profile;
- inline Markdown by language (``en: ...``, ``fr: ...``); the region's first language,
  else the first given, is used when the edition's language is missing.

A fragment is parsed like a module body; the checks validate it like module text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.errors import ReferenceRejected
from trainkit.loading.inheritance import adaptation_origins, ancestry
from trainkit.loading.module_file import ModuleSource, read_text
from trainkit.loading.project import REGIONS_DIR, Project
from trainkit.model.document import Body, body_facts
from trainkit.parsing.builder import parse_body
from trainkit.schemas import RegionProfile
from trainkit.schemas.region import Adaptation


def is_file_reference(value: str) -> bool:
    """True when an adaptation's text names a fragment file rather than being Markdown."""
    return value.endswith(".md") and not any(ch.isspace() for ch in value)


@dataclass(slots=True)
class Fragment:
    """One fragment text: where it is, its parsed body and its own findings."""

    key: str
    #: The region whose profile names it.
    origin: str
    #: The file its text is in: the fragment file, or the region profile for inline text.
    path: str
    language: str | None
    body: Body | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""
    #: The line of ``path`` on which ``text`` starts.
    first_line: int = 1

    def as_module(self) -> ModuleSource:
        """The fragment as a module without front-matter, for the content checks."""
        return ModuleSource(self.path, None, self.body, [],
                            facts=body_facts(self.body) if self.body else None)


def slot_key(slot: str, module_id: str | None,
             adaptations: Mapping[str, object]) -> str | None:
    """The key that fills ``slot`` in module ``module_id``: ``slot@module`` wins."""
    if module_id is not None and f"{slot}@{module_id}" in adaptations:
        return f"{slot}@{module_id}"
    return slot if slot in adaptations else None


def load_fragment(project: Project, origin: str, key: str, value: Adaptation,
                  language: str | None = None) -> Fragment:
    """The fragment ``value`` that region ``origin`` gives for ``key``, in ``language``
    (None: its source text; a missing translation falls back to the source)."""
    profile_path = f"{REGIONS_DIR}/{origin}.yaml"
    file = project.regions.get(origin)
    pos = file.loaded.position(("adaptations", key)) if file else None
    line = pos.line if pos else 1
    if isinstance(value, dict):
        own = project.own_region_models().get(origin)
        chosen = _language_choice(value, language, own)
        text = value[chosen]
        if file is not None:
            line = file.loaded.position(("adaptations", key, chosen)).line
        return _parsed(key, origin, profile_path, chosen, text,
                       line + (1 if "\n" in text else 0))
    if not is_file_reference(value):
        return _parsed(key, origin, profile_path, None, value,
                       line + (1 if "\n" in value else 0))
    folder = project.root / REGIONS_DIR / origin
    if language is not None:
        translated = _existing(project, folder / language, value)
        if translated is not None:
            return _read(project, key, origin, translated, language)
    try:
        path = project.resolver.resolve(value, folder, suffixes={".md"})
    except ReferenceRejected as rejected:
        column = pos.column if pos else 1
        return Fragment(key, origin, profile_path, None, None, [Diagnostic(
            profile_path, line, column, "TK704",
            f"adaptation `{key}`: fragment file {rejected.reason}",
            rejected.hint or f"put the file in {REGIONS_DIR}/{origin}/")])
    return _read(project, key, origin, path, None)


def _language_choice(value: Mapping[str, str], language: str | None,
                     region: RegionProfile | None) -> str:
    for choice in (language, *(region.languages if region else [])):
        if choice is not None and choice in value:
            return choice
    return next(iter(value))


def _existing(project: Project, folder: Path, name: str) -> Path | None:
    try:
        return project.resolver.resolve(name, folder, suffixes={".md"})
    except ReferenceRejected:
        return None


def _read(project: Project, key: str, origin: str, path: Path,
          language: str | None) -> Fragment:
    relative = project.resolver.relative(path)
    text, problems = read_text(path, relative)
    if text is None:
        return Fragment(key, origin, relative, language, None, problems)
    fragment = _parsed(key, origin, relative, language, text, 1)
    fragment.diagnostics[:0] = problems
    return fragment


def _parsed(key: str, origin: str, path: str, language: str | None, text: str,
            first_line: int) -> Fragment:
    parsed = parse_body(text, path=path, first_line=first_line)
    return Fragment(key, origin, path, language, parsed.body, parsed.diagnostics, text,
                    first_line)


def fragment_regions(regions: Mapping[str, RegionProfile], origin: str,
                     key: str) -> set[str]:
    """The regions whose editions use what ``origin``'s profile gives for ``key``."""
    return {rid for rid in regions
            if adaptation_origins(regions, rid).get(key, ("",))[0] == origin}


def all_fragments(project: Project) -> list[tuple[Fragment, str]]:
    """Every fragment text of every region profile as written, in each language it has
    (source and translations), with the region id whose profile gives it."""
    found: list[tuple[Fragment, str]] = []
    languages = project.manifest.model.edition_languages if project.manifest.model else []
    for rid, region in project.own_region_models().items():
        file = project.regions[rid]
        for key, value in region.adaptations.items():
            if isinstance(value, dict):
                for lang, text in value.items():
                    line = file.loaded.position(("adaptations", key, lang)).line
                    found.append((_parsed(key, rid, file.path, lang, text,
                                          line + (1 if "\n" in text else 0)), rid))
                continue
            found.append((load_fragment(project, rid, key, value), rid))
            if is_file_reference(value):
                for language in languages:
                    path = _existing(project, project.root / REGIONS_DIR / rid / language,
                                     value)
                    if path is not None:
                        found.append((_read(project, key, rid, path, language), rid))
    return found


def region_files(project: Project, region_id: str, language: str | None) -> set[str]:
    """The files a region's editions read besides modules: its profile, its ancestors',
    their national law files and the fragment files of its adaptations (in ``language``
    where translated)."""
    own = project.own_region_models()
    files = {f"{REGIONS_DIR}/{rid}.yaml" for rid in ancestry(own, region_id)}
    files |= {project.national_law[rid].path for rid in ancestry(own, region_id)
              if rid in project.national_law}
    for origin, value in adaptation_origins(own, region_id).values():
        if isinstance(value, str) and is_file_reference(value):
            folder = project.root / REGIONS_DIR / origin
            for found in (_existing(project, folder, value),
                          _existing(project, folder / language, value) if language else None):
                if found is not None:
                    files.add(project.resolver.relative(found))
    return files
