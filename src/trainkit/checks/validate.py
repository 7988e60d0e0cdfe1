"""``trainkit validate`` as a library call: load the project, run every check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.checks.adaptation import check_adaptation
from trainkit.checks.assessment import check_assessment
from trainkit.checks.content import check_content
from trainkit.checks.labels import check_labels
from trainkit.checks.national_law import check_national_law
from trainkit.checks.structure import check_structure
from trainkit.checks.theme import check_theme
from trainkit.checks.translations import check_translations
from trainkit.loading.selection import DEFAULT_REGION_ID, Placed, modules_for_region
from trainkit.diagnostics import Diagnostic, finalize, has_errors
from trainkit.bidi import without_shadowed
from trainkit.errors import ContentError, ReferenceRejected, require_known
from trainkit.files import project_out_dir
from trainkit.loading.project import Project, load_project
from trainkit.loading.resolver import ProjectResolver
from trainkit.loading.workers import Meanwhile
from trainkit.schemas import Manifest, RegionProfile
from trainkit.schemas.glossary import Glossary


@dataclass(frozen=True, slots=True)
class ValidProject:
    """A project that validated without errors: what commands take, its models typed."""

    project: Project
    manifest: Manifest
    regions: dict[str, RegionProfile]
    glossary: Glossary | None
    #: What validation found: warnings only (errors would have stopped it).
    warnings: list[Diagnostic]

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def resolver(self) -> ProjectResolver:
        return self.project.resolver

    @property
    def region_ids(self) -> list[str]:
        """The project's region ids; the default region when it defines none."""
        return sorted(self.regions) or [DEFAULT_REGION_ID]

    def region_or_default(self, region: str | None) -> str:
        """``region``, else the manifest's ``output.region``, else the first; checked."""
        chosen = region or self.manifest.output.region or self.region_ids[0]
        require_known("region", chosen, self.region_ids)
        return chosen

    def edition_or_default(self, edition: str | None) -> str:
        """``edition``, else the manifest's ``output.edition``, else the first; checked."""
        chosen = edition or self.manifest.output.edition or next(iter(self.manifest.editions))
        require_known("edition", chosen, sorted(self.manifest.editions))
        return chosen

    def modules_of(self, region: str) -> list[Placed]:
        """The modules of ``region``'s editions, in reading order."""
        return modules_for_region(self.manifest, region, self.regions.get(region),
                                  self.project.modules, self.project.resolver)

    def out_dir(self, chosen: Path | None = None) -> Path:
        """``--out`` when given, else the manifest's ``output.out_dir``, which must be a
        folder inside the project (checked again now, in case a link changed since)."""
        if chosen is not None:
            return chosen
        return project_out_dir(self.root, self.manifest.output.out_dir)


@dataclass(slots=True)
class Validation:
    """The loaded project and its findings, sorted and de-duplicated."""

    project: Project
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def valid(self, message: str = "the project has errors; nothing was built") -> ValidProject:
        """The project with its typed models; ``ContentError`` with the findings if it has
        errors."""
        manifest = self.project.manifest.model
        if not self.ok or manifest is None:
            raise ContentError(message, self.diagnostics,
                               source_lines(self.project, self.diagnostics), self.project.root)
        return ValidProject(self.project, manifest, self.project.region_models(),
                            self.project.glossary_model, self.diagnostics)


def validate_project(path: Path, *, strict: bool = False, use_cache: bool = True,
                     meanwhile: Meanwhile | None = None) -> Validation:
    """Load the project at ``path`` and check it; ``strict`` turns warnings into errors.
    ``meanwhile`` is called once, while the modules are parsed (``load_modules``)."""
    project = load_project(path, use_cache=use_cache, meanwhile=meanwhile)
    return Validation(project, finalize(run_checks(project), strict=strict))


def require_valid(path: Path, *, strict: bool = False,
                  meanwhile: Meanwhile | None = None) -> ValidProject:
    """The validated project at ``path``; ``ContentError`` with the findings if it has
    errors. The first step of every command that writes something."""
    return validate_project(path, strict=strict, meanwhile=meanwhile).valid()


def run_checks(project: Project) -> list[Diagnostic]:
    """Every finding about the project: from loading, structure and content.

    A bidirectional control character reported as an error (TK511, in an id or a name)
    is not also reported as a warning (TK510) on the same line.
    """
    return without_shadowed([*project.all_diagnostics(), *check_structure(project),
                             *check_content(project), *check_translations(project),
                             *check_adaptation(project), *check_labels(project),
                             *check_national_law(project), *check_assessment(project),
                             *check_theme(project)])


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
