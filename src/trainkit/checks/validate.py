"""``trainkit validate`` as a library call: load the project, run every check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.checks.content import check_content
from trainkit.checks.structure import check_structure
from trainkit.checks.translations import check_translations
from trainkit.diagnostics import Diagnostic, finalize, has_errors
from trainkit.errors import ReferenceRejected
from trainkit.loading.project import Project, load_project


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


def run_checks(project: Project) -> list[Diagnostic]:
    """Every finding about the project: from loading, structure and content."""
    return [*project.all_diagnostics(), *check_structure(project), *check_content(project),
            *check_translations(project)]


def source_lines(project: Project, diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    """The lines of each file that has findings, to quote them in the text report."""
    lines: dict[str, list[str]] = {}
    for path in {d.path for d in diagnostics}:
        try:  # the resolver refuses links out of the project, FIFOs and devices
            resolved = project.resolver.resolve(path, project.root)
            raw = resolved.read_bytes()
        except (ReferenceRejected, OSError):
            continue
        lines[path] = raw.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
    return lines
