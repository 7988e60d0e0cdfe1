"""Shared first steps of the workflow commands: a validated project and a region's modules.

``handout``, ``agenda``, ``list`` and ``build --all`` refuse a project with errors the
way ``build`` does: a ``ContentError`` carrying the located findings.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.assembly.edition import check_request
from trainkit.model.edition import EditionRequest
from trainkit.errors import ContentError, UsageError
from trainkit.text import suggestion
from trainkit.schemas import Manifest, ModuleMeta
from trainkit.assembly.selection import Placed, modules_for_region, region_ids
from trainkit.checks.validate import Validation, source_lines, validate_project


def checked_project(project_dir: Path, *, strict: bool = False) -> Validation:
    """The validated project; ``ContentError`` with the findings when it has errors."""
    validation = validate_project(project_dir, strict=strict)
    if not validation.ok:
        raise ContentError("the project has errors; nothing was built", validation.diagnostics,
                           source_lines(validation.project, validation.diagnostics))
    return validation


def manifest_of(validation: Validation) -> Manifest:
    """The manifest model of a project that validated."""
    manifest = validation.project.manifest_model
    assert manifest is not None, "a project that validated has a manifest"
    return manifest


def region_or_default(validation: Validation, region: str | None) -> str:
    """``region``, or the manifest's default region, or the first region; checked."""
    manifest = manifest_of(validation)
    known = region_ids(validation.project.region_models())
    chosen = region or manifest.output.region or known[0]
    if chosen not in known:
        hint = suggestion(chosen, known)
        raise UsageError(f"unknown region `{chosen}`" + (f"; {hint}" if hint else "")
                         + f" (known: {', '.join(known)})")
    return chosen


def region_modules(validation: Validation, region: str) -> list[Placed]:
    """The modules of ``region``'s editions, in reading order."""
    project = validation.project
    manifest = manifest_of(validation)
    check_request(project, EditionRequest(region, next(iter(manifest.editions))))
    profile = project.region_models().get(region)
    return modules_for_region(manifest, region, profile, project.modules, project.resolver)


def meta_of(item: Placed) -> ModuleMeta:
    """The front-matter of a placed module (placed modules always have one)."""
    meta = item.module.meta
    assert meta is not None
    return meta

