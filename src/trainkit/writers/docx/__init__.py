"""The DOCX writer: an assembled edition as a Word document with real styles.

``trainkit.commands.build`` imports this package only when a DOCX edition is built, so python-docx
(imported only in this package) costs nothing otherwise. The pieces, one per module:

- ``reference``: the reference document (default or ``--reference-docx``), emptied;
- ``styles``, ``numbering``, ``footnotes``, ``sections``, ``images``, ``properties``,
  ``relations``, ``fields``, ``tables``, ``oxml``, ``rtl``, ``fonts``: small OOXML
  helpers, each built once per document and each O(1) per use;
- ``bookmarks``: bookmark names and the table of contents, decided before writing;
- ``inlines``, ``blocks``, ``edition``: one method per node type, then the structure;
- ``document``, ``package``: the document set up, its body streamed into the archive;
- ``contents``, ``office``: the contents' page numbers from a LibreOffice layout;
- ``agenda``: the agenda's timetable on the same reference, styles and tables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.loading.resolver import ProjectResolver
from trainkit.model.edition import AssembledEdition
from trainkit.runtime import gc_paused

if TYPE_CHECKING:
    from trainkit.writers.docx.document import Written

__all__ = ["TOC_MODES", "TocMode", "write_docx"]

#: ``update``: the contents' page numbers filled in from a LibreOffice layout (the
#: default when LibreOffice is installed); ``fields``: left for Word to update on opening.
TocMode = Literal["update", "fields"]
TOC_MODES: tuple[TocMode, ...] = ("update", "fields")
#: By default, editions of more modules leave the page numbers to Word: LibreOffice's
#: layout grows faster than the document (about 30 s of CPU at 200 modules, 50 s at 300,
#: many minutes at 1,000); ``toc="update"`` waits for it whatever the size.
AUTO_UPDATE_MODULES = 300


def write_docx(edition: AssembledEdition, resolver: ProjectResolver, target: Path, *,
               reference_docx: Path | None = None, toc: TocMode | None = None,
               notice: Callable[[str], None] | None = None) -> int | None:
    """Write ``edition`` as DOCX to ``target`` atomically; the page count is unknown (None).

    ``toc`` says how the contents get their page numbers (None: ``update`` when
    LibreOffice is installed and the edition has at most ``AUTO_UPDATE_MODULES``
    modules); when they cannot be filled in, ``notice`` is told why in one line and Word
    is left to do it. ``RenderError`` when anything fails (a bad
    reference document, an image that cannot be embedded...); the previous ``target`` is
    then left untouched.
    """
    from trainkit.writers.docx.document import write_document

    try:
        with atomic_target(target) as temporary:
            with gc_paused():  # many short-lived objects, no cycles: 5% of the time
                written = write_document(edition, resolver, reference_docx, temporary)
            if toc != "fields" and not edition.compact:
                _fill_in_page_numbers(written, temporary, len(edition.modules),
                                      target.name, notice, asked=toc == "update")
    except RenderError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds; all mean failure
        raise RenderError(f"{target.name}: writing the DOCX failed: {error}") from error
    return None


def _fill_in_page_numbers(written: Written, path: Path, modules: int, name: str,
                          notice: Callable[[str], None] | None, *, asked: bool) -> None:
    """Fill in the contents' page numbers, or tell ``notice`` why they are left to Word
    (``asked``: the caller asked for ``update``, whatever the edition's size)."""
    from trainkit.writers.docx.contents import fill_in_page_numbers
    from trainkit.writers.docx.office import OfficeFailed, find_office

    office = find_office()
    reason = "LibreOffice (soffice) is not installed"
    if office is not None and not asked and modules > AUTO_UPDATE_MODULES:
        office = None
        reason = (f"{modules} modules: LibreOffice would take many minutes to lay them out; "
                  "--docx-toc update waits for it")
    if office is not None:
        try:
            fill_in_page_numbers(written, path, office, modules)
            return
        except OfficeFailed as failure:
            reason = str(failure)
    if notice is not None:
        notice(f"{name}: the contents' page numbers are left for Word to fill in "
               f"({reason})")
