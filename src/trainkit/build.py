"""``trainkit build`` as a library call: validate, assemble one edition, write each format."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from trainkit.assemble import AssembledEdition, EditionRequest, assemble
from trainkit.diagnostics import Diagnostic, finalize
from trainkit.errors import ContentError, RenderError
from trainkit.output import output_path, project_out_dir
from trainkit.project import Project
from trainkit.resolver import ProjectResolver
from trainkit.review import REVIEW_SUFFIX, require_status, with_review_tables
from trainkit.schemas import Manifest, Status
from trainkit.selection import DEFAULT_REGION_ID
from trainkit.validate import Validation, source_lines, validate_project

if TYPE_CHECKING:
    from trainkit.writers.renderpool import RenderPool

Format = Literal["pdf", "html", "docx"]
EXTENSIONS: dict[str, str] = {"pdf": ".pdf", "html": ".html", "docx": ".docx"}
Writer = Callable[[AssembledEdition, ProjectResolver, Path], "int | None"]
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the user asked for; None means the manifest's default."""

    region: str | None = None
    edition: str | None = None
    audience: str | None = None
    formats: tuple[Format, ...] | None = None
    out_dir: Path | None = None
    language: str | None = None
    strict: bool = False
    only_status: Status | None = None
    reference_docx: Path | None = None
    #: Fail, naming them, when modules of the edition have another status (review.py).
    require_status: Status | None = None
    #: Write a review copy: version, status, reviewers, last review at each module's start.
    review: bool = False
    #: Worker processes a writer may start (PDF); None: its default, one per core.
    writer_jobs: int | None = None


@dataclass(frozen=True, slots=True)
class BuiltFile:
    """One output written, with what the summary line reports."""

    path: Path
    format: str
    pages: int | None
    size: int
    seconds: float


@dataclass(slots=True)
class BuildResult:
    """The files written, the failures, and the warnings validation found."""

    files: list[BuiltFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    #: The folder the outputs go to (``--out``, else the manifest's ``output.out_dir``).
    out_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


def _no_progress(step: str) -> None:
    return None


def build_edition(project_dir: Path, options: BuildOptions,
                  progress: Progress = _no_progress, *,
                  validation: Validation | None = None,
                  renderer: RenderPool | None = None) -> BuildResult:
    """Validate the project, then write the requested edition in each format.

    ``ContentError`` (with the findings) when the project has errors; a format that fails
    to render is listed in ``failures`` while the others are still written. ``validation``
    is the project already validated (``build --all`` validates once for every output).
    ``renderer`` is a PDF render pool the caller started (and closes); without one, a
    pool is started here, before validating, if a PDF may be built.
    """
    with _own_renderer(options, renderer) as pool:
        if validation is None:
            progress("Validating the project")
            validation = validate_project(project_dir, strict=options.strict)
        return _build(validation, options, progress, pool)


@contextmanager
def _own_renderer(options: BuildOptions,
                  given: RenderPool | None) -> Iterator[RenderPool | None]:
    """The caller's pool, or one started now (workers import WeasyPrint meanwhile)."""
    if given is not None:
        yield given
        return
    from trainkit.writers.renderpool import early_pool

    pool = early_pool(options.formats, options.writer_jobs)
    if pool is None:
        yield None
        return
    with pool:
        yield pool


def _build(validation: Validation, options: BuildOptions, progress: Progress,
           renderer: RenderPool | None) -> BuildResult:
    if not validation.ok:
        raise ContentError("the project has errors; nothing was built", validation.diagnostics,
                           source_lines(validation.project, validation.diagnostics))
    project = validation.project
    manifest = project.manifest_model
    assert manifest is not None
    request = edition_request(project, manifest, options)
    progress("Assembling the edition")
    edition = assemble(project, request)
    if edition.warnings and options.strict:
        findings = finalize(edition.warnings, strict=True)
        raise ContentError("the edition has untranslated modules (--strict); nothing was built",
                           findings, source_lines(project, findings))
    if options.require_status is not None:
        require_status(edition, options.require_status)
    if options.review:
        edition = with_review_tables(edition)
    out_dir = options.out_dir or project_out_dir(project.root, manifest.output.out_dir)
    result = BuildResult(warnings=[*validation.diagnostics, *edition.warnings], out_dir=out_dir)
    for output_format in options.formats or tuple(manifest.output.formats):
        progress(f"Writing {output_format.upper()}")
        _write_one(edition, project, output_format, out_dir, options, result, renderer)
    return result


def edition_request(project: Project, manifest: Manifest, options: BuildOptions) -> EditionRequest:
    """The region, edition and audience to build, with the manifest's defaults filled in."""
    region = options.region or manifest.output.region or _first_region(project)
    edition = options.edition or manifest.output.edition or next(iter(manifest.editions))
    return EditionRequest(region, edition, options.audience, options.only_status,
                          options.language)


def _first_region(project: Project) -> str:
    return sorted(project.regions)[0] if project.regions else DEFAULT_REGION_ID


def _write_one(edition: AssembledEdition, project: Project, output_format: str, out_dir: Path,
               options: BuildOptions, result: BuildResult,
               renderer: RenderPool | None = None) -> None:
    stem = edition.file_stem() + (REVIEW_SUFFIX if options.review else "")
    target = output_path(out_dir, stem + EXTENSIONS[output_format])
    writer = load_writer(output_format, options.reference_docx, options.writer_jobs, renderer)
    started = time.perf_counter()
    try:
        pages = writer(edition, project.resolver, target)
    except RenderError as error:
        result.failures.append(str(error))
        return
    seconds = time.perf_counter() - started
    result.files.append(BuiltFile(target, output_format, pages, target.stat().st_size, seconds))


def load_writer(output_format: str, reference_docx: Path | None = None,
                jobs: int | None = None, renderer: RenderPool | None = None) -> Writer:
    """The writer of a format, imported only when that format is built.

    ``jobs`` caps the PDF writer's worker processes; ``renderer`` is a pool of them that
    is already running (``_early_renderer``).
    """
    if output_format == "pdf":
        from trainkit.writers.pdf import write_pdf

        if jobs is None and renderer is None:
            return write_pdf

        def pdf_writer(edition: AssembledEdition, resolver: ProjectResolver,
                       target: Path) -> int | None:
            return write_pdf(edition, resolver, target, jobs=jobs, renderer=renderer)

        return pdf_writer
    if output_format == "html":
        from trainkit.writers.html import write_html

        return write_html
    if output_format == "docx":
        from trainkit.writers.docx import write_docx

        def docx_writer(edition: AssembledEdition, resolver: ProjectResolver,
                        target: Path) -> int | None:
            return write_docx(edition, resolver, target, reference_docx=reference_docx)

        return docx_writer
    raise RenderError(f"unknown output format `{output_format}`")
