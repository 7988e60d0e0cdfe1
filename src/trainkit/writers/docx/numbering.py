"""List numbering: bullets, ordered lists, and the outline numbering of headings.

Word numbers paragraphs through ``w:numPr`` (``w:numId`` and ``w:ilvl``): the ``w:num``
instance points to a ``w:abstractNum`` that defines nine levels. All bullet lists share one
instance. Every ordered list gets a new instance whose ``w:lvlOverride/w:startOverride``
restarts the count, so the second list of a module does not continue the first.

Headings are numbered as Word numbers them itself: one multilevel list whose levels are
linked to the heading styles (``w:pStyle`` in each ``w:lvl``, ``w:numPr`` in each heading
style), "Module %1:" for module titles, "%1.%2" and "%1.%2.%3" for sections. A lower level
restarts after a higher one, so section numbers restart in each module, and a heading a
trainer adds in Word is numbered like the others. :class:`HeadingCounter` follows Word's
count while writing, so that every heading the list would number differently from the
PDF (a heading the PDF leaves unnumbered, a level skipped) carries its number as text.
"""

from __future__ import annotations

from trainkit.writers.docx.oxml import (
    PPR_ORDER, Element, ensure_child, last_child, make, qn, style_paragraph_properties, sub, w,
)

LEVELS = 9
_STYLE = qn("w:pStyle")
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
        self._abstracts: dict[int, Element] = {}

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

    def headings(self, styles: dict[int, str], module_word: str, separator: str = ": ",
                 first_module: int = 1, *, right_to_left: bool = False) -> int:
        """The numbering id of the heading outline: level ``n - 1`` numbers the style
        ``styles[n]`` (n = 1, 2, 3); module titles count from ``first_module``.

        The number starts where the heading does: LibreOffice places a number aligned
        "left" from the indent physically, so in right-to-left headings it would stick out
        past the right margin; there it is aligned "right"."""
        abstract_id = self._new_abstract("multilevel")
        abstract = self._abstracts[abstract_id]
        label = module_word.replace("%", "").strip()
        # "Module 1: " as labels.module_title writes it: a no-break space before the
        # number, the language's separator ("\u00a0: " in French), then the space suffix.
        mark = separator.replace("%", "").rstrip() or ":"
        texts = [f"{label}\u00a0%1{mark}" if label else f"%1{mark}", "%1.%2", "%1.%2.%3"]
        for level in range(LEVELS):
            element = sub(abstract, "w:lvl", {"w:ilvl": level})
            w(element, "start", 1)
            numbered = level < len(texts)
            w(element, "numFmt", "decimal" if numbered else "none")
            if numbered:
                w(element, "pStyle", styles[level + 1])
            w(element, "suff", "space" if numbered else "nothing")
            w(element, "lvlText", texts[level] if numbered else "")
            w(element, "lvlJc", "right" if right_to_left else "left")
            sub(sub(element, "w:pPr"), "w:ind", {"w:left": 0, "w:firstLine": 0})
        linked = set(styles.values())
        for other in self.root.iterchildren(qn("w:abstractNum")):  # a style has one list
            if other is not abstract:
                for link in list(other.iter(qn("w:pStyle"))):
                    if link.get(qn("w:val")) in linked and (parent := link.getparent()) is not None:
                        parent.remove(link)
        restart = (0, first_module) if first_module != 1 else None
        return self._add_num(abstract_id, restart=restart)

    def _add_abstract(self, *, ordered: bool) -> int:
        abstract_id = self._new_abstract("hybridMultilevel")
        for level in range(LEVELS):
            _level(self._abstracts[abstract_id], level, ordered)
        return abstract_id

    def _new_abstract(self, kind: str) -> int:
        abstract_id = self._next_abstract
        self._next_abstract += 1
        abstract = make("w:abstractNum", {"w:abstractNumId": abstract_id})
        self._abstracts[abstract_id] = abstract
        w(abstract, "nsid", f"{0x7A1C0000 + abstract_id:08X}")
        w(abstract, "multiLevelType", kind)
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


def number_paragraph(p: Element, num_id: int, level: int | None,
                     properties: Element | None = None) -> None:
    """Give ``p`` (whose first child is its ``w:pPr``, unless ``properties`` are given)
    the numbering ``num_id`` at ``level`` (None: the level its style links; ``num_id`` 0
    takes it out of its style's numbering)."""
    if properties is None:
        properties = p[0]
    last = last_child(properties)
    if last is None or last.tag == _STYLE:  # a new paragraph: numPr comes last
        numbering = sub(properties, "w:numPr")
    else:
        numbering = ensure_child(properties, "numPr", PPR_ORDER)
        numbering.clear()
    if level is not None:
        w(numbering, "ilvl", level)
    w(numbering, "numId", num_id)


def link_styles(styles: dict[int, Element], num_id: int,
                unnumbered: tuple[Element, ...] = ()) -> None:
    """Give each heading style ``styles[n]`` the outline ``num_id`` at level ``n - 1``,
    and the ``unnumbered`` styles (based on a heading style) no numbering."""
    for level, style in styles.items():
        _style_numbering(style, num_id, level - 1)
    for style in unnumbered:
        _style_numbering(style, 0, None)


def _style_numbering(style: Element, num_id: int, level: int | None) -> None:
    number_paragraph(style, num_id, level, style_paragraph_properties(style))


def no_numbering(p: Element) -> None:
    """Take ``p`` out of the numbering its style gives it (``w:numId`` 0)."""
    number_paragraph(p, 0, None)


class HeadingCounter:
    """Word's count of the heading outline, to tell which headings it numbers as the PDF.

    Only headings written with the outline's numbering move the count, as in Word; a
    heading whose number would differ carries its number as text instead.
    """

    def __init__(self, first_module: int = 1) -> None:
        self.module = first_module - 1
        self.numbered_module = False
        self.sections = [0, 0]

    def module_title(self, number: int) -> bool:
        """Whether module ``number``'s title is numbered by the outline (then its
        sections may be too)."""
        self.numbered_module = number == self.module + 1
        if self.numbered_module:
            self.module = number
            self.sections = [0, 0]
        return self.numbered_module

    def section(self, level: int, number: str) -> bool:
        """Whether a heading of ``level`` (2 or 3) numbered ``number`` in the PDF gets
        exactly that number from the outline (which then counts it)."""
        if not self.numbered_module or level not in (2, 3):
            return False
        if level == 2:
            if number != f"{self.module}.{self.sections[0] + 1}":
                return False
            self.sections = [self.sections[0] + 1, 0]
            return True
        if not self.sections[0] or number != (
                f"{self.module}.{self.sections[0]}.{self.sections[1] + 1}"):
            return False
        self.sections[1] += 1
        return True
