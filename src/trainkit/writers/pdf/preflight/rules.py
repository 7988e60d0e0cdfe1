"""The layout rules of the preflight, each a function of the pages and the marks.

Each rule returns ``(code, page index, message)`` tuples. ``Marks`` are the writer's named
destinations (``writers/html/marks.py``): ``tk-fc--``/``tk-fb--`` a footnote's call and
note, ``tk-he--`` the end of a heading (its start is the heading's own id), ``tk-qe--``/
``tk-as--`` the end of a question and the start of its answer, ``tk-tb--<table>-<rows>``
and ``tk-tr--<table>-<row>`` a table and its first two and last two rows, ``tk-te--``/
``tk-tp--`` the end of a contents entry's title and its page number, ``tk-me--`` the end
of a module, ``tk-cover`` the cover, ``part-<n>`` a part title page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trainkit.writers.pdf.preflight.reading import PageContent, Rect, Run

#: name -> (page index, x, y) in PDF points from the bottom left (y: the top of the thing).
Marks = dict[str, tuple[int, float, float]]
Found = tuple[str, int, str]

#: How far (pt) text may pass the text block's edge: advance widths are not ink.
TOLERANCE = 1.0
#: Furniture (running head, folio) stands at least this far (pt) outside the text block.
FURNITURE_GAP = 3.0
#: How far apart (pt) the tops of two pieces of text on one line may be.
SAME_LINE = 3.0
#: Lines a heading needs after it on its page.
LINES_AFTER_HEADING = 2


def _block(page: PageContent) -> Rect:
    return page.block or (0.0, 0.0, page.width, page.height)


def _baselines(runs: list[Run]) -> list[float]:
    """The distinct baselines of ``runs``, top first (runs within 1 pt share one)."""
    lines: list[float] = []
    for y in sorted((run.y for run in runs), reverse=True):
        if not lines or lines[-1] - y > 1.0:
            lines.append(y)
    return lines


def _body(page: PageContent) -> list[Run]:
    _, bottom, _, top = _block(page)
    return [run for run in page.runs if bottom - TOLERANCE <= run.y <= top + TOLERANCE]


def _head(page: PageContent) -> list[Run]:
    return [run for run in page.runs if run.y > _block(page)[3] + TOLERANCE]


def _foot(page: PageContent) -> list[Run]:
    return [run for run in page.runs if run.y < _block(page)[1] - TOLERANCE]


def _pairs(marks: Marks, first: str, second: str) -> Iterator[tuple[str, int, int]]:
    for name, (page, _, _) in marks.items():
        if name.startswith(first):
            key = name[len(first):]
            other = marks.get(second + key)
            if other is not None:
                yield key, page, other[0]


def footnotes(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK707: a footnote printed on another page than its call."""
    return [("TK707", call, f"footnote {_what(key)} is called on this page but printed on "
             f"page {pages[note].folio}")
            for key, call, note in _pairs(marks, "tk-fc--", "tk-fb--") if call != note]


def questions(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK709: a question that ends on another page than its answer starts."""
    return [("TK709", question, f"question {_what(key)} ends on this page, its answer "
             f"starts on page {pages[answer].folio}")
            for key, question, answer in _pairs(marks, "tk-qe--", "tk-as--")
            if question != answer]


def tables(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK710: a table whose first row is alone at a page foot, or last row alone at a top."""
    found: list[Found] = []
    for name in marks:
        table = re.fullmatch(r"tk-tb--(.+)-(\d+)", name)
        if table is None or int(table.group(2)) < 2:
            continue
        key, count = table.group(1), int(table.group(2))
        row = {i: marks.get(f"tk-tr--{key}-{i}") for i in (1, 2, count - 1, count)}
        first, second, before, last = row[1], row[2], row[count - 1], row[count]
        if first and second and first[0] != second[0]:
            found.append(("TK710", first[0], f"table {_what(key)} starts with one row at the "
                          f"foot of the page; the next is on page {pages[second[0]].folio}"))
        if count > 2 and before and last and before[0] != last[0]:
            found.append(("TK710", last[0], f"table {_what(key)} ends with one row alone at "
                          "the top of the page"))
    return found


def headings(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK708: a heading with fewer than two lines after it on its page, the rest beyond
    (not when its module ends on that page: a short last section is not a break)."""
    notes: dict[int, float] = {}  # page -> top of its first footnote
    for name, (page, _, y) in marks.items():
        if name.startswith("tk-fb--"):
            notes[page] = max(notes.get(page, 0.0), y)
    found: list[Found] = []
    for name, (index, _, y) in marks.items():
        if not name.startswith("tk-he--") or _ends_on(marks, name[7:], index):
            continue
        content = pages[index]
        floor = notes.get(index, -1.0) + TOLERANCE
        lines = [b for b in _baselines(_body(content)) if b < y and b > floor]
        images = [img for img in content.images if img[3] < y and img[1] > floor]
        after = len(lines) - 1 + 2 * len(images)  # the first line below the mark is its own
        if lines and after < LINES_AFTER_HEADING and index + 1 < len(pages):
            found.append(("TK708", index, f"heading {_what(name[7:])} is in the last lines of "
                          f"the page ({max(after, 0)} line(s) after it)"))
    return found


def _ends_on(marks: Marks, heading: str, page: int) -> bool:
    """Whether the module of ``heading`` (``<module id>--<anchor>``) ends on ``page``."""
    end = marks.get("tk-me--" + heading.partition("--")[0])
    return end is not None and end[0] == page


def running_heads(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK711: a running head on more than one line."""
    return [("TK711", page.index, f"the running head takes {len(lines)} lines")
            for page in pages if len(lines := _baselines(_head(page))) > 1]


def outside(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK712: text outside the text block, other than the running head and the folio."""
    found: list[Found] = []
    for page in pages:
        left, bottom, right, top = _block(page)
        wide = [r for r in page.runs if r.x1 < left - TOLERANCE or r.x2 > right + TOLERANCE]
        head = [r for r in _head(page) if r.y - r.size * 0.3 < top + FURNITURE_GAP]
        foot = _foot(page)
        folio = _baselines(foot)[-1:] if foot else []
        centre = (left + right) / 2
        stray = [r for r in foot if not folio or abs(r.y - folio[0]) > 1.0
                 or r.y + r.size > bottom - FURNITURE_GAP
                 or abs((r.x1 + r.x2) / 2 - centre) > (right - left) * 0.15]
        if wide or head or stray:
            where = "beside" if wide else "above" if head else "below"
            found.append(("TK712", page.index, f"text {where} the text block "
                          f"({len(wide) + len(head) + len(stray)} run(s))"))
    return found


def empty(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK713: a page with nothing in its text block (pages blank on purpose aside)."""
    return [("TK713", page.index, "the page is empty") for page in pages
            if not page.blank and not _body(page) and not page.images]


def furniture(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK714: a running head or folio on the cover, a part title page or a blank page."""
    display = {page for name, (page, _, _) in marks.items()
               if name == "tk-cover" or re.fullmatch(r"part-\d+", name)}
    display |= {page.index for page in pages if page.blank}
    return [("TK714", index, "a running head or folio on a cover, part title or blank page")
            for index in sorted(display) if _head(pages[index]) or _foot(pages[index])]


def _what(key: str) -> str:
    """``introduction-fn1`` -> "1 of module `introduction`"; a heading id likewise."""
    module, _, rest = key.partition("--")
    if rest:
        return f"`{rest}` of module `{module}`"
    match = re.fullmatch(r"(.+)-(?:fn|qa|tb)(\d+)", key)
    return f"{match.group(2)} of module `{match.group(1)}`" if match else f"`{key}`"


def contents(pages: list[PageContent], marks: Marks) -> list[Found]:
    """TK715: a contents entry whose page number is not on the entry's last line."""
    found: list[Found] = []
    for target, page, number_page in _pairs(marks, "tk-te--", "tk-tp--"):
        text_y, number_y = marks["tk-te--" + target][2], marks["tk-tp--" + target][2]
        if page != number_page or abs(text_y - number_y) > SAME_LINE:
            found.append(("TK715", page, f"the page number of contents entry `{target}` is "
                          "not on the entry's last line"))
    return found


RULES = (footnotes, headings, questions, tables, running_heads, outside, empty, furniture,
         contents)
