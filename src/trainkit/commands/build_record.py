"""What ``build --all`` remembers between runs: the inputs of every output it wrote.

An output is rebuilt only when its *input digest* changed, its file is missing or has
another size than the one recorded, or ``--force`` is given. The digest covers every
project file that can change the output, plus trainkit's version and the build options:

- ``trainkit.yaml`` (title, editions, variables, page size...);
- the region's profile ``regions/<id>.yaml``, when there is one;
- every module file the region's edition includes, the module files they link to
  (a cross-reference prints the target's number and title) and the images they show;
- the files the manifest's ``theme:`` names (logo, cover image, fonts, stylesheet).

The record is ``<out>/.trainkit-build.json``, written atomically after each run; it is
safe to delete (everything is then rebuilt once).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from trainkit import __version__
from trainkit.loading.fragments import region_files
from trainkit.model import document as d
from trainkit.checks.content import module_link_target
from trainkit.errors import ReferenceRejected
from trainkit.loading.module_file import ModuleSource
from trainkit.files import output_path, write_text_atomic
from trainkit.checks.validate import ValidProject
from trainkit.loading.project import GLOSSARY_FILE, MANIFEST, REGIONS_DIR
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES

RECORD_NAME = ".trainkit-build.json"
RECORD_FORMAT = 2


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One output as last written: its input digest and what the summary shows."""

    digest: str
    pages: int | None
    size: int
    seconds: float


@dataclass(slots=True)
class BuildRecord:
    """Every output ``build --all`` wrote into one folder, by file name."""

    entries: dict[str, RecordEntry] = field(default_factory=dict)

    def seconds(self, names: list[str]) -> dict[str, float]:
        """How long each of ``names`` took to write last time, when the record times them
        all (a complete measurement); else nothing, and shares are cut by typical times."""
        times = {name: self.entries[name].seconds for name in names if name in self.entries}
        return times if len(times) == len(names) and all(times.values()) else {}

    def is_current(self, name: str, digest: str, target: Path) -> bool:
        """True when ``target`` was written from inputs with this ``digest`` and is intact."""
        entry = self.entries.get(name)
        if entry is None or entry.digest != digest:
            return False
        try:
            return target.stat().st_size == entry.size
        except OSError:
            return False


def load_record(out_dir: Path) -> BuildRecord:
    """The record in ``out_dir``; an empty one when it is missing, damaged or outdated."""
    try:
        data = json.loads((out_dir / RECORD_NAME).read_text(encoding="utf-8"))
        if data.get("format") != RECORD_FORMAT or data.get("trainkit") != __version__:
            return BuildRecord()
        return BuildRecord({name: _entry(value) for name, value in data["outputs"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildRecord()


def _entry(value: dict[str, Any]) -> RecordEntry:
    pages = value.get("pages")
    return RecordEntry(str(value["digest"]), int(pages) if pages is not None else None,
                       int(value["size"]), float(value["seconds"]))


def save_record(out_dir: Path, record: BuildRecord) -> None:
    """Write the record atomically into ``out_dir``."""
    outputs = {name: {"digest": e.digest, "pages": e.pages, "size": e.size,
                      "seconds": round(e.seconds, 3)}
               for name, e in sorted(record.entries.items())}
    text = json.dumps({"format": RECORD_FORMAT, "trainkit": __version__, "outputs": outputs},
                      indent=2, ensure_ascii=False)
    write_text_atomic(output_path(out_dir, RECORD_NAME), text + "\n")


def file_sha256(path: Path | None) -> str | None:
    """sha256 of a file outside the project (a reference DOCX); None for no file."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


class InputDigests:
    """Input digests of a project's outputs; each file is read and hashed once per run."""

    def __init__(self, valid: ValidProject) -> None:
        self.valid = valid
        self.project = valid.project
        self.files: dict[str, str] = {}

    def digest(self, region: str, settings: dict[str, Any], language: str | None = None) -> str:
        """The digest of one output of ``region`` in ``language`` (None: the source
        language), built with ``settings`` (JSON-ready)."""
        header = json.dumps({"trainkit": __version__, "record": RECORD_FORMAT, **settings},
                            sort_keys=True, default=str)
        digest = hashlib.sha256(header.encode())
        for path in self.input_files(region, language):
            digest.update(f"\0{path}\0{self.file_digest(path)}".encode())
        return digest.hexdigest()

    def input_files(self, region: str, language: str | None = None) -> list[str]:
        """Project-relative paths of the files one region's outputs are made of: the
        manifest, the region's profile (and those it extends, with its adaptation fragments),
        the glossary, the project's label catalogues, the theme's files, every module the
        region includes with what it links to and shows, and their translations into
        ``language``."""
        files = {MANIFEST, f"{REGIONS_DIR}/{region}.yaml",
                 *region_files(self.project, region, language)}
        if self.project.glossary is not None:
            files.add(GLOSSARY_FILE)
        # trainkit's words: an edition uses its language's and, in fallback modules, the
        # source language's; every project catalogue counts (labels/<language>.yaml).
        files.update(file.path for file in self.project.labels.values())
        # the theme's logo, pictures, fonts and stylesheet, as validation resolved them
        files.update(self._theme_path(file.reference)
                     for file in self.valid.manifest.theme.files())
        for item in self.valid.modules_of(region):
            files.add(item.module.path)
            files.update(self._references(item.module))
            translated = self._translation(item.module, language)
            if translated is not None:
                files.add(translated)
        return sorted(files)

    def _translation(self, module: ModuleSource, language: str | None) -> str | None:
        if language is None or module.meta is None or language == self.valid.manifest.language:
            return None
        found = self.project.translation(language, module.meta.id)
        return found.path if found is not None else None

    def _references(self, module: ModuleSource) -> set[str]:
        """The module files a module links to and the images it shows."""
        found: set[str] = set()
        if module.body is None:
            return found
        base = (self.project.root / module.path).parent
        for node in d.walk(module.body.blocks):
            if isinstance(node, d.ModuleLink):
                target = module_link_target(self.project, module, node)
                if target is not None:
                    found.add(target.path)
            elif isinstance(node, d.Image):
                found.add(self._image_path(node.src, base, module.path))
        return found

    def _image_path(self, src: str, base: Path, module_path: str) -> str:
        try:
            return self.project.resolver.relative(self.project.resolver.resolve(
                src, base, suffixes=IMAGE_SUFFIXES, max_bytes=MAX_IMAGE_BYTES))
        except ReferenceRejected:  # validation reports it; the digest still notices a fix
            return str(PurePosixPath(module_path).parent / src)

    def _theme_path(self, reference: str) -> str:
        try:
            return self.project.resolver.relative(self.project.resolver.resolve(
                reference, self.project.root, must_exist=False))
        except ReferenceRejected:  # validation reports it
            return reference

    def file_digest(self, path: str) -> str:
        """sha256 of a project file's bytes, ``missing`` when it cannot be read."""
        if path not in self.files:
            try:
                self.files[path] = hashlib.sha256(
                    (self.project.root / path).read_bytes()).hexdigest()
            except OSError:
                self.files[path] = "missing"
        return self.files[path]
