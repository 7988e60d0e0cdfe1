"""Right-to-left documents: the OOXML Word needs for Arabic, added after the writer's pass.

python-docx has no API for any of it (python-docx#307). For a right-to-left edition every
paragraph gets ``w:bidi`` (right-to-left paragraph), every run holding right-to-left
text ``w:rtl``, bold and italic their complex-script twins ``w:bCs``/``w:iCs`` (or Arabic
text would print upright and light), every table ``w:bidiVisual`` and every section
``w:bidi``. Elements go where the schema's sequence puts them: Word refuses a file whose
children are out of order.

``w:bidi`` makes a paragraph's indents, tabs and alignment read from its start (the
right): ``w:jc`` "left" then means the start, "right" the end. trainkit's alignments mean
sides, as in CSS (the running header on the right, a table column aligned right), so they
are mirrored to stay where they are. Paragraph borders are not affected by ``w:bidi``:
the rule of a training block or quotation, on the start side, is mirrored to the right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from typing import TYPE_CHECKING, cast

from trainkit.writers.docx.oxml import (
    PPR_ORDER, RPR_ORDER, SECTPR_ORDER, TBLPR_ORDER, Element, ensure_child, make, qn,
    style_paragraph_properties,
)

if TYPE_CHECKING:
    from docx.document import Document

_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _properties(element: Element, name: str) -> Element:
    """The properties child (``w:pPr``, ``w:rPr``, ``w:tblPr``), which comes first."""
    found = element.find(qn(f"w:{name}"))
    if found is None:
        found = make(f"w:{name}")
        element.insert(0, found)
    return cast(Element, found)


def make_right_to_left(roots: Iterable[Element]) -> None:
    """Mark every paragraph, run, table and section under ``roots`` as right-to-left."""
    for root in roots:
        for paragraph in root.iter(qn("w:p")):
            properties = _properties(paragraph, "pPr")
            ensure_child(properties, "bidi", PPR_ORDER)
            mirror_alignment(properties)
        for run in root.iter(qn("w:r")):
            _mark_run(run)
        for table in root.iter(qn("w:tbl")):
            ensure_child(_properties(table, "tblPr"), "bidiVisual", TBLPR_ORDER)
        for section in root.iter(qn("w:sectPr")):
            ensure_child(section, "bidi", SECTPR_ORDER)


def keep_direction(elements: Iterable[Element], rtl: bool) -> None:
    """Give the paragraphs and tables under ``elements`` their own direction, whatever the
    document's: a module in English inside an Arabic edition stays left to right.

    The explicit ``w:val="0"`` is needed because the styles of a right-to-left document
    are right-to-left too; ``make_right_to_left`` keeps a value already there.
    """
    value = "1" if rtl else "0"
    for element in elements:
        for paragraph in element.iter(qn("w:p")):
            ensure_child(_properties(paragraph, "pPr"), "bidi", PPR_ORDER).set(
                qn("w:val"), value)
        for table in element.iter(qn("w:tbl")):
            ensure_child(_properties(table, "tblPr"), "bidiVisual", TBLPR_ORDER).set(
                qn("w:val"), value)


def _mark_run(run: Element) -> None:
    text = "".join(node.text or "" for node in run.iter(qn("w:t")))
    properties = run.find(qn("w:rPr"))
    needs_rtl = bool(_RTL_TEXT.search(text))
    if properties is None and not needs_rtl:
        return
    properties = _properties(run, "rPr")
    complex_twins(properties)
    if needs_rtl:
        ensure_child(properties, "rtl", RPR_ORDER)


def complex_twins(properties: Element) -> None:
    """Give bold, italic and size their complex-script twins, so they work on Arabic."""
    for plain, twin in (("b", "bCs"), ("i", "iCs"), ("sz", "szCs")):
        source = properties.find(qn(f"w:{plain}"))
        if source is not None and properties.find(qn(f"w:{twin}")) is None:
            copy = ensure_child(properties, twin, RPR_ORDER)
            value = source.get(qn("w:val"))
            if value is not None:
                copy.set(qn("w:val"), value)


def make_styles_right_to_left(styles_root: Element) -> None:
    """Every style's bold, italic and size also for complex scripts; paragraph styles
    right-to-left, with their alignment kept on its side and their borders mirrored."""
    for properties in styles_root.iter(qn("w:rPr")):
        complex_twins(properties)
    for style in styles_root.iter(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph":
            properties = style_paragraph_properties(style)
            ensure_child(properties, "bidi", PPR_ORDER)
            mirror_alignment(properties)
            mirror_borders(properties)


_SIDES = {"left": "right", "right": "left"}
_BORDER_ORDER = ("top", "left", "bottom", "right", "between", "bar")


def mirror_alignment(properties: Element) -> None:
    """``w:jc`` left <-> right, so that a bidirectional paragraph keeps its side."""
    alignment = properties.find(qn("w:jc"))
    if alignment is not None:
        value = alignment.get(qn("w:val")) or ""
        if value in _SIDES:
            alignment.set(qn("w:val"), _SIDES[value])


def mirror_borders(properties: Element) -> None:
    """The left and right paragraph borders swapped (``w:pBdr`` is not bidirectional)."""
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        return
    for border in list(borders):
        side = border.tag.rsplit("}", 1)[-1]
        if side in _SIDES:
            border.tag = qn(f"w:{_SIDES[side]}")
    ordered = sorted(borders, key=lambda b: _BORDER_ORDER.index(b.tag.rsplit("}", 1)[-1])
                     if b.tag.rsplit("}", 1)[-1] in _BORDER_ORDER else len(_BORDER_ORDER))
    for border in ordered:
        borders.append(border)


def make_document_right_to_left(document: Document, *, body: bool = True) -> None:
    """Mark ``document`` right-to-left: its body (unless ``body`` is False: a streamed
    body is marked piece by piece), headers, footers, footnotes and styles."""
    roots = [document.element] if body else []
    for part in document.part.package.iter_parts():
        if any(kind in str(part.partname) for kind in ("/header", "/footer", "/footnotes")):
            element = getattr(part, "element", None)
            if element is None:
                element = getattr(part, "_element", None)
            if element is not None:
                roots.append(element)
    make_right_to_left(roots)
    make_styles_right_to_left(document.styles.element)
