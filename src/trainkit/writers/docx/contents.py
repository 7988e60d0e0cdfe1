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
from trainkit.writers.docx.oxml import add_text, qn
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
    toc = written.toc
    timeout = BASE_TIMEOUT + PER_MODULE_TIMEOUT * modules
    pages, count = bookmark_pages(office, path, [name for name, _ in toc.numbers], timeout)
    if toc.numbers and not pages:  # options given as JSON are ignored before 7.4
        raise OfficeFailed("LibreOffice exported no bookmarks (LibreOffice 7.4 or newer "
                           "is needed)")
    for name, result in toc.numbers:
        if name in pages:
            add_text(result, str(pages[name]))
    complete = len(pages) == len(toc.numbers)
    settings = written.document.settings.element
    if complete:  # nothing left for Word to update: it opens the file without asking
        if toc.begin is not None:
            toc.begin.attrib.pop(qn("w:dirty"), None)
        for update in settings.findall(qn("w:updateFields")):
            settings.remove(update)
    stream = written.stream
    piece = stream.serialize(stream.kept)
    rewritten = path.with_name(path.name + ".toc")
    try:
        rewrite(path, rewritten, len(stream.head), stream.kept_length, piece,
                {SETTINGS: serialize_part_xml(settings)})
        os.replace(rewritten, path)
    finally:
        rewritten.unlink(missing_ok=True)
    return count
