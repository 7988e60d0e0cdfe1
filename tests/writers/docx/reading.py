"""Reading a written DOCX back as Word shows it: paragraph text with its list number.

python-docx's ``paragraph.text`` leaves out the numbers Word draws from ``w:numPr``; the
heading outline puts "Module 1:" and "1.2" there. :func:`shown_texts` follows Word's
count over the body's paragraphs in order (a paragraph's own ``w:numPr``, else its
style's, through ``w:basedOn``; ``w:numId`` 0 means none; a level restarts after a higher
one; ``w:startOverride`` sets where an instance starts).
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.oxml.ns import qn


def _val(element: Any, tag: str) -> str | None:
    found = element.find(qn(tag)) if element is not None else None
    return None if found is None else found.get(qn("w:val"))


def style_numbering(document: Document, style_id: str | None) -> tuple[str | None, str | None]:
    """(numId, ilvl) a paragraph style gives, following ``w:basedOn``."""
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        numbering = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numbering is not None:
            return _val(numbering, "w:numId"), _val(numbering, "w:ilvl")
        style_id = _val(style, "w:basedOn")
    return None, None


def shown_texts(document: Document) -> list[tuple[str, str]]:
    """(style name, text with its list number) of every body paragraph, in order."""
    numbering = document.part.numbering_part.element
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.iter(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n for n in numbering.iter(qn("w:num"))}
    counters: dict[str, list[int]] = {}
    started: set[str] = set()
    shown = []
    for paragraph in document.paragraphs:
        properties = paragraph._p.pPr
        style_id = _val(properties, "w:pStyle")
        num_id, level = style_numbering(document, style_id)
        own = properties.find(qn("w:numPr")) if properties is not None else None
        if own is not None:
            num_id = _val(own, "w:numId")
            level = _val(own, "w:ilvl") or level
        label = ""
        if num_id not in (None, "0") and num_id in nums:
            num = nums[num_id]
            abstract_id = _val(num, "w:abstractNumId") or ""
            abstract = abstracts[abstract_id]
            if level is None:  # the level whose w:pStyle is the paragraph's style
                level = next((lvl.get(qn("w:ilvl")) for lvl in abstract.iter(qn("w:lvl"))
                              if _val(lvl, "w:pStyle") == style_id), "0")
            index = int(level or 0)
            count = counters.setdefault(abstract_id, [0] * 9)
            if num_id not in started:
                started.add(num_id)
                for override in num.iter(qn("w:lvlOverride")):
                    start = _val(override, "w:startOverride")
                    if start is not None:
                        count[int(override.get(qn("w:ilvl")))] = int(start) - 1
            count[index] += 1
            for deeper in range(index + 1, 9):
                count[deeper] = 0
            lvl = next(lvl for lvl in abstract.iter(qn("w:lvl"))
                       if lvl.get(qn("w:ilvl")) == str(index))
            if _val(lvl, "w:numFmt") not in ("bullet", "none"):
                label = _val(lvl, "w:lvlText") or ""
                for n in range(9):
                    label = label.replace(f"%{n + 1}", str(count[n]))
        text = paragraph.text
        shown.append((paragraph.style.name if paragraph.style is not None else "",
                      f"{label} {text}" if label else text))
    return shown
