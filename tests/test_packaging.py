"""The distribution: its name, its licence, and what its source distribution carries."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]

#: The name trainkit is published under: ``trainkit`` on PyPI is an unrelated project.
DISTRIBUTION = "trainkit-manuals"


def pyproject() -> dict[str, object]:
    return tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_has_its_own_name_and_keeps_the_trainkit_command() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"trainkit": "trainkit.cli.app:main"}


def test_the_licence_is_an_spdx_string_with_its_file() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (REPOSITORY / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639


def test_every_runtime_dependency_has_an_upper_bound() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    unbounded = [d for d in project["dependencies"] if "<" not in d]
    assert not unbounded


def test_no_document_tells_to_install_the_unrelated_trainkit() -> None:
    wrong = re.compile(r"pip install (?:-U |--upgrade )?trainkit(?![-\w])")
    texts = [REPOSITORY / "README.md", *(REPOSITORY / "docs").rglob("*.md"),
             *(REPOSITORY / "src" / "trainkit" / "resources").rglob("*"),
             *(REPOSITORY / "examples").rglob("*.md")]
    if (REPOSITORY / "action.yml").exists():
        texts.append(REPOSITORY / "action.yml")
    found = [str(p.relative_to(REPOSITORY)) for p in texts
             if p.is_file() and p.suffix not in {".docx", ".png", ".jpg", ".ttf", ".woff2"}
             and wrong.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert not found


def test_the_sdist_carries_what_the_tests_need() -> None:
    manifest = (REPOSITORY / "MANIFEST.in").read_text(encoding="utf-8")
    for folder in ("tests", "docs", "examples", "modules", "regions", "tools"):
        assert f"graft {folder}\n" in manifest
    for file in ("LICENSE", "trainkit.yaml", "glossary.yaml", "action.yml",
                 ".pre-commit-hooks.yaml"):
        assert file in manifest
