"""The reference document every DOCX edition starts from, like pandoc's reference.docx.

The output is a copy of the reference with its body content removed: its styles, theme,
fonts, numbering and page setup stay; its text, notes, comments, headers and footers go.
Without ``--reference-docx`` the default shipped in ``trainkit/resources/reference.docx``
is used (``make_reference.py`` generates it) and the manifest's page size applied.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart

from trainkit.errors import RenderError
from trainkit.writers.docx.oxml import Element, make, parse, qn

if TYPE_CHECKING:
    from docx.document import Document

MAX_REFERENCE_BYTES = 50 * 1024 * 1024
DEFAULT_TEXT_WIDTH = 9638  # twips: A4 with 20 mm margins

#: Paper sizes of ``output.page_size`` in twips (width, height).
PAPER: dict[str, tuple[int, int]] = {
    "A4": (11906, 16838), "A5": (8391, 11906), "letter": (12240, 15840), "legal": (12240, 20160),
}
#: The margins of the print CSS (22 mm top and bottom, 20 mm left and right) in twips.
MARGINS = {"w:top": 1247, "w:bottom": 1247, "w:left": 1134, "w:right": 1134,
           "w:header": 680, "w:footer": 680, "w:gutter": 0}

_NOTE_KEEP = {"separator", "continuationSeparator", "continuationNotice"}
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True, slots=True)
class Geometry:
    """The text block of a page, in twips."""

    width: int
    height: int


def default_reference_bytes() -> bytes:
    """The reference document shipped in the package."""
    return resources.files("trainkit").joinpath("resources", "reference.docx").read_bytes()


def read_reference(path: Path | None) -> bytes:
    """The bytes of the reference document, or ``RenderError`` saying what is wrong."""
    if path is None:
        return default_reference_bytes()
    where = f"reference DOCX `{path}`"
    try:
        if not path.is_file():
            raise RenderError(f"{where} does not exist or is not a file")
        if path.stat().st_size > MAX_REFERENCE_BYTES:
            raise RenderError(f"{where} is larger than {MAX_REFERENCE_BYTES // 2**20} MiB")
        return path.read_bytes()
    except OSError as error:
        raise RenderError(f"{where} cannot be read: {error.strerror}") from None


def open_reference(path: Path | None) -> Document:
    """The reference as a python-docx document; ``RenderError`` if it is not one."""
    import docx

    blob = read_reference(path)
    where = f"reference DOCX `{path}`" if path else "the default reference DOCX"
    if not zipfile.is_zipfile(io.BytesIO(blob)):
        raise RenderError(f"{where} is not a Word document: a .docx file is a ZIP archive")
    try:
        return docx.Document(io.BytesIO(blob))
    except PackageNotFoundError as error:
        raise RenderError(f"{where} is not a Word document: {error}") from None
    except ValueError as error:
        raise RenderError(f"{where} is not a Word document (.docx): {error}; save it from "
                          "Word as a Word Document (*.docx)") from None
    except (KeyError, zipfile.BadZipFile, OSError) as error:
        raise RenderError(f"{where} is not a Word document: {error}") from None
    except Exception as error:  # malformed XML inside the package, and the like
        raise RenderError(f"{where} is damaged: {error}") from None


def empty_body(document: Document) -> Element:
    """Remove the reference's body content and return its final ``w:sectPr``, detached.

    Relationships only that content used (images, links, headers, footers) go with it,
    and so do the reference's comments and the notes its text called.
    """
    body: Element = document.element.body
    section: Element | None = body.find(qn("w:sectPr"))
    used: set[str] = set()
    for child in list(body):
        if child is not section:
            used.update(_relationship_ids(child))
        body.remove(child)
    if section is None:
        section = make("w:sectPr")
    for reference in section.findall(qn("w:headerReference")) + section.findall(
            qn("w:footerReference")):
        used.add(reference.get(qn("r:id")) or "")
        section.remove(reference)
    for tag in ("w:titlePg", "w:type"):
        for child in section.findall(qn(tag)):
            section.remove(child)
    rels = document.part.rels
    for rid in used:
        rels.pop(rid, None)
        rels.related_parts.pop(rid, None)
    _drop_comments(document)
    _clean_notes(document)
    return section


def _relationship_ids(element: Element) -> set[str]:
    found: set[str] = set()
    for node in element.iter():
        for key, value in node.attrib.items():
            if key.startswith(f"{{{_R}}}"):
                found.add(value)
    return found


def _drop_comments(document: Document) -> None:
    rels = document.part.rels
    for rid, rel in list(rels.items()):
        if "comments" in rel.reltype.rsplit("/", 1)[-1].lower():
            rels.pop(rid, None)
            rels.related_parts.pop(rid, None)


def _clean_notes(document: Document) -> None:
    """Keep only the separator notes of the reference's footnotes and endnotes parts."""
    rels = document.part.rels
    kinds = {RT.FOOTNOTES: CT.WML_FOOTNOTES, RT.ENDNOTES: CT.WML_ENDNOTES}
    for rid, rel in list(rels.items()):
        if rel.is_external or rel.reltype not in kinds:
            continue
        old = rel.target_part
        root = old.element if isinstance(old, XmlPart) else parse(old.blob)
        for note in list(root):
            if note.get(qn("w:type")) not in _NOTE_KEEP:
                root.remove(note)
        part = XmlPart(old.partname, kinds[rel.reltype], root, document.part.package)
        rels.add_relationship(rel.reltype, part, rid)


def apply_page_size(section: Element, page_size: str) -> None:
    """Set the paper size and margins of the print CSS on ``section``."""
    width, height = PAPER.get(page_size, PAPER["A4"])
    for tag in ("w:pgSz", "w:pgMar"):
        for child in section.findall(qn(tag)):
            section.remove(child)
    size = make("w:pgSz", {"w:w": width, "w:h": height})
    margins = make("w:pgMar", MARGINS)
    successor = None
    for tag in ("w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
                "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings"):
        successor = section.find(qn(tag))
        if successor is not None:
            break
    if successor is None:
        section.append(size)
        section.append(margins)
    else:
        successor.addprevious(size)
        successor.addprevious(margins)


def geometry(section: Element) -> Geometry:
    """The text block of ``section``'s pages."""
    size = section.find(qn("w:pgSz"))
    margins = section.find(qn("w:pgMar"))
    if size is None or margins is None:
        return Geometry(DEFAULT_TEXT_WIDTH, 13000)

    def number(element: Element, name: str, default: int) -> int:
        value = element.get(qn(f"w:{name}"))
        try:
            return int(float(value)) if value is not None else default
        except ValueError:
            return default

    width = (number(size, "w", 11906) - number(margins, "left", 1440)
             - number(margins, "right", 1440) - number(margins, "gutter", 0))
    height = (number(size, "h", 16838) - abs(number(margins, "top", 1440))
              - abs(number(margins, "bottom", 1440)))
    return Geometry(max(width, 1440), max(height, 1440))
