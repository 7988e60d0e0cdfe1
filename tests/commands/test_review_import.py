"""``trainkit review export`` then ``review import``: a reviewer's comments, replies and
tracked changes come back located at their source file, line and column."""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.text.run import Run
from docx.text.paragraph import Paragraph
from lxml import etree

from conftest import BODY_LINE, LAW, ProjectDir, module_text
from trainkit.commands.review_apply import Conflict, apply_changes
from trainkit.commands.review_export import ExportOptions, export_review
from trainkit.commands.review_import import ImportResult, ReviewItem, import_reviews
from trainkit.errors import UsageError

BODY = """## Offences

The offences are set out in the Protocol and in national law.

Read [the guide](https://example.org/guide) before the session.

- First point to remember.
- Second point to remember.

| Term | Meaning |
|---|---|
| smuggling | procuring illegal entry |
"""
#: Line numbers of BODY's lines in the module file.
SENTENCE, LINK, FIRST, SECOND, HEADER, ROW = (BODY_LINE + n for n in (2, 4, 6, 7, 9, 11))
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


@pytest.fixture()
def reviewed(project: ProjectDir) -> ProjectDir:
    project.write(LAW, module_text(BODY))
    return project


def export(project: ProjectDir) -> Path:
    return export_review(project.root, ExportOptions(modules=("law",))).path


def paragraph_with(document: object, text: str) -> Paragraph:
    body = document.element.body  # type: ignore[attr-defined]
    for p in body.iter(qn("w:p")):
        if text in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            return Paragraph(p, document.part)  # type: ignore[attr-defined]
    raise AssertionError(f"no paragraph holds {text!r}")


def split_run(paragraph: Paragraph, text: str) -> etree._Element:
    """The run holding ``text`` alone, cut out of the run that held it."""
    for r in paragraph._p.iter(qn("w:r")):
        t = r.find(qn("w:t"))
        if t is None or text not in (t.text or ""):
            continue
        before, _, after = (t.text or "").partition(text)
        t.text = before
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        middle = parse_xml(etree.tostring(r))
        middle.find(qn("w:t")).text = text
        r.addnext(middle)
        tail = parse_xml(etree.tostring(r))
        tail.find(qn("w:t")).text = after
        middle.addnext(tail)
        return middle
    raise AssertionError(f"no run holds {text!r}")


def track(run: etree._Element, kind: str, author: str = "Rita Reviewer") -> etree._Element:
    """Wrap ``run`` in a ``w:ins``/``w:del`` (a deletion's ``w:t`` becomes ``w:delText``)."""
    wrapper = OxmlElement(f"w:{kind}", {qn("w:id"): str(uuid.uuid4().int % 10000),
                                        qn("w:author"): author,
                                        qn("w:date"): "2026-12-01T10:00:00Z"})
    run.addprevious(wrapper)
    wrapper.append(run)
    if kind == "del":
        for t in run.iter(qn("w:t")):
            t.tag = qn("w:delText")
    return wrapper


def insert_after(run: etree._Element, text: str, author: str = "Rita Reviewer") -> None:
    new = parse_xml(etree.tostring(run))
    new.find(qn("w:t")).text = text
    run.addnext(new)
    track(new, "ins", author)


def replace(document: object, paragraph_text: str, old: str, new: str) -> None:
    run = split_run(paragraph_with(document, paragraph_text), old)
    wrapper = track(run, "del")
    inserted = parse_xml(etree.tostring(run))
    for t in inserted.iter(qn("w:delText")):
        t.tag, t.text = qn("w:t"), new
    wrapper.addnext(inserted)
    track(inserted, "ins")


def add_replies(document: object, parent: object, reply: object, done: bool = False) -> None:
    """Make ``reply`` answer ``parent`` (``commentsExtended.xml``), ``parent`` done or not."""
    entries = []
    for number, (comment, parent_id) in enumerate(((parent, None), (reply, "1A000001"))):
        p = comment._comment_elm.find(qn("w:p"))  # type: ignore[attr-defined]
        para_id = f"1A00000{number + 1}"
        p.set(f"{{{W14}}}paraId", para_id)
        extra = f' w15:paraIdParent="{parent_id}"' if parent_id else ""
        entries.append(f'<w15:commentEx w15:paraId="{para_id}"{extra} '
                       f'w15:done="{1 if done and not parent_id else 0}"/>')
    blob = (f'<w15:commentsEx xmlns:w15="{W15}">{"".join(entries)}</w15:commentsEx>')
    part = Part(PackURI("/word/commentsExtended.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml."
                "commentsExtended+xml", blob.encode(), document.part.package)  # type: ignore[attr-defined]
    document.part.relate_to(  # type: ignore[attr-defined]
        part, "http://schemas.microsoft.com/office/2011/relationships/commentsExtended")


def review(copy: Path, target: Path) -> Path:
    """What a reviewer does: two comments (one answered, resolved), a replacement, an
    insertion, a deletion in a list, a change across a link, a comment on a table cell."""
    document = Document(str(copy))
    sentence = paragraph_with(document, "offences are set out")
    commented = Run(split_run(sentence, "national law"), sentence)
    first = document.add_comment(commented, "Which national law?", author="Ana Reviewer",
                                 initials="AR")
    answer = document.add_comment(commented, "The criminal code.", author="Tom Author",
                                  initials="TA")
    add_replies(document, first, answer, done=True)
    replace(document, "offences are set out", "Protocol", "Smuggling Protocol")
    link = paragraph_with(document, "before the session")
    track(split_run(link, "Read "), "del")  # a deletion across the link's edge
    hyperlink = link._p.find(qn("w:hyperlink"))
    track(hyperlink.find(qn("w:r")), "del")
    insert_after(split_run(link, " before"), " carefully")
    track(split_run(paragraph_with(document, "Second point"), " to remember"), "del")
    cell = paragraph_with(document, "procuring illegal entry")
    document.add_comment(cell.runs[0], "Define 'illegal entry'.", author="Ana Reviewer")
    document.save(str(target))
    return target


def found(result: ImportResult, kind: str, **fields: object) -> ReviewItem:
    items = [i for i in result.items if i.kind == kind and all(
        getattr(i, name) == value for name, value in fields.items())]
    assert len(items) == 1, (kind, fields, result.items)
    return items[0]


def check_items(result: ImportResult, *, threads: bool = True) -> None:
    """Every mark ``review`` made, located; ``threads``: the reply still answers its
    comment (LibreOffice 7 keeps the answer and the done mark, not the thread)."""
    comment = found(result, "comment", suggestion="Which national law?")
    assert (comment.path, comment.line, comment.column) == (LAW, SENTENCE, 49)
    assert comment.author == "Ana Reviewer" and comment.text == "national law"
    assert comment.confidence == "high" and comment.resolved
    reply = found(result, "reply" if threads else "comment", suggestion="The criminal code.")
    assert reply.where() == f"{LAW}:{SENTENCE}:49" and reply.author == "Tom Author"
    assert reply.thread == (comment.id if threads else None)
    change = found(result, "replace", text="Protocol")
    assert change.where() == f"{LAW}:{SENTENCE}:33" and change.suggestion == "Smuggling Protocol"
    assert change.author == "Rita Reviewer"
    insertion = found(result, "insert", suggestion=" carefully")
    assert insertion.where() == f"{LAW}:{LINK}:51"
    deletion = found(result, "delete", text=" to remember")
    assert deletion.where() == f"{LAW}:{SECOND}:15"
    across = found(result, "delete", text="Read the guide")
    assert across.linked and across.where() == f"{LAW}:{LINK}:1"
    cell = found(result, "comment", suggestion="Define 'illegal entry'.")
    assert (cell.line, cell.column) == (ROW, 15) and cell.text == "procuring illegal entry"


def test_comments_replies_and_changes_are_located(reviewed: ProjectDir,
                                                   tmp_path: Path) -> None:
    copy = export(reviewed)
    result = import_reviews(reviewed.root, [review(copy, tmp_path / "back.docx")])
    check_items(result)


def test_the_copy_carries_line_numbers_and_the_file_table(reviewed: ProjectDir) -> None:
    copy = export(reviewed)
    with zipfile.ZipFile(copy) as archive:
        document = archive.read("word/document.xml").decode()
        custom = archive.read("docProps/custom.xml").decode()
    assert "w:lnNumType" in document and f"_tk_1_{SENTENCE}_" in document
    assert LAW in custom and "tk.sha.1" in custom


def test_a_paragraph_that_lost_its_anchor_is_found_by_its_text(reviewed: ProjectDir,
                                                             tmp_path: Path) -> None:
    document = Document(str(export(reviewed)))
    sentence = paragraph_with(document, "offences are set out")
    for mark in sentence._p.findall(qn("w:bookmarkStart")):
        sentence._p.remove(mark)  # as when a reviewer rewrites the paragraph
    document.add_comment(sentence.runs[0], "Rewritten.", author="Ana Reviewer")
    document.save(str(tmp_path / "lost.docx"))
    item = found(import_reviews(reviewed.root, [tmp_path / "lost.docx"]), "comment")
    assert (item.line, item.confidence) == (SENTENCE, "medium")


@pytest.mark.slow
def test_the_marks_survive_a_libreoffice_round_trip(reviewed: ProjectDir,
                                                    tmp_path: Path) -> None:
    reviewed_copy = review(export(reviewed), tmp_path / "back.docx")
    out = tmp_path / "saved"
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "docx", "--outdir", str(out), str(reviewed_copy)],
                   check=True, timeout=180, capture_output=True)
    result = import_reviews(reviewed.root, [out / "back.docx"])
    check_items(result, threads=False)
    shutil.rmtree(profile, ignore_errors=True)
    outcome = apply_changes(reviewed.root, result)  # and the changes still apply
    assert len(outcome.applied) == 3 and len(outcome.skipped) == 1
    assert "set out in the Smuggling Protocol" in reviewed.read(LAW)
    assert reviewed.codes() == []


def test_apply_writes_plain_text_changes_and_reports_the_others(reviewed: ProjectDir,
                                                                tmp_path: Path) -> None:
    result = import_reviews(reviewed.root, [review(export(reviewed), tmp_path / "b.docx")])
    outcome = apply_changes(reviewed.root, result)
    text = reviewed.read(LAW)
    assert "set out in the Smuggling Protocol and in national law." in text
    assert "- Second point.\n" in text
    assert "Read [the guide](https://example.org/guide) before carefully the session." in text
    assert {e.item.kind for e in outcome.applied} == {"replace", "delete", "insert"}
    assert [(item.text, reason) for item, reason in outcome.skipped] == [
        ("Read the guide", "it is inside a link or field of the copy")]
    assert outcome.files == [LAW]
    assert reviewed.codes() == []


def test_apply_changes_nothing_on_a_conflict(reviewed: ProjectDir, tmp_path: Path) -> None:
    result = import_reviews(reviewed.root, [review(export(reviewed), tmp_path / "b.docx")])
    edited = reviewed.edit(LAW, "set out in the Protocol", "set out in the Convention")
    before = edited.read_bytes()
    with pytest.raises(Conflict, match=r"02-law.md:\d+:\d+: the text of this replace "
                                       r"\(\"Protocol\"\) is no longer in the source"):
        apply_changes(reviewed.root, result)
    assert edited.read_bytes() == before
    assert not list(edited.parent.glob(".*.part"))


def test_apply_refuses_formatted_text_and_markdown_in_the_new_text(
        project: ProjectDir, tmp_path: Path) -> None:
    project.write(LAW, module_text("## Offences\n\nThe *offences* are set out here.\n"))
    document = Document(str(export(project)))
    replace(document, "are set out", "offences", "crimes")
    replace(document, "are set out", "here", "*here*")
    document.save(str(tmp_path / "b.docx"))
    outcome = apply_changes(project.root, import_reviews(project.root, [tmp_path / "b.docx"]))
    assert not outcome.applied
    assert sorted(reason for _, reason in outcome.skipped) == [
        "it is not plain text in the source (formatting, a link, a variable or code)",
        "the new text holds Markdown characters or line breaks"]


def test_a_file_table_naming_other_files_is_not_followed(reviewed: ProjectDir,
                                                          tmp_path: Path) -> None:
    copy = export(reviewed)
    with zipfile.ZipFile(copy) as source, \
            zipfile.ZipFile(tmp_path / "evil.docx", "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/custom.xml":
                data = data.replace(LAW.encode(), b"../../outside.md")
            target.writestr(info, data)
    with pytest.raises(UsageError, match="names none of its module files"):
        import_reviews(reviewed.root, [tmp_path / "evil.docx"])


def test_a_comment_from_a_space_is_located_at_its_first_word(reviewed: ProjectDir,
                                                           tmp_path: Path) -> None:
    document = Document(str(export(reviewed)))
    sentence = paragraph_with(document, "offences are set out")
    document.add_comment(Run(split_run(sentence, " in national"), sentence), "Which?",
                         author="Ana Reviewer")
    document.save(str(tmp_path / "b.docx"))
    item = found(import_reviews(reviewed.root, [tmp_path / "b.docx"]), "comment")
    assert (item.line, item.column, item.text) == (SENTENCE, 46, "in national")


def test_a_comment_of_several_paragraphs_is_one_line_of_the_report(
        reviewed: ProjectDir, tmp_path: Path) -> None:
    from trainkit.commands.review_import import format_text

    document = Document(str(export(reviewed)))
    sentence = paragraph_with(document, "offences are set out")
    comment = document.add_comment(sentence.runs[0], "First point.", author="Ana Reviewer")
    comment.add_paragraph("Second point.")
    document.save(str(tmp_path / "b.docx"))
    result = import_reviews(reviewed.root, [tmp_path / "b.docx"])
    assert found(result, "comment").suggestion == "First point.\nSecond point."
    assert format_text(result.items).endswith(": First point. / Second point. (location: high)")
