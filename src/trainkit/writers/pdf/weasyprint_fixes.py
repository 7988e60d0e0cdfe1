"""Fixes to WeasyPrint's footnote layout, applied in the processes that render PDF.

Every footnote of trainkit's editions landed on the page after its call. WeasyPrint (70,
and its main branch when this was written) moves a footnote away from its call in three
ways, and this module removes each of them:

1. **A rounding error.** ``LayoutContext._update_footnote_area`` decides whether a
   footnote overflows its area by comparing two sums of the same lengths added in a
   different order. With a border or padding on ``@footnote`` that is not a
   power-of-two fraction of a CSS pixel (``padding-top: 2mm`` is 7.559... px) the sums
   differ in their last bit, the footnote "overflows", and it is moved whole to the next
   page, wherever its call is. The rest of WeasyPrint compares positions with a relative
   tolerance (``LayoutContext.overflows``); ``_update_footnote_area`` below does too.
2. **Footnotes given up for orphans and widows.** When a line does not fit at the foot of
   a page and orphans or widows forbid breaking before it, WeasyPrint moves the page's
   footnotes to the next page to make room for that line. A note then leaves the page
   of its call for the sake of a paragraph that has nothing to do with it. ``_linebox_layout``
   below breaks the page before the line instead, as it does when the page has no
   footnotes.
3. **Footnotes left behind.** When lines are pushed to the next page to satisfy widows,
   WeasyPrint keeps the footnotes their calls laid out on the page they leave: the note
   then comes before its call. ``_linebox_layout`` takes them off the page with the lines.

A footnote too tall for the space below its call's line moves with that line to the next
page (``footnote-policy: line`` in ``print.css``): call and note stay on one page.
WeasyPrint cannot continue a note on the next page; a note taller than a whole page
overflows its page, which the preflight reports as text outside the text block.

``_linebox_layout`` is WeasyPrint 70.0's function (BSD licence, (c) Simon Sapin, Guillaume
Ayoub and contributors) with the two changes marked "trainkit". ``apply`` patches once per
process, and only a WeasyPrint whose layout has the names the replacements use; another
version is left as it is, and the preflight reports what it displaces.
"""

from __future__ import annotations

from math import inf
from typing import Any

#: Part of every piece's cache key: a piece laid out without these fixes is not reused.
REVISION = "footnotes-1"

_APPLIED: list[bool] = []
#: What ``apply`` replaced, for ``undo``.
_ORIGINALS: dict[str, Any] = {}


def apply() -> bool:
    """Patch WeasyPrint's footnote layout in this process; whether it is patched."""
    if _APPLIED:
        return _APPLIED[0]
    try:
        from weasyprint.layout import LayoutContext
        from weasyprint.layout import block
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        _APPLIED.append(False)
        return False
    known = all(hasattr(LayoutContext, name) for name in (
        "_update_footnote_area", "overflows", "overflows_page", "layout_footnote",
        "report_footnote", "unlayout_footnote")) and all(hasattr(block, name) for name in (
            "_linebox_layout", "_break_line", "iter_line_boxes", "remove_placeholders",
            "collapse_margin", "block_level_layout"))
    if not known:  # pragma: no cover - another WeasyPrint layout
        _APPLIED.append(False)
        return False
    _ORIGINALS.update(update=LayoutContext._update_footnote_area, linebox=block._linebox_layout)
    LayoutContext._update_footnote_area = _update_footnote_area
    block._linebox_layout = _linebox_layout
    _APPLIED.append(True)
    return True


def undo() -> None:
    """Put WeasyPrint's own layout back (to compare layouts with and without the fixes)."""
    if not _ORIGINALS:
        _APPLIED.clear()
        return
    from weasyprint.layout import LayoutContext
    from weasyprint.layout import block

    LayoutContext._update_footnote_area = _ORIGINALS.pop("update")
    block._linebox_layout = _ORIGINALS.pop("linebox")
    _APPLIED.clear()


def _update_footnote_area(self: Any) -> bool:
    """Update the page bottom and the footnote area's height; whether the area overflows."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    area = self.current_footnote_area
    if area.height != "auto" and not self.in_column:
        self.page_bottom += area.margin_height()
    area.children = self.current_page_footnotes
    if not area.children:
        area.height = 0
        if not self.in_column:
            self.page_bottom -= area.margin_height()
        return False
    laid_out = build.create_anonymous_boxes(area.deepcopy())
    laid_out = block_level_layout(self, laid_out, -inf, None, area.page)[0]
    area.height = laid_out.height
    if not self.in_column:
        self.page_bottom -= laid_out.margin_height()
    last = laid_out.children[-1]
    last_bottom = last.position_y + last.margin_height() - last.margin_bottom
    area_bottom = laid_out.position_y + laid_out.margin_height() - laid_out.margin_bottom
    return bool(self.overflows(area_bottom, last_bottom))  # trainkit: with a tolerance


def _break_line(context: Any, box: Any, line: Any, new_children: list[Any], needed: int,
                page_is_empty: bool, index: int, skip_stack: Any, resume_at: Any,
                absolute_boxes: Any, fixed_boxes: Any) -> tuple[bool, bool, Any]:
    """WeasyPrint's ``_break_line``, taking off the page the footnotes of the lines it
    pushes to the next page (trainkit)."""
    from weasyprint.layout import block

    pushed = list(new_children[-needed:]) if needed else []
    abort, stop, resume_at = block._break_line(
        context, box, line, new_children, needed, page_is_empty, index, skip_stack,
        resume_at, absolute_boxes, fixed_boxes)
    if stop and not abort:
        for pushed_line in pushed:
            for descendant in pushed_line.descendants():
                footnote = getattr(descendant, "footnote", None)
                if footnote is not None and footnote in context.current_page_footnotes:
                    context.unlayout_footnote(footnote)
    return bool(abort), bool(stop), resume_at


def _linebox_layout(context: Any, box: Any, index: int, child: Any, new_children: list[Any],
                    page_is_empty: bool, absolute_boxes: Any, fixed_boxes: Any,
                    adjoining_margins: list[float], bottom_space: float, position_y: float,
                    skip_stack: Any, first_letter_style: Any, first_line_style: Any,
                    draw_bottom_decoration: bool,
                    max_lines: int | None) -> tuple[Any, ...]:
    from weasyprint.layout.block import collapse_margin, iter_line_boxes, remove_placeholders

    abort = stop = False
    resume_at = None
    new_footnotes: list[Any] = []

    assert len(box.children) == 1, "line box with siblings before layout"

    if adjoining_margins:
        position_y += collapse_margin(adjoining_margins)
    lines_iterator = iter_line_boxes(
        context, child, position_y, bottom_space, skip_stack, box,
        absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
    for line, resume_at in lines_iterator:
        if max_lines is not None:
            if max_lines == 0:
                new_children[-1].block_ellipsis = box.style["block_ellipsis"]
                break
            max_lines -= 1

        line.resume_at = resume_at
        new_position_y = line.position_y + line.height

        draw_bottom_decoration |= resume_at is None
        offset_y = box.border_bottom_width + box.padding_bottom if draw_bottom_decoration else 0

        overflow = (
            (new_children or not page_is_empty) and
            context.overflows_page(bottom_space, new_position_y + offset_y))
        if overflow:
            # trainkit: break before this line as orphans and widows allow. WeasyPrint
            # first moved the page's footnotes away to make room for the line.
            needed = box.style["widows"] - 1
            for next_line, _ in lines_iterator:
                needed -= 1
                remove_placeholders(context, next_line.children, absolute_boxes, fixed_boxes)
                if needed == -1:
                    break
            needed = max(0, needed)
            abort, stop, resume_at = _break_line(
                context, box, line, new_children, needed, page_is_empty, index,
                skip_stack, resume_at, absolute_boxes, fixed_boxes)
            break

        elif page_is_empty and context.overflows_page(bottom_space, new_position_y):
            new_position_y -= box.margin_top
            line.translate(0, -box.margin_top)
            box.margin_top = 0

        if context.footnotes:
            break_linebox = False
            footnotes = (
                descendant.footnote for descendant in line.descendants()
                if descendant.footnote in context.footnotes)
            for footnote in footnotes:
                overflow = context.layout_footnote(footnote)
                new_footnotes.append(footnote)
                overflow = (
                    overflow or
                    context.reported_footnotes or
                    context.overflows_page(bottom_space, new_position_y + offset_y))
                if overflow:
                    context.report_footnote(footnote)
                    if new_children or not page_is_empty:
                        if footnote.style["footnote_policy"] == "line":
                            if needed := box.style["widows"] - 1:
                                for _ in lines_iterator:
                                    needed -= 1
                                    if needed == 0:
                                        break
                            abort, stop, resume_at = _break_line(
                                context, box, line, new_children, needed, page_is_empty,
                                index, skip_stack, resume_at, absolute_boxes, fixed_boxes)
                            break_linebox = True
                            break
                        elif footnote.style["footnote_policy"] == "block":
                            abort = break_linebox = True
                            break
            if break_linebox:
                break

        new_children.append(line)
        position_y = new_position_y
        skip_stack = resume_at

    if new_children:
        resume_at = {index: new_children[-1].resume_at}

    return abort, stop, resume_at, position_y, new_footnotes, max_lines
