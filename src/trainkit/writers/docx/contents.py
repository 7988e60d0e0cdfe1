"""The contents' page numbers: filled in from LibreOffice's layout, or left to Word.

A DOCX is first written as Word gets it without any layout: the contents' entries with
empty page numbers, the TOC field marked dirty and ``w:updateFields`` set, so that Word
offers to update it on opening. With ``update`` (the default when LibreOffice is
installed), LibreOffice lays that file out (``office.py``), each entry gets the page its
bookmark falls on, and the file is written again with only the cover-and-contents piece
of its body and its settings changed: nothing is left for Word to update, so it opens
without asking. If LibreOffice is missing or fails, the first file is kept as it is.

The contents' styles keep the page numbers in a right indent of their own, so numbers
filled in after the layout cannot make an entry wrap and move the pages that follow.
"""

from __future__ import annotations

import os
from pathlib import Path

from docx.opc.oxml import serialize_part_xml

from trainkit.writers.docx.document import Written
from trainkit.writers.docx.office import OfficeFailed, bookmark_pages
from trainkit.writers.docx.oxml import Element, add_text, qn
from trainkit.writers.docx.package import SETTINGS, rewrite

#: Seconds LibreOffice may take: a start-up allowance, then per module of the edition
#: (about 0.1 s of CPU per module at 100 modules, 0.16 at 300, and growing: 1,000
#: modules took 28 minutes on a busy two-core machine).
BASE_TIMEOUT = 120.0
PER_MODULE_TIMEOUT = 3.0


def fill_in_page_numbers(written: Written, path: Path, office: str, modules: int) -> int:
    """Rewrite the DOCX at ``path`` with the contents' page numbers LibreOffice gives;
    the number of pages it laid out. :class:`OfficeFailed` (and ``path`` untouched) if
    LibreOffice cannot lay the file out."""
    timeout = BASE_TIMEOUT + PER_MODULE_TIMEOUT * modules
    pages, count = bookmark_pages(office, path, written.entries, timeout)
    if written.entries and not pages:  # options given as JSON are ignored before 7.4
        raise OfficeFailed("LibreOffice exported no bookmarks (LibreOffice 7.4 or newer "
                           "is needed)")
    stream = written.stream
    elements = stream.parse(stream.kept)
    complete = number_entries(elements, pages)
    settings = written.document.settings.element
    if complete:  # nothing left for Word to update: it opens the file without asking
        for update in settings.findall(qn("w:updateFields")):
            settings.remove(update)
    rewritten = path.with_name(path.name + ".toc")
    try:
        rewrite(path, rewritten, len(stream.head), len(stream.kept),
                stream.serialize(elements), {SETTINGS: serialize_part_xml(settings)})
        os.replace(rewritten, path)
    finally:
        rewritten.unlink(missing_ok=True)
    return count


def number_entries(elements: list[Element], pages: dict[str, int]) -> bool:
    """Write each PAGEREF field's page among ``elements`` into its result, and whether
    every one had a page; then the TOC field is no longer marked for Word to update."""
    pending: str | None = None
    complete = True
    begin: Element | None = None
    for element in elements:
        for node in element.iter(_FIELD_CHAR, _INSTRUCTION):
            if node.tag == _INSTRUCTION:
                words = (node.text or "").split()
                pending = words[1] if len(words) > 1 and words[0] == "PAGEREF" else None
            elif node.get(_KIND) == "begin" and node.get(_DIRTY) is not None:
                begin = node
            elif node.get(_KIND) == "separate" and pending is not None:
                result = node.getparent().getnext()
                if pending in pages and result is not None and result.tag == _RUN:
                    add_text(result, str(pages[pending]))
                else:
                    complete = False
                pending = None
    if complete and begin is not None:
        begin.attrib.pop(_DIRTY)
    return complete


_FIELD_CHAR, _INSTRUCTION, _RUN = qn("w:fldChar"), qn("w:instrText"), qn("w:r")
_KIND, _DIRTY = qn("w:fldCharType"), qn("w:dirty")
