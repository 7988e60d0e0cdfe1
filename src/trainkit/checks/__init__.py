"""Validation checks, one file per family; ``run_checks`` runs them all."""

from __future__ import annotations

from trainkit.bidi import without_shadowed
from trainkit.checks.content import check_content
from trainkit.checks.structure import check_structure
from trainkit.checks.translations import check_translations
from trainkit.diagnostics import Diagnostic
from trainkit.project import Project


def run_checks(project: Project) -> list[Diagnostic]:
    """Every finding about the project: from loading, structure and content.

    A bidirectional control character reported as an error (TK511, in an id or a name)
    is not also reported as a warning (TK510) on the same line.
    """
    return without_shadowed([*project.all_diagnostics(), *check_structure(project),
                             *check_content(project), *check_translations(project)])
