"""Writes the DOCX of an edition: the reference emptied, then filled, the body streamed.

Everything a write needs is set up once here: style ids, numbering definitions, part
names and relationship ids, the bookmark plan. Body elements are appended to a detached
container in O(1) and written into the archive a piece at a time (``package.py``), so the
body of a large manual is never in memory whole; the other parts follow.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.numbering import NumberingPart

from trainkit.loading.resolver import ProjectResolver
from trainkit.model.edition import AssembledEdition
from trainkit.writers.docx.bookmarks import plan_edition
from trainkit.writers.docx.context import Kit, StyleIds, Story
from trainkit.writers.docx.edition import EditionWriter
from trainkit.writers.docx.footnotes import SEPARATOR_IDS, Footnotes
from trainkit.writers.docx.images import Images
from trainkit.writers.docx.numbering import ListNumbering
from trainkit.writers.docx.oxml import Element, make
from trainkit.writers.docx.package import COMPRESSION, BodyStream, write_parts
from trainkit.writers.docx.properties import (
    footnote_separators, set_core_properties, update_fields_on_open,
)
from trainkit.writers.docx.reference import (
    apply_page_size, empty_body, geometry, open_reference,
)
from trainkit.writers.docx.relations import PartLinks, PartNames
from trainkit.writers.docx.rtl import make_document_right_to_left, make_right_to_left
from trainkit.writers.docx.script_fonts import use_script_font
from trainkit.writers.docx.sections import Sections
from trainkit.writers.docx.styles import StyleBook
from trainkit.writers.docx.theme import apply_theme

if TYPE_CHECKING:
    from docx.document import Document
    from docx.parts.document import DocumentPart


@dataclass(slots=True)
class Written:
    """A DOCX as first written, with what filling in its contents needs: the body's
    stream (for its kept first piece) and the bookmark of each contents entry."""

    document: Document
    stream: BodyStream
    entries: list[str]


def numbering_root(part: DocumentPart, links: PartLinks) -> Element:
    """The ``w:numbering`` element of the document, with a new part if it has none."""
    for rel in part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            target = rel.target_part
            if isinstance(target, NumberingPart):
                return cast(Element, target.element)
    root = make("w:numbering")
    numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, root,
                              part.package)
    links.relate(numbering, RT.NUMBERING)
    return root


def write_document(edition: AssembledEdition, resolver: ProjectResolver,
                   reference_docx: Path | None, target: Path,
                   writer_class: Callable[[AssembledEdition, Kit], EditionWriter] = EditionWriter,
                   prepare: Callable[[Element], None] | None = None,
                   finish: Callable[[Document], None] | None = None) -> Written:
    """Write the whole edition as DOCX to ``target`` (a temporary path).

    ``writer_class``: a subclass of the edition writer, such as the review copy's
    ``AnchoringWriter``; ``prepare``: called on each piece of the body before it is
    written (the review copy numbers its sections' lines); ``finish``: called on the
    document once the body is written, before the other parts are (the review copy's
    custom properties).
    """
    document = open_reference(reference_docx)
    template = empty_body(document)
    if reference_docx is None:
        apply_page_size(template, edition.manifest.output.page_size)
    page = geometry(template)
    part = document.part
    links = PartLinks(part)
    names = PartNames(part.package)
    book = StyleBook(document.styles.element)
    ids = StyleIds(book)
    book.set_language(edition.language)
    if reference_docx is None:  # a reference document given is the user's own design
        apply_theme(document, book, ids, edition.manifest.theme, resolver, names, links)
    use_script_font(document, edition.language, names, links)
    rtl = edition.direction == "rtl"
    footnotes = Footnotes(part, links, names)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=COMPRESSION) as archive:
        stream = BodyStream(archive, document.element, _preparing(rtl, prepare))
        plan = plan_edition(edition)
        kit = Kit(ids, book, plan,
                  ListNumbering(numbering_root(part, links)), footnotes,
                  Images(resolver, names, page.height),
                  flush=lambda keep: stream.flush(keep=keep))
        writer = writer_class(edition, kit)
        sections = Sections(part.package, links, names, template, ids.header, ids.footer)
        try:
            final = writer.write(Story(stream.container, links), page.width, sections)
            stream.container.append(final)
            stream.close()
        except BaseException:
            stream.abandon()  # so that the archive can close and the error show
            raise
        settings = document.settings.element
        if not edition.compact:
            update_fields_on_open(settings)  # until the contents' page numbers are in
        if footnotes.created:
            footnote_separators(settings, SEPARATOR_IDS)
        set_core_properties(document, edition, edition.labels["draft"])
        if rtl:
            make_document_right_to_left(document, body=False)
        if finish is not None:
            finish(document)
        write_parts(archive, document)
    return Written(document, stream, [entry.bookmark for entry in plan.toc])


def _preparing(rtl: bool, prepare: Callable[[Element], None] | None,
               ) -> Callable[[Element], None] | None:
    """What is done to each piece of the body before it is written, if anything."""
    if not rtl:
        return prepare

    def both(piece: Element) -> None:
        make_right_to_left([piece])
        if prepare is not None:
            prepare(piece)
    return both

