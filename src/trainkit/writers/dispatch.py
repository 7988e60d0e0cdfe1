"""Writing one output: the writer of its format, imported only when that format is built.

Every command writes through ``write_one``: it picks the writer (the handout flavour for a
compact edition), times it, turns any ``OSError`` a writer meets (a full disk, an output
folder that is a file) into the same ``RenderError`` naming the file, and removes the
hidden temporary files a killed earlier build left beside the output. Writers write
atomically, so a failure leaves the previous output as it was.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trainkit.errors import RenderError
from trainkit.files import describe_os_error, stale_leftovers_removed
from trainkit.loading.resolver import ProjectResolver
from trainkit.model.edition import AssembledEdition
from trainkit.writers.docx import TocMode

if TYPE_CHECKING:
    from trainkit.writers.pdf.render_pool import RenderPool

Writer = Callable[[AssembledEdition, ProjectResolver, Path], "int | None"]

#: The module each format's writer loads when it first writes (python-docx, Jinja2...).
_WRITER_MODULES = {"docx": "trainkit.writers.docx.document",
                   "html": "trainkit.writers.html.render",
                   "pdf": "trainkit.writers.pdf.edition"}


@dataclass(frozen=True, slots=True)
class WriterSettings:
    """How the writers run: a DOCX template, PDF worker processes or a running pool."""

    reference_docx: Path | None = None
    #: Worker processes the PDF writer may start; None: one per core.
    jobs: int | None = None
    #: A PDF render pool the caller started (and closes).
    renderer: RenderPool | None = None
    #: How a DOCX edition's contents get their page numbers: ``update`` (from a
    #: LibreOffice layout), ``fields`` (left for Word to update on opening); None:
    #: ``update`` when LibreOffice is installed.
    docx_toc: TocMode | None = None
    #: Told, in one line, what a writer could not do as asked (the contents' page
    #: numbers left to Word when LibreOffice is missing or fails).
    notice: Callable[[str], None] | None = None
    #: PDF editions without tags (``--no-tags``); else the manifest's ``output.tagged_pdf``.
    untagged: bool = False


@dataclass(frozen=True, slots=True)
class BuiltFile:
    """One output written, with what the summary line reports."""

    path: Path
    format: str
    pages: int | None
    size: int
    seconds: float


def write_one(edition: AssembledEdition, resolver: ProjectResolver, output_format: str,
              target: Path, settings: WriterSettings = WriterSettings(),
              build_started: float | None = None) -> BuiltFile:
    """Write ``edition`` as ``output_format`` to ``target``; ``RenderError`` if it fails.

    Afterwards, whatever the outcome, the temporary files of ``target`` that a killed
    earlier build left (older than ``build_started``, ``time.time()``) are removed.
    """
    writer = load_writer(output_format, settings, edition.compact)
    started = time.perf_counter()
    try:
        with stale_leftovers_removed(target, build_started or time.time()):
            pages = writer(edition, resolver, target)
        size = target.stat().st_size
    except OSError as error:
        raise RenderError(describe_os_error(error, target)) from error
    return BuiltFile(target, output_format, pages, size, time.perf_counter() - started)


def import_writers(formats: Iterable[str]) -> None:
    """Import the writers of ``formats`` ahead of their first use: a build does it while
    worker processes parse its modules, where it costs no time of its own."""
    for output_format in formats:
        if output_format in _WRITER_MODULES:
            importlib.import_module(_WRITER_MODULES[output_format])


def load_writer(output_format: str, settings: WriterSettings,
                handout: bool = False) -> Writer:
    """The writer of ``output_format`` (its handout flavour with ``handout``)."""
    if output_format == "pdf":
        return _handout_pdf() if handout else _edition_pdf(settings)
    if output_format == "html":
        return _handout_html() if handout else _edition_html()
    if output_format == "docx":
        return _docx(settings)
    raise RenderError(f"unknown output format `{output_format}`")


def _edition_pdf(settings: WriterSettings) -> Writer:
    from trainkit.writers.pdf.edition import write_pdf

    def pdf_writer(edition: AssembledEdition, resolver: ProjectResolver,
                   target: Path) -> int | None:
        return write_pdf(edition, resolver, target, jobs=settings.jobs,
                         renderer=settings.renderer, tagged=False if settings.untagged else None)

    return pdf_writer


def _handout_pdf() -> Writer:
    from trainkit.writers.html.handout import write_handout_pdf

    return write_handout_pdf


def _edition_html() -> Writer:
    from trainkit.writers.html.render import write_html

    return write_html


def _handout_html() -> Writer:
    from trainkit.writers.html.handout import write_handout_html

    return write_handout_html


def _docx(settings: WriterSettings) -> Writer:
    from trainkit.writers.docx import write_docx

    def docx_writer(edition: AssembledEdition, resolver: ProjectResolver,
                    target: Path) -> int | None:
        return write_docx(edition, resolver, target, reference_docx=settings.reference_docx,
                          toc=settings.docx_toc, notice=settings.notice)

    return docx_writer
