"""The contents' page numbers: filled in from a LibreOffice layout, or left for Word.

Most tests stand LibreOffice in with a fake (a shell script, or a stub of
``bookmark_pages``); the tests marked slow run the real one, when it is installed, and
check the result in the PDF it makes of the written file.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx.document import Document
from docx.oxml.ns import qn

from trainkit.commands.build import BuildOptions, build_edition
from trainkit.writers.docx import TocMode, contents, office, write_docx
from trainkit.writers.docx.office import (
    OfficeFailed, bookmark_pages, destination_key, read_destinations, run_office,
)

from .test_writer import REPOSITORY, edition_of, make_project, open_docx, style_name

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def toc_entries(document: Document) -> list[tuple[str, str, str]]:
    """(style, entry text, page number) of each line of the contents."""
    entries = []
    for paragraph in document.paragraphs:
        if style_name(paragraph).startswith("toc "):
            text, _, page = paragraph.text.partition("\t")
            entries.append((style_name(paragraph), text, page))
    return entries


def toc_field_begin(document: Document) -> object:
    return next(c for c in document.element.body.iter(qn("w:fldChar"))
                if c.get(qn("w:fldCharType")) == "begin")


@pytest.fixture()
def written(tmp_path: Path) -> Callable[..., Path]:
    """``written(toc, notices)``: the fixture project's trainer edition as DOCX."""
    root = make_project(tmp_path / "project")
    assembled, project = edition_of(root)

    def write(toc: TocMode | None, notices: list[str] | None = None,
              name: str = "edition.docx") -> Path:
        target = tmp_path / "out" / name
        write_docx(assembled, project.resolver, target,  # type: ignore[attr-defined]
                   toc=toc, notice=None if notices is None else notices.append)
        return target

    return write


def test_fields_leave_the_numbers_to_word(written: Callable[..., Path]) -> None:
    notices: list[str] = []
    document = open_docx(written("fields", notices))
    assert notices == []
    assert {page for _, _, page in toc_entries(document)} == {""}
    assert toc_field_begin(document).get(qn("w:dirty")) == "true"  # type: ignore[attr-defined]
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_update_fills_in_the_numbers_and_changes_nothing_else(
        written: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.docx import edition

    monkeypatch.setattr(edition, "CONTENTS_SLICE", 3)  # the contents written in slices
    fields = written("fields", name="fields.docx")

    def pages(program: str, docx: Path, names: list[str],
              timeout: float | None = None) -> tuple[dict[str, int], int]:
        assert program == "/opt/office" and timeout is not None and timeout >= 120
        assert zipfile.is_zipfile(docx)  # the file as first written, complete
        return {name: 3 + index for index, name in enumerate(names)}, 40

    monkeypatch.setattr(office, "find_office", lambda: "/opt/office")
    monkeypatch.setattr(contents, "bookmark_pages", pages)
    notices: list[str] = []
    path = written("update", notices, "updated.docx")
    assert notices == []
    document = open_docx(path)
    entries = toc_entries(document)
    assert len(entries) == 10
    assert [page for _, _, page in entries] == [str(3 + i) for i in range(len(entries))]
    assert toc_field_begin(document).get(qn("w:dirty")) is None  # type: ignore[attr-defined]
    assert document.settings.element.find(qn("w:updateFields")) is None
    with zipfile.ZipFile(fields) as before, zipfile.ZipFile(path) as after:
        assert sorted(before.namelist()) == sorted(after.namelist())
        for name in before.namelist():
            if name not in ("word/document.xml", "word/settings.xml"):
                assert before.read(name) == after.read(name), name
        old, new = before.read("word/document.xml"), after.read("word/document.xml")
    cut = old.index(b'w:name="module_intro"')
    assert old[cut:] == new[new.index(b'w:name="module_intro"'):]  # the body after it
    assert not list(path.parent.glob("*.toc")) and not list(path.parent.glob(".*.part"))


def test_without_libreoffice_the_numbers_are_left_with_a_notice(
        written: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_office", lambda: None)
    notices: list[str] = []
    document = open_docx(written(None, notices))
    assert len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith("edition.docx: the contents' page numbers are left for Word")
    assert "not installed" in notices[0]
    assert document.settings.element.find(qn("w:updateFields")) is not None


def test_by_default_a_very_large_edition_leaves_the_numbers_to_word(
        written: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import trainkit.writers.docx as writer

    def pages(program: str, docx: Path, names: list[str],
              timeout: float | None = None) -> tuple[dict[str, int], int]:
        return {name: 5 for name in names}, 9

    monkeypatch.setattr(office, "find_office", lambda: "/opt/office")
    monkeypatch.setattr(contents, "bookmark_pages", pages)
    monkeypatch.setattr(writer, "AUTO_UPDATE_MODULES", 2)  # the fixture has 3 modules
    notices: list[str] = []
    document = open_docx(written(None, notices))
    assert len(notices) == 1 and "3 modules" in notices[0]
    assert "--docx-toc update" in notices[0]
    assert {page for _, _, page in toc_entries(document)} == {""}
    asked = open_docx(written("update", notices, "asked.docx"))  # asked: done anyway
    assert {page for _, _, page in toc_entries(asked)} == {"5"} and len(notices) == 1


def test_a_failing_libreoffice_leaves_the_fields_with_a_notice(
        written: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> tuple[dict[str, int], int]:
        raise OfficeFailed("LibreOffice took longer than 5 s")

    monkeypatch.setattr(office, "find_office", lambda: "/opt/office")
    monkeypatch.setattr(contents, "bookmark_pages", failing)
    notices: list[str] = []
    document = open_docx(written("update", notices))
    assert notices == ["edition.docx: the contents' page numbers are left for Word to fill "
                       "in (LibreOffice took longer than 5 s)"]
    assert {page for _, _, page in toc_entries(document)} == {""}


def test_an_office_that_exports_no_bookmarks_is_too_old(
        written: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_office", lambda: "/opt/office")
    monkeypatch.setattr(contents, "bookmark_pages", lambda *args, **kwargs: ({}, 12))
    notices: list[str] = []
    document = open_docx(written("update", notices))
    assert len(notices) == 1 and "7.4 or newer" in notices[0]
    assert document.settings.element.find(qn("w:updateFields")) is not None


def test_the_office_program_comes_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINKIT_SOFFICE", "")
    assert office.find_office() is None
    monkeypatch.setenv("TRAINKIT_SOFFICE", "/somewhere/soffice")
    assert office.find_office() == "/somewhere/soffice"
    monkeypatch.delenv("TRAINKIT_SOFFICE")
    assert office.find_office() == SOFFICE


# -- running LibreOffice ---------------------------------------------------------------


def fake_office(folder: Path, script: str) -> str:
    path = folder / "fake-soffice"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_slow_office_is_killed_with_its_children(tmp_path: Path) -> None:
    program = fake_office(tmp_path, f"sleep 60 &\necho $! > {tmp_path}/child\nsleep 60\n")
    started = time.monotonic()
    with pytest.raises(OfficeFailed, match="took longer than 1 s"):
        run_office(program, tmp_path / "in.docx", tmp_path, timeout=1)
    assert time.monotonic() - started < 20
    child = int((tmp_path / "child").read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "a process LibreOffice started outlived it"


def test_office_runs_with_a_private_profile_that_goes_afterwards(tmp_path: Path) -> None:
    program = fake_office(tmp_path, f'echo "$@" > {tmp_path}/arguments\nexit 3\n')
    source = tmp_path / "edition.docx"
    source.write_bytes(b"PK")
    with pytest.raises(OfficeFailed, match="exited with status 3"):
        bookmark_pages(program, source, ["a"], timeout=30)
    arguments = (tmp_path / "arguments").read_text()
    profile = re.search(r"-env:UserInstallation=file://(/\S+)", arguments)
    assert profile is not None and "trainkit-office-" in profile.group(1)
    assert not Path(profile.group(1)).exists()
    assert "--headless" in arguments and "ExportBookmarksToPDFDestination" in arguments


def test_bookmark_pages_come_from_the_pdf_destinations(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(200, 200)
    writer.add_named_destination(destination_key("module_intro"), 2)
    writer.add_named_destination(destination_key("b_2_x"), 3)
    writer.add_named_destination(destination_key("b_2x"), 0)
    with open(tmp_path / "edition.pdf", "wb") as stream:
        writer.write(stream)
    assert destination_key("module_intro") == "module5Fintro"
    pages, count = read_destinations(tmp_path / "edition.pdf",
                                     ["module_intro", "b_2_x", "missing"])
    assert pages == {"module_intro": 3, "b_2_x": 4} and count == 4
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(OfficeFailed, match="cannot be read"):
        read_destinations(tmp_path / "bad.pdf", ["a"])


# -- with LibreOffice ------------------------------------------------------------------

needs_office = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are needed: apt-get install "
           "libreoffice-writer-nogui poppler-utils")


def office_processes(under: Path | None = None) -> list[int]:
    """Processes whose command line names a trainkit office profile (ours only); with
    ``under``, only profiles in that folder (other test runs on the machine may have
    their own LibreOffice running)."""
    marker = f"{under}/trainkit-office-".encode() if under else b"trainkit-office-"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in command:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def with_office() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRAINKIT_SOFFICE", raising=False)
        yield


def to_pdf(docx: Path, folder: Path) -> list[str]:
    """The text of each page of ``docx`` as LibreOffice lays it out."""
    profile = f"-env:UserInstallation={(folder / 'lo').as_uri()}"
    subprocess.run([str(SOFFICE), "--headless", profile, "--convert-to", "pdf", "--outdir",
                    str(folder), str(docx)], check=True, timeout=600, capture_output=True)
    pdf = folder / (docx.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=120).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def updated_manual(with_office: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("updated")
    with pytest.MonkeyPatch.context() as patch:  # the office profile goes in out/tmp
        (out / "tmp").mkdir()
        patch.setattr(tempfile, "tempdir", str(out / "tmp"))
        result = build_edition(REPOSITORY, BuildOptions(
            region="north-africa", edition="participant", formats=("docx",),
            docx_toc="update", out_dir=out))
    assert result.ok and result.notices == [], (result.failures, result.notices)
    return result.files[0].path


@pytest.mark.slow
@needs_office
def test_contents_page_numbers_match_where_modules_start(updated_manual: Path,
                                                         tmp_path: Path) -> None:
    document = open_docx(updated_manual)
    modules = [(text, page) for style, text, page in toc_entries(document)
               if style == "toc 1" and re.match(r"Module\s\d+: ", text)]
    assert len(modules) >= 10 and all(page.isdigit() for _, page in modules)
    pages = to_pdf(updated_manual, tmp_path)
    last_contents = max(i for i, page in enumerate(pages) if "Contents" in page[:200]) + 1
    for title, number in modules:
        starts = [index + 1 for index, page in enumerate(pages) if index >= last_contents
                  and " ".join(page.split()).startswith(" ".join(title.split()))]  # the header
        assert starts, title
        assert starts[0] == int(number), f"{title}: contents say {number}, starts {starts[0]}"
    assert office_processes(updated_manual.parent / "tmp") == []


@pytest.mark.slow
@needs_office
def test_the_updated_file_is_still_a_clean_trainkit_docx(updated_manual: Path,
                                                         tmp_path: Path) -> None:
    fields = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", edition="participant", formats=("docx",), docx_toc="fields",
        out_dir=tmp_path)).files[0].path
    before, after = open_docx(fields), open_docx(updated_manual)
    assert after.settings.element.find(qn("w:updateFields")) is None
    assert toc_field_begin(after).get(qn("w:dirty")) is None  # type: ignore[attr-defined]
    assert [s.name for s in after.styles] == [s.name for s in before.styles]
    marks = [b.get(qn("w:name")) for b in after.element.body.iter(qn("w:bookmarkStart"))]
    assert marks == [b.get(qn("w:name")) for b in before.element.body.iter(
        qn("w:bookmarkStart"))] and len(set(marks)) == len(marks)
    with zipfile.ZipFile(fields) as old, zipfile.ZipFile(updated_manual) as new:
        assert old.read("word/footnotes.xml") == new.read("word/footnotes.xml")
        assert old.read("word/styles.xml") == new.read("word/styles.xml")
    assert [t.text for t in after.tables[0].rows[0].cells] == \
        [t.text for t in before.tables[0].rows[0].cells]
    assert [(style_name(p), p.text.partition("\t")[0]) for p in after.paragraphs] == \
        [(style_name(p), p.text.partition("\t")[0]) for p in before.paragraphs]


@pytest.mark.slow
@needs_office
def test_arabic_text_renders_in_amiri(with_office: None, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    result = build_edition(REPOSITORY, BuildOptions(
        region="north-africa", language="ar", formats=("docx",), out_dir=tmp_path))
    assert result.ok and result.notices == [], (result.failures, result.notices)
    pages = to_pdf(result.files[0].path, tmp_path)
    assert "المحتويات" in "".join(pages[:3])
    assert any("تهريب المهاجرين" in page for page in pages)
    pdf = tmp_path / (result.files[0].path.stem + ".pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True, timeout=60).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert any(name.split("+")[-1].startswith("Amiri") for name in names), fonts
    assert os.environ.get("TRAINKIT_SOFFICE") is None
