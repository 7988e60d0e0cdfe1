"""Shared fixtures: small projects in ``tmp_path``, validated without the cache.

The baseline is ``tests/roots/valid/``, a tiny complete project that validates with no
findings, even with ``strict=True``; other roots beside it are small projects of a shape
the baseline cannot take by editing one file (``copy_root``). A test copies it, overrides one file (or a few) and
looks at the findings::

    def test_something(project):
        project.write("modules/02-law.md", module_text(body="# Title\\n"))
        assert project.codes() == ["TK408"]

``build_project`` / the ``make_project`` fixture build a project from scratch out of a
``{relative path: text}`` dict instead.
"""

from __future__ import annotations

import itertools
import os
import shutil
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from trainkit.diagnostics import Diagnostic
from trainkit.checks.validate import Validation, validate_project

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
VALID = ROOTS / "valid"
REPOSITORY = TESTS.parent

# The files of the baseline project.
MANIFEST = "trainkit.yaml"
NORTH = "regions/north.yaml"
SOUTH = "regions/south.yaml"
INTRO = "modules/01-intro.md"
LAW = "modules/02-law.md"
EXTRA = "modules/regional/north-extra.md"  # nothing refers to its id: safe to break

#: The front-matter keys of ``module_text``, in order; values are YAML text.
MODULE_FIELDS: dict[str, str] = {
    "id": "law",
    "title": "The law",
    "version": '"1.0"',
    "status": "draft",
    "summary": "The legal framework.",
    "duration": "90m",
    "audiences": "[prosecutors]",
    "learning_objectives": "[Name the offences.]",
    "prerequisites": "[intro]",
}

#: With the default fields, the body of ``module_text`` starts on this line of the file.
BODY_LINE = len(MODULE_FIELDS) + 4

DEFAULT_BODY = "## Offences\n\nThe offences are set out in the Protocol.\n"

#: Text added by ``law_body`` starts on this line of ``modules/02-law.md``.
ADDED = BODY_LINE + 4


def module_text(body: str = DEFAULT_BODY, *, extra: str = "", **fields: str | None) -> str:
    """The text of a module file that replaces ``modules/02-law.md`` cleanly.

    ``fields`` override the YAML text of a front-matter key (``None`` drops the key);
    ``extra`` is appended to the front-matter as is (shifting the body down). With the
    defaults, line 1 is ``---``, the keys are on lines 2-10 in ``MODULE_FIELDS`` order,
    line 11 is ``---``, line 12 is blank and the body starts on line ``BODY_LINE`` (13).
    """
    values = {**MODULE_FIELDS, **fields}
    lines = ["---"]
    lines += [f"{key}: {value}" for key, value in values.items() if value is not None]
    if extra:
        lines += extra.rstrip("\n").split("\n")
    lines += ["---", ""]
    return "\n".join(lines) + "\n" + body


def law_body(text: str) -> str:
    """``02-law.md`` with ``text`` after its section; ``text`` starts on line ``ADDED``."""
    return module_text(DEFAULT_BODY + "\n" + text)


def sub(old: str, new: str) -> Callable[[str], str]:
    """A change that replaces the one occurrence of ``old`` in a file's text."""

    def change(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        return text.replace(old, new)

    return change


#: Up to this many pixels, ``png`` holds every row, so the image decodes; beyond, only a
#: token of data: such images exist to be refused by their header alone.
DECODABLE_PIXELS = 4_000_000


def png(width: int, height: int) -> bytes:
    """A real, small PNG file whose header says ``width`` x ``height`` pixels (black)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"\x00" * ((width + 1) * height) if width * height <= DECODABLE_PIXELS else b"\x00" * 4
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@dataclass
class ProjectDir:
    """A project folder under ``tmp_path`` with helpers to change it and validate it."""

    root: Path

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str | bytes) -> Path:
        """Create or replace a file (parents included)."""
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_bytes(text.encode("utf-8", "surrogatepass"))
        return target

    def edit(self, relative: str, old: str, new: str) -> Path:
        """Replace the one occurrence of ``old`` in a file by ``new``."""
        text = self.read(relative)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        return self.write(relative, text.replace(old, new))

    def append(self, relative: str, text: str) -> Path:
        return self.write(relative, self.read(relative) + text)

    def remove(self, relative: str) -> None:
        target = self.path(relative)
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()

    def validation(self, *, strict: bool = False) -> Validation:
        return validate_project(self.root, strict=strict, use_cache=False)

    def validate(self, *, strict: bool = False) -> list[Diagnostic]:
        """Every finding, sorted (path, line, column, code)."""
        return self.validation(strict=strict).diagnostics

    def codes(self, *, strict: bool = False) -> list[str]:
        return [d.code for d in self.validate(strict=strict)]


def copy_valid(destination: Path) -> ProjectDir:
    """A fresh copy of ``tests/roots/valid`` at ``destination``."""
    return copy_root("valid", destination)


def copy_root(name: str, destination: Path) -> ProjectDir:
    """A fresh copy of the project root ``tests/roots/<name>`` at ``destination``.

    ``valid`` is the baseline most tests spoil one file of; ``no-regions`` is a project
    with no ``regions/`` folder at all (one module, one edition, the default region).
    """
    shutil.copytree(ROOTS / name, destination, ignore=shutil.ignore_patterns(".trainkit-cache"))
    return ProjectDir(destination)


def build_project(root: Path, files: Mapping[str, str | bytes]) -> ProjectDir:
    """A project made of exactly ``files`` ({relative path: text or bytes})."""
    root.mkdir(parents=True, exist_ok=True)
    project = ProjectDir(root)
    for relative, text in files.items():
        project.write(relative, text)
    return project


def baseline_files() -> dict[str, str]:
    """The text of every file of the baseline, by relative path (to build variants)."""
    return {
        path.relative_to(VALID).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(VALID.rglob("*")) if path.is_file()
    }


TOUR = REPOSITORY / "examples" / "feature-tour"


@pytest.fixture()
def tour(tmp_path: Path) -> Path:
    """A copy of ``examples/feature-tour`` (without any cache) to build and edit."""
    shutil.copytree(TOUR, tmp_path / "tour", ignore=shutil.ignore_patterns(".trainkit-cache"))
    return tmp_path / "tour"


@pytest.fixture(autouse=True, scope="session")
def _cache_key_outside_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The caches' seal key (``cacheseal``) goes to a temporary folder, not ``~/.cache``."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture(autouse=True, scope="session")
def _no_office_by_default() -> None:
    """DOCX builds fill in the contents' page numbers with LibreOffice when it is
    installed, which takes seconds per file: here only where a test asks for it, by
    removing ``TRAINKIT_SOFFICE`` (``tests/writers/docx/test_contents.py``)."""
    os.environ["TRAINKIT_SOFFICE"] = ""


@pytest.fixture
def project(tmp_path: Path) -> ProjectDir:
    """A copy of the valid baseline project, ready to be spoiled."""
    return copy_valid(tmp_path / "project")


@pytest.fixture
def check(project: ProjectDir) -> Callable[..., list[Diagnostic]]:
    """``check(relative, text, strict=False)``: override one baseline file, validate."""

    def run(relative: str, text: str | bytes, *, strict: bool = False) -> list[Diagnostic]:
        project.write(relative, text)
        return project.validate(strict=strict)

    return run


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], ProjectDir]:
    """``make_project({path: text})``: a new project folder holding just these files."""
    counter = itertools.count(1)

    def make(files: Mapping[str, str | bytes]) -> ProjectDir:
        return build_project(tmp_path / f"built-{next(counter)}", files)

    return make
