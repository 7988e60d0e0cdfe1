"""What reviewers left in a review copy: comments, replies, tracked insertions and deletions.

``review_marks`` walks the parts ``docx_review`` read (already checked and parsed) and
returns plain records: every paragraph of the body in reading order with its source
anchor (``_tk_<file>_<line>_<n>`` bookmark) and its text before and after the tracked
changes; every comment with its author, date, text, the paragraph and span it covers,
the comment it answers and whether it is marked done; every tracked change with its
author, date, paragraph, offset in the text before the changes, and whether it falls in
a hyperlink or a field (which cannot be plain source text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from trainkit.loading.docx_review import (
    COMMENTS, COMMENTS_EXTENDED, CUSTOM, DOCUMENT, ReviewedPackage,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_ANCHOR = re.compile(r"^_tk_(\d+)_(\d+)_(\d+)$")
#: Tracked-change containers of runs; text moved away counts as deleted, moved here as
#: inserted.
_TRACKED = tuple(f"{{{W}}}{name}" for name in ("ins", "del", "moveFrom", "moveTo"))
_REMOVED = (f"{{{W}}}del", f"{{{W}}}moveFrom")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(slots=True)
class Paragraph:
    """One paragraph of the reviewed document."""

    index: int
    #: (file index, line) from the paragraph's anchor; None when it has lost it.
    anchor: tuple[int, int] | None
    old: str = ""
    new: str = ""


@dataclass(slots=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    paragraph: int | None = None
    start: int = 0
    end: int = 0
    parent: str | None = None
    done: bool = False
    para_ids: list[str] = field(default_factory=list)


ChangeKind = Literal["insert", "delete", "replace"]


@dataclass(slots=True)
class Change:
    kind: ChangeKind
    author: str
    date: str
    paragraph: int
    #: Offset in the paragraph's text before the changes (``Paragraph.old``).
    start: int
    old: str
    new: str
    #: Inside a hyperlink or a field: not plain text of the source.
    linked: bool = False


@dataclass(slots=True)
class ReviewMarks:
    files: dict[int, str]
    digests: dict[int, str]
    export: dict[str, str]
    paragraphs: list[Paragraph]
    comments: list[Comment]
    changes: list[Change]


def custom_properties(package: ReviewedPackage) -> dict[str, str]:
    root = package.part(CUSTOM)
    if root is None:
        return {}
    found: dict[str, str] = {}
    for prop in root:
        name = prop.get("name")
        if name:
            found[name] = "".join(prop.itertext())
    return found


def _paragraph_text(element: etree._Element) -> str:
    return "".join(_texts(element, include_deleted=False))


def _texts(element: etree._Element, *, include_deleted: bool) -> list[str]:
    out: list[str] = []
    for node in element.iter(_w("t"), _w("delText"), _w("tab"), _w("br")):
        if node.tag == _w("t"):
            out.append(node.text or "")
        elif node.tag == _w("delText"):
            if include_deleted:
                out.append(node.text or "")
        else:
            out.append("\t" if node.tag == _w("tab") else "\n")
    return out


def _inside(node: etree._Element, tags: tuple[str, ...], stop: etree._Element) -> \
        etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return parent
        parent = parent.getparent()
    return None


class _Walker:
    """Reads the body's paragraphs, comment ranges and tracked changes in one pass."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.changes: list[Change] = []
        self.ranges: dict[str, tuple[int, int, int]] = {}  # comment id -> paragraph, start, end
        self._open: dict[str, tuple[int, int]] = {}

    def walk(self, body: etree._Element) -> None:
        for p in body.iter(_w("p")):
            if _inside(p, (_w("p"),), body) is not None:
                continue  # a paragraph in a text box: read with its outer paragraph
            self.paragraph(p)
        for comment_id, (index, start) in self._open.items():
            self.ranges[comment_id] = (index, start, len(self.paragraphs[index].old))

    def paragraph(self, p: etree._Element) -> None:
        index = len(self.paragraphs)
        anchor = None
        for mark in p.iter(_w("bookmarkStart")):
            match = _ANCHOR.match(mark.get(_w("name"), ""))
            if match:
                anchor = (int(match.group(1)), int(match.group(2)))
                break
        record = Paragraph(index, anchor)
        self.paragraphs.append(record)
        old: list[str] = []
        new: list[str] = []
        current: Change | None = None
        for node in p.iter():
            tag = node.tag
            if tag == _w("commentRangeStart"):
                self._open[node.get(_w("id"), "")] = (index, len("".join(old)))
            elif tag == _w("commentRangeEnd"):
                cid = node.get(_w("id"), "")
                if cid in self._open and self._open[cid][0] == index:
                    start = self._open.pop(cid)[1]
                    self.ranges[cid] = (index, start, len("".join(old)))
            elif tag == _w("commentReference"):
                cid = node.get(_w("id"), "")
                if cid not in self.ranges and cid not in self._open:
                    at = len("".join(old))
                    self.ranges[cid] = (index, at, at)
            elif tag in (_w("t"), _w("delText"), _w("tab"), _w("br")):
                text = "\t" if tag == _w("tab") else "\n" if tag == _w("br") else node.text or ""
                if not text:
                    continue
                owner = _inside(node, _TRACKED, p)
                deleted = tag == _w("delText") or (owner is not None and owner.tag in _REMOVED)
                if owner is None:
                    current = None
                    old.append(text)
                    new.append(text)
                    continue
                linked = _inside(node, (_w("hyperlink"), _w("fldSimple")), p) is not None
                current = self.change(owner, current, deleted, text, index,
                                      len("".join(old)), linked)
                (old if deleted else new).append(text)
        record.old, record.new = "".join(old), "".join(new)

    def change(self, owner: etree._Element, current: Change | None, deleted: bool,
               text: str, index: int, at: int, linked: bool) -> Change:
        """``text`` added to the change in progress, or a new change."""
        author, date = owner.get(_w("author"), ""), owner.get(_w("date"), "")
        if current is not None and current.author == author:
            # next to the previous change, by the same reviewer: one change, even across
            # a hyperlink's edge (a deletion then an insertion is a replacement)
            if deleted:
                current.old += text
            else:
                current.new += text
            if current.old and current.new:
                current.kind = "replace"
            current.linked |= linked
            return current
        change = Change("delete" if deleted else "insert", author, date, index, at,
                        text if deleted else "", "" if deleted else text, linked)
        self.changes.append(change)
        return change


def _comments(package: ReviewedPackage, ranges: dict[str, tuple[int, int, int]]) \
        -> list[Comment]:
    root = package.part(COMMENTS)
    if root is None:
        return []
    comments: list[Comment] = []
    by_para: dict[str, Comment] = {}
    for element in root.iter(_w("comment")):
        paragraphs = list(element.iter(_w("p")))
        text = "\n".join(_paragraph_text(p) for p in paragraphs).strip()
        comment = Comment(element.get(_w("id"), ""), element.get(_w("author"), ""),
                          element.get(_w("date"), ""), text)
        if comment.id in ranges:
            comment.paragraph, comment.start, comment.end = ranges[comment.id]
        for p in paragraphs:
            para_id = p.get(f"{{{W14}}}paraId")
            if para_id:
                comment.para_ids.append(para_id)
                by_para[para_id] = comment
        comments.append(comment)
    extended = package.part(COMMENTS_EXTENDED)
    if extended is not None:
        for entry in extended.iter(f"{{{W15}}}commentEx"):
            entry_of = by_para.get(entry.get(f"{{{W15}}}paraId", ""))
            if entry_of is None:
                continue
            entry_of.done = entry.get(f"{{{W15}}}done") in ("1", "true")
            parent = by_para.get(entry.get(f"{{{W15}}}paraIdParent", ""))
            if parent is not None:
                entry_of.parent = parent.id
    for comment in comments:  # a reply with no range of its own is where its thread is
        if comment.paragraph is None and comment.parent is not None:
            parent = next((c for c in comments if c.id == comment.parent), None)
            if parent is not None:
                comment.paragraph, comment.start, comment.end = \
                    parent.paragraph, parent.start, parent.end
    return comments


def review_marks(package: ReviewedPackage) -> ReviewMarks:
    """The paragraphs, comments and tracked changes of a reviewed copy."""
    properties = custom_properties(package)
    files: dict[int, str] = {}
    digests: dict[int, str] = {}
    for name, value in properties.items():
        kind, _, number = name.rpartition(".")
        if number.isdigit() and kind == "tk.file":
            files[int(number)] = value
        elif number.isdigit() and kind == "tk.sha":
            digests[int(number)] = value
    export = dict(item.partition("=")[::2] for item in properties.get("tk.export", "").split(";")
                  if "=" in item)
    walker = _Walker()
    document = package.part(DOCUMENT)
    body = document.find(_w("body")) if document is not None else None
    if body is not None:
        walker.walk(body)
    return ReviewMarks(files, digests, export, walker.paragraphs,
                       _comments(package, walker.ranges), walker.changes)
