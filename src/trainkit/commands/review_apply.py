"""``trainkit review import --apply``: tracked changes in plain text back into the source.

A change is applied only when all of this holds, else it stays a finding with the reason:

- it was located through its anchor or its paragraph's text (not a guess), outside a
  hyperlink or field of the copy;
- the text it deletes or replaces, with enough of the copy's text around it to be
  unique, is found once in the source block, on one line;
- that place is plain text: parsing the module with a marker at each end of it puts
  both markers in the same text of a paragraph, heading or table cell (not in emphasis,
  a link, a variable, code or a block it cannot map);
- the new text holds no Markdown characters (``*_`[]<>{}|~\\``) or line breaks.

All or nothing: a conflict (the text of a change is no longer in a source file that
changed since the export, two changes to overlapping text, a source file changed while
applying) leaves every file untouched. Otherwise each changed file is written to a
temporary file and moved into place.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from trainkit.commands.review_export import file_digest
from trainkit.commands.review_import import ImportResult, ReviewItem, block_range, normalised
from trainkit.errors import ContentError
from trainkit.files import atomic_target
from trainkit.loading.module_file import split_front_matter
from trainkit.model import document as d
from trainkit.parsing.builder import parse_body

MARKDOWN_CHARACTERS = set("*_`[]<>{}|~\\\n\r")
START, END = "\ue000", "\ue001"
CONTEXT_WIDTHS = (0, 4, 8, 16, 32, 64)


@dataclass(frozen=True, slots=True)
class Edit:
    item: ReviewItem
    line: int
    start: int  # 0-based columns on ``line``
    end: int


@dataclass(slots=True)
class ApplyResult:
    applied: list[Edit] = field(default_factory=list)
    #: Changes left as findings, with the reason.
    skipped: list[tuple[ReviewItem, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class Conflict(ContentError):
    """A change cannot be applied safely and nothing was written."""


def _span(lines: list[str], item: ReviewItem) -> tuple[int, int, int] | str:
    """(line, start, end) of the text ``item`` changes in its block, or why not."""
    first, last = block_range(lines, item.block)
    text, where = normalised(lines, first, last)
    old, at, context = item.text, item.offset, item.context
    found: list[int] = []
    for width in CONTEXT_WIDTHS[0 if old else 1:]:
        before = context[max(0, at - width):at]
        after = context[at + len(old):at + len(old) + width]
        needle = before + old + after
        found = []
        start = text.find(needle)
        while start >= 0 and len(found) < 2:
            found.append(start + len(before))
            start = text.find(needle, start + 1)
        if len(found) <= 1:
            break
    if not found:
        return "not found"
    if len(found) > 1:
        return "found more than once"
    start = found[0]
    if not old:
        position = where[start] if start < len(where) else (where[-1][0], where[-1][1] + 1)
        return position[0], position[1] - 1, position[1] - 1
    line, column = where[start]
    end_line, end_column = where[start + len(old) - 1]
    if end_line != line or end_column - column != len(old) - 1:
        return "it runs over a line break in the source"
    return line, column - 1, end_column


def _plain(source: str, path: str, line: int, start: int, end: int) -> bool:
    """Whether columns ``start:end`` of ``line`` lie in one plain text of a paragraph."""
    lines = source.split("\n")
    row = lines[line - 1]
    lines[line - 1] = row[:start] + START + row[start:end] + END + row[end:]
    split = split_front_matter("\n".join(lines), path)
    if not isinstance(split, tuple) or line < split[2]:
        return False
    parsed = parse_body(split[1], path=path, first_line=split[2])
    for node in d.walk(parsed.body.blocks):
        cells: list[tuple[d.Inline, ...]] = []
        if isinstance(node, (d.Paragraph, d.Heading)):
            cells = [node.children]
        elif isinstance(node, d.Table):
            cells = [*node.header, *(cell for row in node.rows for cell in row)]
        for inlines in cells:
            for inline in inlines:
                if isinstance(inline, d.Text) and START in inline.text:
                    return END in inline.text
    return False


def _check(item: ReviewItem, source: str, changed: bool) -> Edit | str:
    """The edit ``item`` makes to ``source``, or why it cannot be applied."""
    if item.linked:
        return "it is inside a link or field of the copy"
    if MARKDOWN_CHARACTERS & set(item.suggestion):
        return "the new text holds Markdown characters or line breaks"
    span = _span(source.split("\n"), item) if item.confidence != "low" and item.block \
        else "not found"
    if isinstance(span, str):
        if changed and span == "not found":
            raise Conflict(f"{item.where()}: the text of this {item.kind} "
                           f"(\"{item.text or item.suggestion}\") is no longer in the source, "
                           "which changed since the copy was exported; nothing was applied")
        if item.confidence == "low" or not item.block:
            return "its place in the source is not certain"
        return f"its text is {span} in the block (it may be formatted, linked or a variable)" \
            if span in ("not found", "found more than once") else span
    line, start, end = span
    if not _plain(source, item.path, line, start, end):
        return "it is not plain text in the source (formatting, a link, a variable or code)"
    return Edit(item, line, start, end)


def plan_changes(root: Path, result: ImportResult) -> tuple[dict[str, str], ApplyResult]:
    """The new text of each file to change, and what is applied and left; ``Conflict``."""
    outcome = ApplyResult()
    sources: dict[str, str] = {}
    edits: dict[str, list[Edit]] = {}
    for item in result.items:
        if item.kind not in ("insert", "delete", "replace"):
            continue
        if item.path not in sources:
            sources[item.path] = (root / item.path).read_bytes().decode("utf-8")
        changed = file_digest(root / item.path) != result.digests.get(item.path)
        checked = _check(item, sources[item.path], changed)
        if isinstance(checked, str):
            outcome.skipped.append((item, checked))
        else:
            edits.setdefault(item.path, []).append(checked)
    new_texts: dict[str, str] = {}
    for path, file_edits in edits.items():
        file_edits.sort(key=lambda e: (e.line, e.start, e.end))
        for one, two in zip(file_edits, file_edits[1:]):
            if one.line == two.line and two.start < max(one.end, one.start + 1):
                raise Conflict(f"{two.item.where()}: two changes touch the same text "
                               f"(\"{one.item.text}\" and \"{two.item.text}\"); nothing was "
                               "applied")
        lines = sources[path].split("\n")
        for edit in reversed(file_edits):
            row = lines[edit.line - 1]
            lines[edit.line - 1] = row[:edit.start] + edit.item.suggestion + row[edit.end:]
        new_texts[path] = "\n".join(lines)
        outcome.applied.extend(file_edits)
        outcome.files.append(path)
    return new_texts, outcome


def apply_changes(root: Path, result: ImportResult) -> ApplyResult:
    """Apply the plain-text tracked changes of ``result`` to the sources, all or none."""
    new_texts, outcome = plan_changes(root, result)
    before = {path: file_digest(root / path) for path in new_texts}
    with ExitStack() as stack:  # every file moved into place only if all are written
        for path, text in new_texts.items():
            mode = (root / path).stat().st_mode & 0o777
            stack.enter_context(atomic_target(root / path, mode=mode)).write_bytes(
                text.encode("utf-8"))  # as read: line endings kept
        for path, digest in before.items():
            if file_digest(root / path) != digest:
                raise Conflict(f"{path} changed while the changes were applied; nothing "
                               "was applied")
    return outcome
