"""``trainkit review export``: a DOCX made for reviewers, every paragraph tied to its source.

The edition is assembled as ``build`` assembles it (region, edition, audience, language),
cut down to the modules asked for, with the review table at each module's start (version,
status, reviewers, last review). The DOCX differs from a normal edition in three ways:

- every paragraph, list item, table cell and heading holds a hidden bookmark naming its
  source file and line (``writers/docx/anchors.py``);
- every section numbers its lines (``w:lnNumType``), restarting on each page, so a
  reviewer can cite "page 12, line 30";
- its custom document properties (``docProps/custom.xml``) hold the table of anchored
  files (``tk.file.<n>``), a digest of each file as exported (``tk.sha.<n>``) and what was
  exported (``tk.export``): the import reads them back.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from trainkit import __version__
from trainkit.assembly.edition import assemble
from trainkit.assembly.review import with_review_tables
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.errors import RenderError, unknown_choice
from trainkit.files import atomic_target, output_path
from trainkit.model.edition import AssembledEdition, EditionRequest

if TYPE_CHECKING:
    from docx.document import Document

    from trainkit.writers.docx.context import Kit
    from trainkit.writers.docx.oxml import Element

SUFFIX = "-for-review.docx"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "custom-properties")
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export; None means the manifest's default, no modules every module."""

    region: str | None = None
    edition: str | None = None
    audience: str | None = None
    language: str | None = None
    modules: tuple[str, ...] = ()
    out_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    modules: tuple[str, ...]
    anchors: int


def file_digest(path: Path) -> str:
    """The first 16 hex digits of the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def export_review(project_dir: Path, options: ExportOptions) -> ExportResult:
    """Validate, assemble and write the review copy; its path, modules and anchor count."""
    valid = require_valid(project_dir)
    request = EditionRequest(valid.region_or_default(options.region),
                             valid.edition_or_default(options.edition), options.audience,
                             None, options.language)
    edition = with_review_tables(_selected(assemble(valid, request), options.modules))
    sources = _source_files(valid, edition)
    target = output_path(valid.out_dir(options.out_dir), edition.file_stem() + SUFFIX)
    from trainkit.writers.docx.anchors import AnchoringWriter
    from trainkit.writers.docx.document import write_document

    writers: list[AnchoringWriter] = []

    def make_writer(assembled: AssembledEdition, kit: Kit) -> AnchoringWriter:
        writer = AnchoringWriter(assembled, kit, sources)
        writers.append(writer)
        return writer

    def finish(document: Document) -> None:
        """The custom properties, once the body (and so the anchor table) is written."""
        properties = {"tk.export": _export_fact(edition), "tk.version": __version__}
        for index, path in enumerate(writers[0].anchor_table.files, start=1):
            properties[f"tk.file.{index}"] = path
            properties[f"tk.sha.{index}"] = file_digest(valid.root / path)
        set_custom_properties(document, properties)

    try:
        with atomic_target(target) as temporary:
            write_document(edition, valid.project.resolver, None, temporary,
                           writer_class=make_writer, prepare=number_lines, finish=finish)
        table = writers[0].anchor_table
    except (RenderError, OSError):
        raise
    except Exception as error:  # python-docx and lxml raise many kinds; all mean failure
        raise RenderError(f"{target.name}: writing the review copy failed: {error}") from error
    return ExportResult(target, tuple(m.meta.id for m in edition.modules), table.count)


def _selected(edition: AssembledEdition, modules: tuple[str, ...]) -> AssembledEdition:
    if not modules:
        return edition
    known = [m.meta.id for m in edition.modules]
    for module_id in modules:
        if module_id not in known:
            raise unknown_choice(f"module of the {edition.request.region} edition", module_id,
                                 known)
    return replace(edition, modules=tuple(m for m in edition.modules if m.meta.id in modules))


def _source_files(valid: ValidProject, edition: AssembledEdition) -> dict[str, str]:
    """Module id -> the file its text was read from (its translation in another language)."""
    sources: dict[str, str] = {}
    for module in edition.modules:
        translation = valid.project.translation(edition.language, module.meta.id) \
            if edition.language != valid.manifest.language else None
        sources[module.meta.id] = translation.path if translation is not None and \
            translation.body else module.path
    return sources


def _export_fact(edition: AssembledEdition) -> str:
    request = edition.request
    return (f"region={request.region};edition={request.edition};language={edition.language};"
            f"date={datetime.date.today().isoformat()}")


def number_lines(body: Element) -> None:
    """Number the lines of every section in ``body`` (a piece of the document's body, as
    it is streamed), restarting on each page."""
    from trainkit.writers.docx.oxml import make, qn

    later = {qn(f"w:{name}") for name in (
        "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
        "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")}
    for section in body.iter(qn("w:sectPr")):
        for old in section.findall(qn("w:lnNumType")):
            section.remove(old)
        numbering = make("w:lnNumType", {"w:countBy": 1, "w:restart": "newPage",
                                          "w:distance": 283})
        following = next((child for child in section if child.tag in later), None)
        if following is None:
            section.append(numbering)
        else:
            following.addprevious(numbering)


def set_custom_properties(document: Document, properties: dict[str, str]) -> None:
    """Write ``properties`` as the document's custom properties (text values)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2))
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}</Properties>')
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_TYPE, blob.encode("utf-8"), package)
    package.relate_to(part, CUSTOM_REL)
