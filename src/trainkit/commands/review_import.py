"""``trainkit review import``: each comment and tracked change of reviewed copies, located
in the source (``modules/05-investigative-techniques.md:42:7``), with how sure it is.

Locating one mark: the paragraph it sits in carries an anchor (``_tk_<file>_<line>_<n>``)
naming the source file and the line its block starts on; the commented or changed text
is then looked for in that block (its lines up to the next blank line, or the whole
front-matter) to give the exact line and column. Confidence:

- ``high``: the anchor, the file unchanged since the export, the text found in the block;
- ``medium``: the anchor but the text not found (column 1 of the block), or the file
  changed since the export and the text found near the anchor, or no anchor and the
  paragraph's text found once in the exported files;
- ``low``: no anchor and no unique match: the nearest anchored paragraph before it.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from trainkit.checks.validate import require_valid
from trainkit.commands.review_export import file_digest
from trainkit.errors import UsageError
from trainkit.loading.docx_review import read_reviewed_docx
from trainkit.loading.review_marks import Change, Comment, Paragraph, ReviewMarks, review_marks

Confidence = Literal["high", "medium", "low"]
ItemKind = Literal["comment", "reply", "insert", "delete", "replace"]
#: The most lines of a block the located text is looked for in.
MAX_BLOCK = 400


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int
    column: int
    confidence: Confidence
    #: The first line of the block the text was found in (0: not found in a block).
    block: int = 0


@dataclass(slots=True)
class ReviewItem:
    """One comment, reply or tracked change, located in the source."""

    kind: ItemKind
    docx: str
    path: str
    line: int
    column: int
    confidence: Confidence
    author: str
    date: str
    #: The commented text, or the text deleted or replaced (empty for an insertion).
    text: str
    #: The comment, or the text inserted.
    suggestion: str
    resolved: bool = False
    #: For a reply, the id of the comment it answers; every comment's own id.
    id: str = ""
    thread: str | None = None
    #: For a change, the paragraph's text in the copy before it (for ``--apply``).
    context: str = ""
    offset: int = 0
    #: A change inside a hyperlink or a field.
    linked: bool = False
    #: The first line of the source block it was found in (0: none).
    block: int = 0

    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(slots=True)
class ImportResult:
    items: list[ReviewItem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    exports: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Each source file's digest when the copy was exported.
    digests: dict[str, str] = field(default_factory=dict)


class _Sources:
    """The project's files as text, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            target = (self.root / path).resolve()
            inside = target.is_relative_to(self.root) and target.is_file()
            try:
                self._lines[path] = target.read_text(encoding="utf-8").split("\n") \
                    if inside else None
            except (OSError, UnicodeDecodeError):
                self._lines[path] = None
        return self._lines[path]

    def digest(self, path: str) -> str | None:
        try:
            return file_digest(self.root / path)
        except OSError:
            return None


def block_range(lines: list[str], line: int) -> tuple[int, int]:
    """The 1-based first and last line of the block starting on ``line``."""
    if line == 1 and lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
        return 1, end + 1
    last = line
    while last < len(lines) and last - line < MAX_BLOCK and lines[last].strip():
        last += 1
    return line, last


def normalised(lines: list[str], first: int, last: int) -> tuple[str, list[tuple[int, int]]]:
    """The block's text with each line break and the next line's indent as one space, and
    for each character its (line, column)."""
    text: list[str] = []
    where: list[tuple[int, int]] = []
    for number in range(first, last + 1):
        raw = lines[number - 1] if number - 1 < len(lines) else ""
        start = 0
        if number != first:
            start = len(raw) - len(raw.lstrip())
            text.append(" ")
            where.append((number, start + 1))
        for column in range(start, len(raw)):
            text.append(raw[column])
            where.append((number, column + 1))
    return "".join(text), where


def _spaced(text: str) -> str:
    """``text`` with each run of white space as one space."""
    return re.sub(r"\s+", " ", text)


def find_in_block(lines: list[str], line: int, snippet: str) -> tuple[int, int] | None:
    """Where ``snippet`` (or its longest findable start, 4 characters or more) begins in
    the block at ``line``."""
    first, last = block_range(lines, line)
    text, where = normalised(lines, first, last)
    whole = _spaced(snippet)
    probe = whole
    while len(probe.strip()) >= 4 or (probe.strip() and probe == whole):
        found = text.find(probe)
        if found >= 0:
            return where[found]
        probe = probe[:-1].rstrip()
    return None


class Locator:
    """Locates the marks of one reviewed copy in the project's files."""

    def __init__(self, marks: ReviewMarks, sources: _Sources) -> None:
        self.marks = marks
        self.sources = sources
        self.changed = {index: sources.digest(path) != marks.digests.get(index)
                        for index, path in marks.files.items()}

    def locate(self, paragraph: int | None, snippet: str) -> Location:
        if paragraph is None:
            return self._fallback(None, snippet)
        record = self.marks.paragraphs[paragraph]
        if record.anchor is not None and record.anchor[0] in self.marks.files:
            index, line = record.anchor
            path = self.marks.files[index]
            lines = self.sources.lines(path)
            if lines is not None:
                found = find_in_block(lines, line, snippet or record.old)
                if found is not None:
                    confidence: Confidence = "medium" if self.changed[index] else "high"
                    return Location(path, found[0], found[1], confidence, line)
                if not self.changed[index]:
                    return Location(path, line, 1, "medium", line)
        return self._fallback(record, snippet)

    def _fallback(self, record: Paragraph | None, snippet: str) -> Location:
        """No usable anchor: the paragraph's text in the files, else the last anchor."""
        probe = " ".join((record.old if record is not None else snippet).split())
        hits: list[Location] = []
        for path in self.marks.files.values():
            lines = self.sources.lines(path)
            if not lines or len(probe) < 8:
                continue
            text, where = normalised(lines, 1, len(lines))
            start = text.find(probe)
            while start >= 0 and len(hits) < 2:
                hits.append(Location(path, *where[start], "medium", where[start][0]))
                start = text.find(probe, start + 1)
        if len(hits) == 1:
            hit = hits[0]
            if snippet and snippet != probe and (lines := self.sources.lines(hit.path)):
                exact = find_in_block(lines, hit.line, snippet)
                if exact is not None:
                    return Location(hit.path, exact[0], exact[1], "medium", hit.line)
            return hit
        before = record.index if record is not None else len(self.marks.paragraphs)
        for earlier in reversed(self.marks.paragraphs[:before]):
            if earlier.anchor is not None and earlier.anchor[0] in self.marks.files:
                return Location(self.marks.files[earlier.anchor[0]], earlier.anchor[1], 1,
                                "low")
        first = next(iter(self.marks.files.values()), "")
        return Location(first, 1, 1, "low")


def _comment_item(comment: Comment, marks: ReviewMarks, locator: Locator,
                  docx: str) -> ReviewItem:
    paragraph = marks.paragraphs[comment.paragraph] if comment.paragraph is not None else None
    commented = paragraph.old[comment.start:comment.end] if paragraph is not None and \
        comment.end > comment.start else ""
    location = locator.locate(comment.paragraph, commented.strip())  # where its words start
    kind: ItemKind = "reply" if comment.parent else "comment"
    return ReviewItem(kind, docx, location.path, location.line, location.column,
                      location.confidence, comment.author, comment.date, commented.strip(),
                      comment.text, comment.done, comment.id, comment.parent)


def _change_item(change: Change, marks: ReviewMarks, locator: Locator,
                 docx: str) -> ReviewItem:
    paragraph = marks.paragraphs[change.paragraph]
    if change.old:
        snippet = change.old
    else:  # an insertion: where the text after it (or before it) is
        after = paragraph.old[change.start:change.start + 30]
        snippet = after if after.strip() else paragraph.old[max(0, change.start - 30):]
    location = locator.locate(change.paragraph, snippet)
    line, column = location.line, location.column
    if not change.old and not paragraph.old[change.start:].strip() and location.confidence \
            != "low":  # inserted at the end: after the text found
        column += len(snippet)
    return ReviewItem(change.kind, docx, location.path, line, column, location.confidence,
                      change.author, change.date, change.old, change.new, context=paragraph.old,
                      offset=change.start, linked=change.linked, block=location.block)


def import_reviews(project_dir: Path, files: list[Path]) -> ImportResult:
    """Every comment, reply and tracked change of ``files``, located in the project."""
    if not files:
        raise UsageError("name at least one reviewed .docx file")
    valid = require_valid(project_dir)
    sources = _Sources(valid.root)
    known = {*valid.project.modules, *(t.path for t in valid.project.translations)}
    result = ImportResult()
    for path in files:
        package = read_reviewed_docx(path)
        marks = review_marks(package)
        # the table comes from the file: only the project's own module files are used
        marks.files = {i: p for i, p in marks.files.items() if p in known}
        if not marks.files:
            raise UsageError(f"{path}: not a review copy of this project made by `trainkit "
                             "review export` (it names none of its module files)")
        locator = Locator(marks, sources)
        result.files.append(path.name)
        result.exports[path.name] = marks.export
        result.digests.update({marks.files[i]: digest for i, digest in marks.digests.items()
                               if i in marks.files})
        result.items.extend(_comment_item(c, marks, locator, path.name) for c in marks.comments)
        result.items.extend(_change_item(c, marks, locator, path.name) for c in marks.changes)
    result.items.sort(key=lambda i: (i.path, i.line, i.column, i.kind != "comment", i.date))
    return result


# -- reports ------------------------------------------------------------------------------

_WORDS = {"comment": "comment", "reply": "reply", "insert": "insertion",
          "delete": "deletion", "replace": "replacement"}


def describe(item: ReviewItem) -> str:
    """One line saying what the reviewer asked, without the location."""
    by = f"{_WORDS[item.kind]} by {item.author or 'unknown'}"
    if item.date:
        by += f" ({item.date[:10]})"
    if item.kind in ("comment", "reply"):
        on = f' on "{_short(item.text)}"' if item.text else ""
        state = " [resolved]" if item.resolved else ""
        return f"{by}{on}: {_one_line(item.suggestion)}{state}"
    if item.kind == "insert":
        return f'{by}: insert "{item.suggestion}"'
    if item.kind == "delete":
        return f'{by}: delete "{item.text}"'
    return f'{by}: replace "{item.text}" with "{item.suggestion}"'


def _one_line(text: str) -> str:
    """A comment of several paragraphs on one line, its paragraphs parted by " / "."""
    return " / ".join(" ".join(part.split()) for part in text.split("\n") if part.strip())


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def format_text(items: list[ReviewItem]) -> str:
    return "\n".join(f"{i.where()}: {describe(i)} (location: {i.confidence})"
                     for i in items)


def format_json(result: ImportResult) -> str:
    data = {"files": result.files, "exports": result.exports,
            "items": [{k: v for k, v in asdict(i).items()
                       if k not in ("context", "offset", "block")}
                      for i in result.items]}
    return json.dumps(data, indent=2, ensure_ascii=False)


def format_github(items: list[ReviewItem]) -> str:
    def data(value: str) -> str:
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(value: str) -> str:
        return data(value).replace(":", "%3A").replace(",", "%2C")

    return "\n".join(
        f"::notice file={prop(i.path)},line={i.line},col={i.column},"
        f"title={prop('Review ' + _WORDS[i.kind] + ' (' + (i.author or 'unknown') + ')')}"
        f"::{data(describe(i))}" for i in items)


def today() -> datetime.date:
    return datetime.date.today()
