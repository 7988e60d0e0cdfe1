"""Word fields (PAGE, TOC, PAGEREF) as complex fields: begin, instruction, separate, end.

A complex field may span paragraphs: the table of contents begins in its first entry and
ends in its last, with the pre-filled entries as the field's current result, which Word
shows as they are. Their page numbers (PAGEREF fields) are filled in from a layout by
LibreOffice (``contents.py``); without one, the TOC field is marked dirty and
``w:updateFields`` in settings asks Word to update fields on opening.
"""

from __future__ import annotations

from typing import cast

from trainkit.writers.docx.oxml import Element, add_text, qn, run, sub

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


def field_char(p: Element, kind: str, *, dirty: bool = False) -> Element:
    """A run holding ``w:fldChar`` of ``kind`` (begin, separate or end)."""
    r = sub(p, "w:r")
    attributes = {"w:fldCharType": kind}
    if dirty:
        attributes["w:dirty"] = "true"
    sub(r, "w:fldChar", attributes)
    return r


def instruction(p: Element, text: str) -> Element:
    """A run holding the field instruction ``text``."""
    r = sub(p, "w:r")
    element = sub(r, "w:instrText")
    element.text = f" {text} "
    element.set(qn("xml:space"), "preserve")
    return r


def begin_field(p: Element, text: str, *, dirty: bool = False) -> Element:
    """Begin a field with instruction ``text`` in ``p``, up to its result; the
    ``w:fldChar`` that begins it."""
    begin = field_char(p, "begin", dirty=dirty)
    instruction(p, text)
    field_char(p, "separate")
    return cast(Element, begin[0])


def end_field(p: Element) -> None:
    field_char(p, "end")


def field(p: Element, text: str, result: str = "", *, style_id: str | None = None) -> Element:
    """A whole field in ``p``: instruction ``text`` and the current ``result``; the run
    holding the result."""
    begin_field(p, text)
    r = run(p, style_id=style_id)
    if result:
        add_text(r, result)
    end_field(p)
    return r
