"""``trainkit build`` as a library call: validate, assemble one edition, write each format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from trainkit.assembly.edition import assemble
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.diagnostics import Diagnostic, finalize
from trainkit.errors import ContentError, RenderError
from trainkit.files import output_path
from trainkit.loading.project import Project
from trainkit.model.formats import EXTENSIONS, OutputFormat
from trainkit.writers.dispatch import BuiltFile, WriterSettings, import_writers, write_one
from trainkit.writers.docx import TocMode
from trainkit.assembly.adaptation import require_adapted
from trainkit.assembly.review import REVIEW_SUFFIX, require_status, with_review_tables
from trainkit.schemas import Status
from trainkit.checks.validate import ValidProject, require_valid, source_lines

if TYPE_CHECKING:
    from trainkit.writers.pdf.preflight import LayoutFinding
    from trainkit.writers.pdf.render_pool import RenderPool

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the user asked for; None means the manifest's default."""

    region: str | None = None
    edition: str | None = None
    audience: str | None = None
    formats: tuple[OutputFormat, ...] | None = None
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
    #: Read each PDF written back and report its layout problems (``BuildResult.preflight``).
    preflight: bool = False
    #: DOCX contents' page numbers: ``update`` (filled in from a LibreOffice layout) or
    #: ``fields`` (left for Word to update on opening); None: ``update`` when LibreOffice
    #: is installed.
    docx_toc: TocMode | None = None
    #: PDF without tags (``--no-tags``); else the manifest's ``output.tagged_pdf``.
    untagged: bool = False


@dataclass(slots=True)
class BuildResult:
    """The files written, the failures, and the warnings validation found."""

    files: list[BuiltFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    #: The lines of each file with a warning, to quote them as ``validate`` does.
    sources: dict[str, list[str]] = field(default_factory=dict)
    #: The folder the outputs go to (``--out``, else the manifest's ``output.out_dir``).
    out_dir: Path | None = None
    #: One line each: what a writer could not do as asked (a DOCX whose contents' page
    #: numbers are left for Word to fill in, and why).
    notices: list[str] = field(default_factory=list)
    #: The project folder the warnings' paths are relative to.
    root: Path | None = None
    #: With ``BuildOptions.preflight``: the layout findings of each PDF written, by path.
    preflight: dict[Path, list[LayoutFinding]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def _no_progress(step: str) -> None:
    return None


def build_edition(project_dir: Path, options: BuildOptions,
                  progress: Progress = _no_progress, *,
                  valid: ValidProject | None = None,
                  renderer: RenderPool | None = None) -> BuildResult:
    """Validate the project, then write the requested edition in each format.

    ``ContentError`` (with the findings) when the project has errors; a format that fails
    to render is listed in ``failures`` while the others are still written. ``valid`` is
    the project already validated (``build --all`` validates once for every output).
    ``renderer`` is a PDF render pool the caller started (and closes); without one, a
    pool is started here, before validating, if a PDF may be built.
    """
    with _own_renderer(options, renderer) as pool:
        if valid is None:
            progress("Validating the project")
            valid = require_valid(project_dir, strict=options.strict,
                                  meanwhile=partial(import_writers, options.formats or ()))
        return _build(valid, options, progress, pool)


@contextmanager
def _own_renderer(options: BuildOptions,
                  given: RenderPool | None) -> Iterator[RenderPool | None]:
    """The caller's pool, or one started now (workers import WeasyPrint meanwhile)."""
    if given is not None:
        yield given
        return
    from trainkit.writers.pdf import early_pool

    pool = early_pool(options.formats, options.writer_jobs)
    if pool is None:
        yield None
        return
    with pool:
        yield pool


def _build(valid: ValidProject, options: BuildOptions, progress: Progress,
           renderer: RenderPool | None) -> BuildResult:
    request = edition_request(valid, options)
    progress("Assembling the edition")
    edition = assemble(valid, request)
    if edition.warnings and options.strict:
        findings = finalize(edition.warnings, strict=True)
        raise ContentError("the edition has untranslated modules (--strict); nothing was built",
                           findings, source_lines(valid.project, findings), valid.project.root)
    if options.require_status is not None:
        require_status(edition, options.require_status)
    if Status.APPROVED in (options.require_status, options.only_status):
        require_adapted(valid, edition)
    if options.review:
        edition = with_review_tables(edition)
    out_dir = valid.out_dir(options.out_dir)
    warnings = [*valid.warnings, *edition.warnings]
    result = BuildResult(warnings=warnings, sources=source_lines(valid.project, warnings),
                         out_dir=out_dir, root=valid.project.root)
    for output_format in options.formats or tuple(valid.manifest.output.formats):
        progress(f"Writing {output_format.upper()}")
        _write_one(edition, valid.project, output_format, out_dir, options, result, renderer)
    return result


def edition_request(valid: ValidProject, options: BuildOptions) -> EditionRequest:
    """The region, edition and audience to build, with the manifest's defaults filled in."""
    return EditionRequest(valid.region_or_default(options.region),
                          valid.edition_or_default(options.edition), options.audience,
                          options.only_status, options.language)


def _write_one(edition: AssembledEdition, project: Project, output_format: str, out_dir: Path,
               options: BuildOptions, result: BuildResult,
               renderer: RenderPool | None = None) -> None:
    stem = edition.file_stem() + (REVIEW_SUFFIX if options.review else "")
    target = output_path(out_dir, stem + EXTENSIONS[output_format])
    settings = WriterSettings(options.reference_docx, options.writer_jobs, renderer,
                              options.docx_toc, result.notices.append, options.untagged)
    try:
        built = write_one(edition, project.resolver, output_format, target, settings)
    except RenderError as error:
        result.failures.append(str(error))
        return
    result.files.append(built)
    if options.preflight and output_format == "pdf":
        from trainkit.writers.pdf.preflight import check_pdf

        result.preflight[built.path] = check_pdf(built.path)
