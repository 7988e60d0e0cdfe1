"""A reviewed DOCX, read as untrusted input: it comes back by e-mail.

Only the parts the review import needs are read (the document, its comments, the
comments' threads and done marks, the custom properties), straight from the ZIP archive
into memory, never extracted. Refused, each with a located ``ReviewFileRejected``:

- a file that is not a ZIP archive, or a ZIP archive that is not a Word document;
- an encrypted document (Word saves those as an OLE compound file, like an old ``.doc``);
- a macro-enabled document (a ``vbaProject`` part or a ``macroEnabled`` content type);
- a ZIP bomb: more than ``MAX_ENTRIES`` entries, more than ``MAX_TOTAL`` bytes
  uncompressed in all, a part over ``MAX_PART`` bytes, or one that expands more than
  ``MAX_RATIO`` times;
- XML with a document type declaration (entity expansion, external entities): lxml
  parses without resolving entities, without the network and without loading DTDs, and
  any ``<!DOCTYPE`` is refused before parsing.

Time and memory stay bounded by those caps; nothing outside the file is read.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from trainkit.errors import TrainkitError

#: The largest reviewed file read, compressed.
MAX_FILE = 50 * 1024 * 1024
#: Caps against ZIP bombs: entries, total and per-part uncompressed bytes, ratio.
MAX_ENTRIES = 2000
MAX_TOTAL = 200 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024
MAX_RATIO = 200
#: A part smaller than this is not checked for its ratio (tiny XML compresses well).
RATIO_FLOOR = 1024 * 1024

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADERS = (b"PK\x03\x04", b"PK\x05\x06")
MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)

#: The parts read, by their name in the archive.
DOCUMENT = "word/document.xml"
COMMENTS = "word/comments.xml"
COMMENTS_EXTENDED = "word/commentsExtended.xml"
CUSTOM = "docProps/custom.xml"
WANTED = (DOCUMENT, COMMENTS, COMMENTS_EXTENDED, CUSTOM)


class ReviewFileRejected(TrainkitError):
    """A reviewed file trainkit will not read; the message names the file and why."""


@dataclass(slots=True)
class ReviewedPackage:
    """The parsed parts of a reviewed DOCX that the import needs (absent parts missing)."""

    path: Path
    parts: dict[str, etree._Element] = field(default_factory=dict)

    def part(self, name: str) -> etree._Element | None:
        return self.parts.get(name)


def _rejected(path: Path, reason: str, part: str | None = None) -> ReviewFileRejected:
    where = f"{path}: {part}" if part else str(path)
    return ReviewFileRejected(f"{where}: {reason}")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def parse_xml(data: bytes, path: Path, part: str) -> etree._Element:
    """``data`` parsed safely; ``ReviewFileRejected`` for a DTD or XML that does not parse."""
    probe = data[:4096].replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in data.replace(b"\x00", b"").upper():
        raise _rejected(path, "XML with a document type declaration (DOCTYPE or ENTITY) "
                              "is refused: it can expand entities or reach other files", part)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise _rejected(path, f"not well-formed XML: {error}", part) from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _rejected(path, "XML with a document type declaration is refused", part)
    return root


def _check_header(path: Path) -> None:
    status = path.stat()  # a missing file: the OSError names it
    if not stat.S_ISREG(status.st_mode):
        raise _rejected(path, "not a regular file (a folder, a device or a pipe)")
    size = status.st_size
    with path.open("rb") as stream:
        head = stream.read(8)
    if size > MAX_FILE:
        raise _rejected(path, f"the file is {size // (1024 * 1024)} MB; a reviewed DOCX may "
                              f"be at most {MAX_FILE // (1024 * 1024)} MB")
    if head.startswith(OLE_HEADER):
        raise _rejected(path, "this is an encrypted (password-protected) document or an old "
                              "Word .doc file; ask the reviewer to remove the password, or to "
                              "save it as a Word document (.docx)")
    if not head.startswith(ZIP_HEADERS):
        raise _rejected(path, "not a Word document (.docx): it is not a ZIP package")


def _check_entries(path: Path, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _rejected(path, f"the package holds {len(entries)} entries (at most "
                              f"{MAX_ENTRIES}): refused as a possible ZIP bomb")
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > MAX_PART:
            raise _rejected(path, f"expands to {info.file_size} bytes (at most {MAX_PART}): "
                                  "refused as a possible ZIP bomb", info.filename)
        if info.file_size > RATIO_FLOOR and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _rejected(path, f"compressed {info.file_size // max(info.compress_size, 1)} "
                                  f"to 1 (at most {MAX_RATIO} to 1): refused as a possible ZIP "
                                  "bomb", info.filename)
        if "vbaproject" in info.filename.lower():
            raise _rejected(path, "a macro-enabled document (.docm, it holds a VBA project) "
                                  "is refused; ask for it saved as a Word document (.docx)",
                            info.filename)
    if total > MAX_TOTAL:
        raise _rejected(path, f"expands to {total} bytes in all (at most {MAX_TOTAL}): "
                              "refused as a possible ZIP bomb")


def _read(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of ``name``, never more than its declared size (and ``MAX_PART``)."""
    info = archive.getinfo(name)
    with archive.open(info) as stream:
        data = stream.read(min(info.file_size, MAX_PART) + 1)
    if len(data) > min(info.file_size, MAX_PART):
        raise _rejected(path, "holds more data than its header declares", name)
    return data


def _check_content_types(path: Path, archive: zipfile.ZipFile, names: set[str]) -> None:
    for needed in ("[Content_Types].xml", DOCUMENT):
        if needed not in names:
            raise _rejected(path, f"not a Word document (.docx): the ZIP package has no {needed}")
    types = parse_xml(_read(path, archive, "[Content_Types].xml"), path, "[Content_Types].xml")
    declared = [element.get("ContentType", "") for element in types]
    if any("macroenabled" in kind.lower() or "vbaproject" in kind.lower()
           for kind in declared):
        raise _rejected(path, "a macro-enabled document (.docm) is refused; ask for it saved "
                              "as a Word document (.docx)", "[Content_Types].xml")
    main = [element.get("ContentType", "") for element in types
            if element.get("PartName", "").lstrip("/") == DOCUMENT]
    if main and main[0] not in MAIN_TYPES:
        raise _rejected(path, f"not a Word document: its main part is `{main[0]}`",
                        "[Content_Types].xml")


def read_reviewed_docx(path: Path) -> ReviewedPackage:
    """The parts of the reviewed DOCX at ``path`` the import needs, checked and parsed."""
    _check_header(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_entries(path, archive)
            names = {info.filename for info in archive.infolist()}
            _check_content_types(path, archive, names)
            package = ReviewedPackage(path)
            for name in WANTED:
                if name in names:
                    package.parts[name] = parse_xml(_read(path, archive, name), path, name)
            return package
    except zipfile.BadZipFile as error:
        raise _rejected(path, f"not a Word document (.docx): a damaged ZIP package ({error})") \
            from error
    except (RuntimeError, NotImplementedError, zipfile.LargeZipFile) as error:
        # zipfile raises RuntimeError for encrypted entries, NotImplementedError for
        # compression methods it does not know
        raise _rejected(path, f"cannot be read: {error}") from error
