"""Builds the python-docx document of an edition: the reference emptied, then filled.

Everything a write needs is set up once here: style ids, numbering definitions, part
names and relationship ids, the bookmark plan. Body elements are appended to the body
in O(1) with the final ``w:sectPr`` detached until the end (python-docx's
``add_paragraph`` would scan the body for it on every paragraph).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.numbering import NumberingPart

from trainkit.model.edition import AssembledEdition
from trainkit.loading.resolver import ProjectResolver
from trainkit.writers.docx.context import Kit, StyleIds, Story
from trainkit.writers.docx.edition import EditionWriter
from trainkit.writers.docx.footnotes import SEPARATOR_IDS, Footnotes
from trainkit.writers.docx.images import Images
from trainkit.writers.docx.numbering import ListNumbering
from trainkit.writers.docx.oxml import Element, make
from trainkit.writers.docx.bookmarks import plan_edition
from trainkit.writers.docx.properties import (
    footnote_separators, set_core_properties, update_fields_on_open,
)
from trainkit.writers.docx.reference import (
    apply_page_size, empty_body, geometry, open_reference,
)
from trainkit.writers.docx.relations import PartLinks, PartNames
from trainkit.writers.docx.sections import Sections
from trainkit.writers.docx.styles import StyleBook

if TYPE_CHECKING:
    from docx.document import Document
    from docx.parts.document import DocumentPart


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


def build_document(edition: AssembledEdition, resolver: ProjectResolver,
                   reference_docx: Path | None,
                   writer_class: Callable[[AssembledEdition, Kit], EditionWriter] = EditionWriter,
                   ) -> Document:
    """The whole edition as a python-docx document, ready to save (``writer_class``: a
    subclass of the edition writer, such as the review copy's ``AnchoringWriter``)."""
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
    footnotes = Footnotes(part, links, names)
    kit = Kit(ids, book, plan_edition(edition), ListNumbering(numbering_root(part, links)),
              footnotes, Images(resolver, names, page.height))
    writer = writer_class(edition, kit)
    sections = Sections(part.package, links, names, template, ids.header, ids.footer)
    body = document.element.body
    final = writer.write(Story(body, links), page.width, sections)
    body.append(final)
    settings = document.settings.element
    update_fields_on_open(settings)
    if footnotes.created:
        footnote_separators(settings, SEPARATOR_IDS)
    set_core_properties(document, edition, edition.labels["draft"])
    if edition.direction == "rtl":
        _right_to_left(document)
    return document


def _right_to_left(document: Document) -> None:
    """Mark the body, headers, footers and footnotes right-to-left, and the styles too."""
    from trainkit.writers.docx.rtl import make_right_to_left, make_styles_right_to_left

    roots = [document.element]
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if any(kind in name for kind in ("/header", "/footer", "/footnotes")):
            element = getattr(part, "element", None)
            if element is None:
                element = getattr(part, "_element", None)
            if element is not None:
                roots.append(element)
    make_right_to_left(roots)
    make_styles_right_to_left(document.styles.element)
