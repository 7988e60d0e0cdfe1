"""List numbering: one bullet and one ordered definition, one numbering instance per list.

Word numbers paragraphs through ``w:numPr`` (``w:numId`` and ``w:ilvl``): the ``w:num``
instance points to a ``w:abstractNum`` that defines nine levels. All bullet lists share one
instance. Every ordered list gets a new instance whose ``w:lvlOverride/w:startOverride``
restarts the count, so the second list of a module does not continue the first.
"""

from __future__ import annotations

from trainkit.writers.docx.oxml import Element, make, qn, sub, w

LEVELS = 9
INDENT_STEP = 400  # twips per level; "List Continue N" styles indent the same way
BULLETS = ("\u2022", "\u25e6", "\u25aa")
ORDERED = (("decimal", "%{}."), ("lowerLetter", "%{}."), ("lowerRoman", "%{}."))


def _numbers(root: Element, tag: str, attribute: str) -> list[int]:
    values = []
    for element in root.iterchildren(qn(tag)):
        try:
            values.append(int(element.get(qn(attribute)) or 0))
        except ValueError:
            continue
    return values


class ListNumbering:
    """Adds the definitions to a ``w:numbering`` element once and instances per list."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self._next_abstract = max(_numbers(root, "w:abstractNum", "w:abstractNumId"),
                                  default=-1) + 1
        self._next_num = max(_numbers(root, "w:num", "w:numId"), default=0) + 1
        self._first_num = root.find(qn("w:num"))
        self._cleanup = root.find(qn("w:numIdMacAtCleanup"))
        self._bullet_abstract: int | None = None
        self._ordered_abstract: int | None = None
        self._bullet_num: int | None = None

    def bullet(self) -> int:
        """The numbering id every bullet list uses."""
        if self._bullet_num is None:
            if self._bullet_abstract is None:
                self._bullet_abstract = self._add_abstract(ordered=False)
            self._bullet_num = self._add_num(self._bullet_abstract)
        return self._bullet_num

    def ordered(self, start: int = 1, level: int = 0) -> int:
        """A new numbering id for one ordered list at ``level``, counting from ``start``."""
        if self._ordered_abstract is None:
            self._ordered_abstract = self._add_abstract(ordered=True)
        return self._add_num(self._ordered_abstract, restart=(level, start))

    def _add_abstract(self, *, ordered: bool) -> int:
        abstract_id = self._next_abstract
        self._next_abstract += 1
        abstract = make("w:abstractNum", {"w:abstractNumId": abstract_id})
        w(abstract, "nsid", f"{0x7A1C0000 + abstract_id:08X}")
        w(abstract, "multiLevelType", "hybridMultilevel")
        for level in range(LEVELS):
            _level(abstract, level, ordered)
        if self._first_num is not None:
            self._first_num.addprevious(abstract)
        elif self._cleanup is not None:
            self._cleanup.addprevious(abstract)
        else:
            self.root.append(abstract)
        return abstract_id

    def _add_num(self, abstract_id: int, restart: tuple[int, int] | None = None) -> int:
        num_id = self._next_num
        self._next_num += 1
        num = make("w:num", {"w:numId": num_id})
        w(num, "abstractNumId", abstract_id)
        if restart is not None:
            override = sub(num, "w:lvlOverride", {"w:ilvl": restart[0]})
            w(override, "startOverride", restart[1])
        if self._cleanup is not None:
            self._cleanup.addprevious(num)
        else:
            self.root.append(num)
        if self._first_num is None:
            self._first_num = num
        return num_id


def _level(abstract: Element, level: int, ordered: bool) -> None:
    element = sub(abstract, "w:lvl", {"w:ilvl": level})
    w(element, "start", 1)
    if ordered:
        number_format, text = ORDERED[level % len(ORDERED)]
        w(element, "numFmt", number_format)
        w(element, "lvlText", text.format(level + 1))
    else:
        w(element, "numFmt", "bullet")
        w(element, "lvlText", BULLETS[level % len(BULLETS)])
    w(element, "lvlJc", "left")
    properties = sub(element, "w:pPr")
    sub(properties, "w:ind", {"w:left": INDENT_STEP * (level + 1), "w:hanging": INDENT_STEP})


def number_paragraph(p: Element, num_id: int, level: int) -> None:
    """Give ``p`` (which has a ``w:pPr`` with its style) the numbering ``num_id``/``level``."""
    properties = p[0]
    numbering = make("w:numPr")
    w(numbering, "ilvl", level)
    w(numbering, "numId", num_id)
    style = properties.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(numbering)
    else:
        properties.insert(0, numbering)
