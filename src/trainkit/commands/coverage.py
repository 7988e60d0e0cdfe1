"""``trainkit coverage`` as a library call: per module, each learning objective and the
questions, exercises and case studies that assess it, in one region's edition.

The edition is assembled as for a build (the region's modules, its conditional blocks),
so an objective assessed only by a question another region's edition drops is reported
as uncovered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainkit.assembly.assessment import CoveredObjective, coverage, edition_questions
from trainkit.assembly.edition import assemble
from trainkit.checks.validate import require_valid
from trainkit.model.edition import EditionRequest


@dataclass(frozen=True, slots=True)
class ModuleCoverage:
    """One module of the edition and its objectives' coverage."""

    id: str
    number: int
    title: str
    objectives: tuple[CoveredObjective, ...]


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The coverage of every module of one region's edition."""

    region: str
    edition: str
    modules: tuple[ModuleCoverage, ...]

    @property
    def uncovered(self) -> int:
        return sum(not item.covered for module in self.modules for item in module.objectives)

    def to_data(self) -> dict[str, Any]:
        """The report as JSON-ready data (``--format json``)."""
        return {"version": 1, "region": self.region, "edition": self.edition,
                "uncovered": self.uncovered,
                "modules": [_module_data(module) for module in self.modules]}


def _module_data(module: ModuleCoverage) -> dict[str, Any]:
    return {"id": module.id, "number": module.number, "title": module.title,
            "objectives": [{
                "key": item.objective.key, "number": item.objective.number,
                "text": item.objective.text, "covered": item.covered,
                "questions": [{"id": q.question.id, "number": q.number, "type": q.question.kind}
                              for q in item.questions],
                "activities": [{"kind": x.kind, "number": x.number, "title": x.title}
                               for x in item.activities]}
                for item in module.objectives]}


def coverage_report(project_dir: Path, region: str | None = None,
                    edition: str | None = None) -> CoverageReport:
    """The coverage of ``region``'s ``edition`` (the manifest's defaults when None)."""
    valid = require_valid(project_dir)
    request = EditionRequest(valid.region_or_default(region), valid.edition_or_default(edition))
    assembled = assemble(valid, request)
    modules = tuple(ModuleCoverage(m.module_id, m.module.number, m.module.meta.title,
                                   coverage(m)) for m in edition_questions(assembled))
    return CoverageReport(request.region, request.edition, modules)
