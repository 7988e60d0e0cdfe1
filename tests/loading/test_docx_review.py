"""A reviewed DOCX is untrusted: each kind of bad file is refused with its own message."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from trainkit.loading import docx_review
from trainkit.loading.docx_review import (
    OLE_HEADER, ReviewFileRejected, parse_xml, read_reviewed_docx,
)

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="{main}"/></Types>')
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCUMENT = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p>'
            '</w:body></w:document>')


def package(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def docx(path: Path, **extra: str | bytes) -> Path:
    parts: dict[str, str | bytes] = {"[Content_Types].xml": CONTENT_TYPES.format(main=MAIN),
                                     "word/document.xml": DOCUMENT}
    parts.update({name.replace("__", "/").replace("_xml", ".xml"): data
                  for name, data in extra.items()})
    return package(path, parts)


def refused(path: Path) -> str:
    with pytest.raises(ReviewFileRejected) as caught:
        read_reviewed_docx(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    return message


def test_a_sound_file_is_read(tmp_path: Path) -> None:
    read = read_reviewed_docx(docx(tmp_path / "ok.docx"))
    assert read.part("word/document.xml") is not None


def test_not_a_docx(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_text("Dear author, ...", encoding="utf-8")
    assert "not a Word document (.docx): it is not a ZIP package" in refused(
        tmp_path / "notes.docx")
    other = package(tmp_path / "other.docx", {"hello.txt": "hi"})
    assert "the ZIP package has no [Content_Types].xml" in refused(other)


def test_an_encrypted_document(tmp_path: Path) -> None:
    (tmp_path / "secret.docx").write_bytes(OLE_HEADER + b"\0" * 512)
    assert "encrypted (password-protected)" in refused(tmp_path / "secret.docx")


def test_a_macro_enabled_document(tmp_path: Path) -> None:
    with_project = docx(tmp_path / "macro.docx", word__vbaProject_bin=b"\0" * 10)
    assert "macro-enabled document (.docm" in refused(with_project)
    types = CONTENT_TYPES.format(main="application/vnd.ms-word.document.macroEnabled.main+xml")
    by_type = package(tmp_path / "macro2.docx", {"[Content_Types].xml": types,
                                                 "word/document.xml": DOCUMENT})
    assert "[Content_Types].xml: a macro-enabled document (.docm)" in refused(by_type)


def test_a_zip_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = docx(tmp_path / "bomb.docx", word__comments_xml=b" " * (3 * 1024 * 1024))
    assert "word/comments.xml: compressed" in refused(bomb)
    assert "refused as a possible ZIP bomb" in refused(bomb)
    monkeypatch.setattr(docx_review, "MAX_ENTRIES", 3)
    many = docx(tmp_path / "many.docx", **{f"word__x{n}_xml": "<x/>" for n in range(3)})
    assert "the package holds 5 entries (at most 3)" in refused(many)
    monkeypatch.setattr(docx_review, "MAX_TOTAL", 100)
    assert "bytes in all (at most 100)" in refused(docx(tmp_path / "big.docx"))


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  '<w:comments xmlns:w="x">&lol2;</w:comments>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<w:comments xmlns:w="x">&e;</w:comments>')


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL], ids=["expansion", "external"])
def test_xml_with_a_doctype(tmp_path: Path, xml: str) -> None:
    bad = docx(tmp_path / "dtd.docx", word__comments_xml=xml)
    message = refused(bad)
    assert "word/comments.xml: XML with a document type declaration" in message
    assert "root:" not in message


def test_utf16_xml_with_a_doctype_is_refused_too(tmp_path: Path) -> None:
    with pytest.raises(ReviewFileRejected, match="document type declaration"):
        parse_xml(EXTERNAL.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                  .encode("utf-16"), tmp_path / "x.docx", "word/comments.xml")


def test_xml_that_is_not_well_formed(tmp_path: Path) -> None:
    bad = docx(tmp_path / "broken.docx", word__comments_xml="<w:comments>")
    assert "word/comments.xml: not well-formed XML" in refused(bad)


def test_not_a_regular_file(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.docx")  # reading it would wait for ever
    assert "not a regular file" in refused(tmp_path / "pipe.docx")
    with pytest.raises(FileNotFoundError):
        read_reviewed_docx(tmp_path / "missing.docx")
