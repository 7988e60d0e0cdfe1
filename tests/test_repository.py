"""The projects shipped in the repository validate cleanly, even with ``--strict``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPOSITORY
from trainkit.diagnostics import Diagnostic
from trainkit.checks.validate import validate_project

EXAMPLES = REPOSITORY / "examples"
EXAMPLE_PROJECTS = sorted(path.parent for path in EXAMPLES.rglob("trainkit.yaml"))


def _report(findings: list[Diagnostic]) -> str:
    return "\n".join(f"{d.path}:{d.line}:{d.column} {d.code} {d.message}" for d in findings)


def test_repository_manual_validates_strictly() -> None:
    result = validate_project(REPOSITORY, strict=True, use_cache=False)
    assert result.diagnostics == [], _report(result.diagnostics)
    assert result.project.modules  # the manual has modules, and they were all read


@pytest.mark.parametrize(
    "example", EXAMPLE_PROJECTS or [None],
    ids=[p.relative_to(EXAMPLES).as_posix() for p in EXAMPLE_PROJECTS] or ["none"])
def test_example_validates_strictly(example: Path | None) -> None:
    if example is None:
        pytest.skip("examples/ holds no project yet")
    result = validate_project(example, strict=True, use_cache=False)
    assert result.diagnostics == [], _report(result.diagnostics)
