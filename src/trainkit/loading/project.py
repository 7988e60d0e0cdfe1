"""Load a whole project: manifest, region profiles and every module file.

Loading never stops at a problem: each file yields what could be read plus its findings,
so ``validate`` can report everything in one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from trainkit.bidi import contains_message, first_control, visible
from trainkit.loading.module_cache import ModuleCache
from trainkit.loading.review_logs import check_review_logs
from trainkit.diagnostics import Diagnostic
from trainkit.errors import ProjectNotFound, ReferenceRejected
from trainkit.loading.inheritance import effective_regions
from trainkit.loading.module_file import ModuleSource, read_text
from trainkit.loading.national_law import NATIONAL_LAW_FILE, national_law_findings
from trainkit.loading.workers import Meanwhile, load_modules
from trainkit.loading.resolver import ProjectResolver
from trainkit.loading.schema_messages import validate_model
from trainkit.schemas import Manifest, RegionProfile
from trainkit.schemas.glossary import Glossary
from trainkit.schemas.national_law import NationalLaw
from trainkit.loading.translations import TranslationSource, load_translations
from trainkit.loading.strict_yaml import LoadedYaml, load

MANIFEST = "trainkit.yaml"
GLOSSARY_FILE = "glossary.yaml"
REGIONS_DIR = "regions"
LABELS_DIR = "labels"
MODULES_DIR = "modules"
CACHE_DIR = ".trainkit-cache"

Model = TypeVar("Model", bound=BaseModel)


@dataclass(slots=True)
class YamlFile(Generic[Model]):
    """A YAML project file: its model (None if invalid) and where each value sits."""

    path: str
    model: Model | None
    loaded: LoadedYaml


@dataclass(slots=True)
class Project:
    """Everything read from a project folder, valid or not, with the findings so far."""

    root: Path
    resolver: ProjectResolver
    manifest: YamlFile[Manifest]
    regions: dict[str, YamlFile[RegionProfile]]
    modules: dict[str, ModuleSource]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    translations: list[TranslationSource] = field(default_factory=list)
    glossary: YamlFile[Glossary] | None = None
    #: Where this run keeps its caches (``.trainkit-cache/``); None: no cache is used.
    cache_dir: Path | None = None
    #: The project's catalogues of trainkit's words (``labels/<language>.yaml``).
    labels: dict[str, YamlFile[BaseModel]] = field(default_factory=dict)
    #: Each region's national law profiles (``regions/<id>/national-law.yaml``), by the
    #: name of the folder they are in.
    national_law: dict[str, YamlFile[NationalLaw]] = field(default_factory=dict)

    def label_words(self) -> dict[str, dict[str, str]]:
        """The valid project catalogues' words, by language."""
        from trainkit.schemas.labels import catalogue_words

        return {language: catalogue_words(file.model) for language, file in self.labels.items()
                if file.model is not None}

    @property
    def manifest_model(self) -> Manifest | None:
        return self.manifest.model

    def region_models(self) -> dict[str, RegionProfile]:
        """The region profiles that are valid, by id, with what each inherits merged in
        (``extends``, ``loading/inheritance.py``)."""
        return effective_regions(self.own_region_models())

    def own_region_models(self) -> dict[str, RegionProfile]:
        """The region profiles that are valid, by id, as written (nothing inherited)."""
        return {rid: f.model for rid, f in self.regions.items() if f.model is not None}

    @property
    def glossary_model(self) -> Glossary | None:
        return self.glossary.model if self.glossary else None

    def module_by_id(self, module_id: str) -> ModuleSource | None:
        """The (first) module with this id."""
        for module in self.modules.values():
            if module.meta is not None and module.meta.id == module_id:
                return module
        return None

    def translation(self, language: str, module_id: str) -> TranslationSource | None:
        """The translation of module ``module_id`` into ``language``, if there is one."""
        for item in self.translations:
            if item.language == language and item.meta and item.meta.translation_of == module_id:
                return item
        return None

    def title_in(self, language: str, module_id: str, source_title: str) -> str:
        """A module's title in ``language``: its translation's, else ``source_title``."""
        translation = self.translation(language, module_id)
        return translation.meta.title if translation and translation.meta else source_title

    def all_diagnostics(self) -> list[Diagnostic]:
        found = list(self.diagnostics)
        for module in self.modules.values():
            found.extend(module.diagnostics)
        for translation in self.translations:
            found.extend(translation.diagnostics)
        return found


def find_project_root(path: Path) -> Path:
    """``path`` if it holds a manifest; ``ProjectNotFound`` otherwise."""
    if not path.is_dir():
        raise ProjectNotFound(f"{path} is not a folder")
    if not (path / MANIFEST).is_file():
        raise ProjectNotFound(
            f"no {MANIFEST} in {path}; run trainkit in a project folder or pass its path")
    return path.resolve()


def search_project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a manifest, as git and ruff
    find their configuration; None if there is none up to the file system's root."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
    return None


def load_project(path: Path, *, use_cache: bool = True,
                 meanwhile: Meanwhile | None = None) -> Project:
    """Read the project at ``path``; problems become findings, never exceptions.
    ``meanwhile`` is called once, while the modules are parsed (``load_modules``)."""
    root = find_project_root(path)
    resolver = ProjectResolver(root)
    findings: list[Diagnostic] = []
    manifest = load_yaml_file(root / MANIFEST, MANIFEST, Manifest, findings)
    regions = _load_regions(root, findings)
    languages = manifest.model.languages if manifest.model is not None else []
    module_paths = _module_paths(root, resolver, manifest.model, regions, findings)
    cache = ModuleCache(root / CACHE_DIR) if use_cache else None
    modules = load_modules(root, module_paths, cache, meanwhile)
    translations = load_translations(root, languages) if languages else []
    glossary = None
    if (root / GLOSSARY_FILE).exists():
        glossary = load_yaml_file(root / GLOSSARY_FILE, GLOSSARY_FILE, Glossary, findings)
    findings.extend(check_review_logs(root))
    return Project(root, resolver, manifest, regions, modules, findings, translations, glossary,
                   root / CACHE_DIR if use_cache else None, _load_labels(root, findings),
                   _load_national_law(root, findings))


def load_yaml_file(path: Path, relative: str, model: type[Model],
                   findings: list[Diagnostic]) -> YamlFile[Model]:
    """Read, load and validate one YAML file, adding its problems to ``findings``."""
    text, problems = read_text(path, relative)
    findings.extend(problems)
    if text is None:
        return YamlFile(relative, None, LoadedYaml(None))
    loaded = load(text, first_line=1, max_bytes=256 * 1024)
    findings.extend(Diagnostic(relative, p.pos.line, p.pos.column, p.code, p.message, p.hint)
                    for p in loaded.problems)
    if loaded.failed:
        return YamlFile(relative, None, loaded)
    if not isinstance(loaded.value, dict):
        findings.append(Diagnostic(relative, 1, 1, "TK105",
                                   f"{relative} must be a mapping of keys to values"))
        return YamlFile(relative, None, loaded)
    instance, schema_findings = validate_model(model, loaded, relative)
    findings.extend(schema_findings)
    return YamlFile(relative, instance, loaded)


def _load_regions(root: Path, findings: list[Diagnostic]) -> dict[str, YamlFile[RegionProfile]]:
    folder = root / REGIONS_DIR
    regions: dict[str, YamlFile[RegionProfile]] = {}
    if not folder.is_dir():
        return regions
    for path in sorted(folder.glob("*.yaml")):
        relative = f"{REGIONS_DIR}/{path.name}"
        regions[path.stem] = load_yaml_file(path, relative, RegionProfile, findings)
    return regions


def _load_national_law(root: Path,
                       findings: list[Diagnostic]) -> dict[str, YamlFile[NationalLaw]]:
    """``regions/<id>/national-law.yaml`` of every region folder, by folder name."""
    folder = root / REGIONS_DIR
    found: dict[str, YamlFile[NationalLaw]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob(f"*/{NATIONAL_LAW_FILE}")):
        relative = f"{REGIONS_DIR}/{path.parent.name}/{NATIONAL_LAW_FILE}"
        own: list[Diagnostic] = []
        found[path.parent.name] = load_yaml_file(path, relative, NationalLaw, own)
        findings.extend(national_law_findings(own))
    return found


def _load_labels(root: Path, findings: list[Diagnostic]) -> dict[str, YamlFile[BaseModel]]:
    """``labels/<language>.yaml``: complete for a language trainkit has no catalogue of,
    else overrides of trainkit's words."""
    folder = root / LABELS_DIR
    if not folder.is_dir():
        return {}
    from trainkit.labels import catalogue_languages
    from trainkit.schemas.labels import catalogue_model

    builtin = set(catalogue_languages())
    found: dict[str, YamlFile[BaseModel]] = {}
    for path in sorted(folder.glob("*.yaml")):
        relative = f"{LABELS_DIR}/{path.name}"
        model = catalogue_model(complete=path.stem.split("-")[0] not in builtin)
        found[path.stem] = load_yaml_file(path, relative, model, findings)
    return found


def _module_paths(root: Path, resolver: ProjectResolver, manifest: Manifest | None,
                  regions: dict[str, YamlFile[RegionProfile]],
                  findings: list[Diagnostic]) -> list[str]:
    """Every module file to load: those under ``modules/`` and those entries name.

    ``modules/<language>/`` folders of the manifest's languages hold translations, which
    are loaded apart. What lies under ``modules/`` without being a file trainkit can read
    (``_stray``) is added to ``findings``.
    """
    languages = manifest.languages if manifest is not None else []
    skipped = tuple(f"{MODULES_DIR}/{language}/" for language in languages)
    paths = {path for path in _module_files(root, resolver, findings)
             if not path.startswith(skipped)}
    named = [entry for entry, _ in manifest.module_files()] if manifest else []
    for region in regions.values():
        if region.model is not None:
            named.extend(addition.file for addition in region.model.add_modules)
    for entry in named:
        if entry in paths and "%" not in entry:
            continue  # names, as is, a real file already found: resolving it adds nothing
        try:
            paths.add(resolver.relative(resolver.resolve(entry, root, suffixes={".md"})))
        except ReferenceRejected:  # the structure checks report bad entries
            continue
    return sorted(paths)


def _module_files(root: Path, resolver: ProjectResolver,
                  findings: list[Diagnostic]) -> set[str]:
    """The ``.md`` files under ``modules/``, hidden ones left out, as project-relative paths.

    Like ``rglob("*.md")``, it does not descend into linked folders. ``root`` is resolved,
    so a file reached through real folders only is named by its path from ``root``; only
    links (and a linked ``modules/``) go through the resolver, which costs system calls
    for every component of the path. Strays (``_stray``) are reported in ``findings``;
    nothing here opens a file, so a named pipe cannot block.
    """
    top = root / MODULES_DIR
    found: set[str] = set()
    if not top.is_dir():
        return found
    direct = not top.is_symlink()
    pending: list[tuple[Path, str]] = [(top, MODULES_DIR)]
    while pending:
        folder, relative = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                for finding in (_stray(entry, f"{relative}/{entry.name}"),
                                _bidi_name(entry, f"{relative}/{entry.name}")):
                    if finding is not None:
                        findings.append(finding)
                if entry.is_dir(follow_symlinks=False):
                    pending.append((folder / entry.name, f"{relative}/{entry.name}"))
                elif not entry.name.endswith(".md") or not entry.is_file():
                    continue
                elif direct and not entry.is_symlink():
                    found.add(f"{relative}/{entry.name}")
                else:
                    found.add(resolver.relative(folder / entry.name))
            except OSError:
                continue
    return found


def _bidi_name(entry: os.DirEntry[str], relative: str) -> Diagnostic | None:
    """An error (TK511) when the name of ``entry`` has a bidirectional control character."""
    control = first_control(entry.name)
    if control is None:
        return None
    kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
    return Diagnostic(relative, 1, 1, "TK511",
                      contains_message(f"the {kind} name `{visible(relative)}`", control),
                      f"rename the {kind} without it")


def _stray(entry: os.DirEntry[str], relative: str) -> Diagnostic | None:
    """A warning (TK314) when ``entry`` under ``modules/`` is no file trainkit can use.

    A folder named like a module file, a named pipe, a socket, a device (or a link to
    one), and a link to nothing. Only ``stat`` is called: a pipe is never opened.
    """
    if entry.name.endswith(".md") and entry.is_dir():
        return Diagnostic(relative, 1, 1, "TK314", f"`{relative}` is a folder, not a module file",
                          "rename the folder so that its name does not end in .md")
    if entry.is_dir() or entry.is_file():
        return None
    if entry.is_symlink() and not os.path.exists(entry.path):
        if not entry.name.endswith(".md"):
            return None
        return Diagnostic(relative, 1, 1, "TK314",
                          f"`{relative}` is a link to a file that does not exist",
                          "delete the link, or make it point to a module file inside the "
                          "project")
    return Diagnostic(relative, 1, 1, "TK314",
                      f"`{relative}` is not a regular file (a pipe, socket or device), "
                      "so it is not read", "delete it, or put a real file in its place")
