"""The packaged CI pieces: the pre-commit hook and the composite GitHub Action."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]


def _yaml(name: str) -> Any:
    return yaml.safe_load((REPOSITORY / name).read_text(encoding="utf-8"))


def test_the_pre_commit_hook_validates_strictly_on_project_files() -> None:
    hooks = _yaml(".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "trainkit-validate")
    assert hook["entry"] == "trainkit validate --strict"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("trainkit.yaml", "manual/trainkit.yaml", "modules/01-a.md",
                 "regions/north.yaml", "glossary.yaml", "modules/images/x.png"):
        assert files.search(name), name
    for name in ("dist/manual.pdf", "README.md", "src/x.py"):
        assert not files.search(name), name


def test_the_action_installs_validates_builds_and_uploads() -> None:
    action = _yaml("action.yml")
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"project", "build", "strict", "version", "out"}
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "libpango-1.0-0" in scripts
    assert 'pip install --quiet "trainkit-manuals${VERSION}"' in scripts
    assert "--format github" in scripts and "--diagnostics-format github" in scripts
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    # Inputs reach the scripts through the environment, never pasted into the script.
    assert "${{" not in scripts


def test_the_docs_show_both_with_snippets() -> None:
    text = (REPOSITORY / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "id: trainkit-validate" in text and "uses: trainkit/trainkit@" in text
