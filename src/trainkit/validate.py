"""``trainkit validate`` as a library call: load the project, run every check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.checks import run_checks
from trainkit.diagnostics import Diagnostic, finalize, has_errors
from trainkit.project import Project, load_project


@dataclass(slots=True)
class Validation:
    """The loaded project and its findings, sorted and de-duplicated."""

    project: Project
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate_project(path: Path, *, strict: bool = False, use_cache: bool = True) -> Validation:
    """Load the project at ``path`` and check it; ``strict`` turns warnings into errors."""
    project = load_project(path, use_cache=use_cache)
    return Validation(project, finalize(run_checks(project), strict=strict))


def source_lines(project: Project, diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    """The lines of each file that has findings, to quote them in the text report."""
    lines: dict[str, list[str]] = {}
    for path in {d.path for d in diagnostics}:
        try:
            text = (project.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lines[path] = text.split("\n")
    return lines
