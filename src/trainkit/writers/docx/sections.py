"""Sections, running headers and page-number footers.

A section's properties (``w:sectPr``) close it: in the ``w:pPr`` of its last paragraph,
or as the body's last child for the final section. Every module is a section starting on
a new page (``w:type nextPage``) with its title in its own header part. The footer with
the ``PAGE`` field is defined once, by the first module section; later sections inherit
it (Word's "Link to Previous"). The cover section has neither; a section opening with a
part page gets an empty first-page header and footer (``w:titlePg``).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.parts.hdrftr import FooterPart, HeaderPart

from trainkit.writers.docx.fields import field
from trainkit.writers.docx.oxml import (
    Element, add_text, first_child, last_child, make, paragraph, qn, run, sub,
)
from trainkit.writers.docx.relations import PartLinks, PartNames

if TYPE_CHECKING:
    from docx.package import Package

#: Children of ``w:sectPr`` that follow ``w:type`` / ``w:titlePg`` in schema order.
_AFTER_TYPE = ("w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType",
               "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
               "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")
_AFTER_TITLE_PAGE = ("w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                     "w:printerSettings", "w:sectPrChange")


def _insert_before(parent: Element, element: Element, successors: tuple[str, ...]) -> None:
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(element)
            return
    parent.append(element)


class Sections:
    """Makes section properties and their header and footer parts."""

    def __init__(self, package: Package, links: PartLinks, names: PartNames,
                 template: Element, header_style: str, footer_style: str) -> None:
        self._package = package
        self._links = links
        self._names = names
        self._template = template
        self._header_style = header_style
        self._footer_style = footer_style

    def header(self, text: str) -> str:
        """The relationship id of a new header part showing ``text``."""
        root = make("w:hdr")
        if text:
            add_text(run(paragraph(root, self._header_style)), text)
        else:
            paragraph(root)  # an empty first-page header: no style, so no rule either
        part = HeaderPart(self._names.next("/word/header%d.xml"), CT.WML_HEADER, root,
                          self._package)
        return self._links.add(part, RT.HEADER)

    def footer(self, prefix: str = "", *, page_number: bool = True) -> str:
        """The relationship id of a new footer part: ``prefix`` and the page number."""
        root = make("w:ftr")
        p = paragraph(root, self._footer_style)
        if prefix:
            add_text(run(p), prefix)
        if page_number:
            field(p, "PAGE", "1")
        part = FooterPart(self._names.next("/word/footer%d.xml"), CT.WML_FOOTER, root,
                          self._package)
        return self._links.add(part, RT.FOOTER)

    def properties(self, *, new_page: bool, header: str | None = None,
                   footer: str | None = None, first_page: tuple[str, str] | None = None
                   ) -> Element:
        """A ``w:sectPr`` with the reference's page setup and the given references."""
        section: Element = copy.deepcopy(self._template)
        references: list[Element] = []
        if header:
            references.append(make("w:headerReference", {"w:type": "default", "r:id": header}))
        if first_page:
            references.append(
                make("w:headerReference", {"w:type": "first", "r:id": first_page[0]}))
        if footer:
            references.append(make("w:footerReference", {"w:type": "default", "r:id": footer}))
        if first_page:
            references.append(
                make("w:footerReference", {"w:type": "first", "r:id": first_page[1]}))
        for index, reference in enumerate(references):
            section.insert(index, reference)
        if new_page:
            _insert_before(section, make("w:type", {"w:val": "nextPage"}), _AFTER_TYPE)
        if first_page:
            _insert_before(section, make("w:titlePg"), _AFTER_TITLE_PAGE)
        return section


def close_section(container: Element, properties: Element) -> None:
    """End the section at the end of ``container`` with ``properties``.

    The properties go into the last paragraph when it is a plain one; after a table (or a
    paragraph that already ends a section) an empty paragraph carries them.
    """
    last = last_child(container)
    if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") \
            is not None:
        last = sub(container, "w:p")
    first = first_child(last)
    if first is None or first.tag != qn("w:pPr"):
        first = make("w:pPr")
        last.insert(0, first)
    change = first.find(qn("w:pPrChange"))
    if change is not None:
        change.addprevious(properties)
    else:
        first.append(properties)

