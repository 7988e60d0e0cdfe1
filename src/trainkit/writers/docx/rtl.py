"""Right-to-left documents: the OOXML Word needs for Arabic, added after the writer's pass.

python-docx has no API for any of it (python-docx#307). For a right-to-left edition every
paragraph gets ``w:bidi`` (right-to-left paragraph), every run holding right-to-left
text ``w:rtl``, bold and italic their complex-script twins ``w:bCs``/``w:iCs`` (or Arabic
text would print upright and light), every table ``w:bidiVisual`` and every section
``w:bidi``. Elements go where the schema's sequence puts them: Word refuses a file whose
children are out of order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from typing import cast

from trainkit.writers.docx.oxml import (
    PPR_ORDER, RPR_ORDER, SECTPR_ORDER, TBLPR_ORDER, Element, ensure_child, make, qn,
)

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
            ensure_child(_properties(paragraph, "pPr"), "bidi", PPR_ORDER)
        for run in root.iter(qn("w:r")):
            _mark_run(run)
        for table in root.iter(qn("w:tbl")):
            ensure_child(_properties(table, "tblPr"), "bidiVisual", TBLPR_ORDER)
        for section in root.iter(qn("w:sectPr")):
            ensure_child(section, "bidi", SECTPR_ORDER)


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
    """Every style's bold, italic and size also for complex scripts; paragraphs right-to-left."""
    for properties in styles_root.iter(qn("w:rPr")):
        complex_twins(properties)
    for style in styles_root.iter(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph":
            ensure_child(_properties(style, "pPr"), "bidi", PPR_ORDER)
