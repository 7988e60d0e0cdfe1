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
    """Strictly, but for TK701: the manual's national-provision slots have no default text
    (no national law is invented), and no region fills them yet, so they are reported as
    missing until each region's adapters write them (issue 19)."""
    result = validate_project(REPOSITORY, strict=True, use_cache=False)
    others = [d for d in result.diagnostics if d.code != "TK701"]
    assert others == [], _report(others)
    assert result.project.modules  # the manual has modules, and they were all read
    assert validate_project(REPOSITORY, use_cache=False).ok  # TK701 is only a warning


@pytest.mark.parametrize(
    "example", EXAMPLE_PROJECTS or [None],
    ids=[p.relative_to(EXAMPLES).as_posix() for p in EXAMPLE_PROJECTS] or ["none"])
def test_example_validates_strictly(example: Path | None) -> None:
    if example is None:
        pytest.skip("examples/ holds no project yet")
    result = validate_project(example, strict=True, use_cache=False)
    assert result.diagnostics == [], _report(result.diagnostics)
