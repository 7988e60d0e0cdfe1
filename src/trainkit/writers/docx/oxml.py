"""Small, typed OOXML element helpers: namespaces, element factories, runs and text.

python-docx's proxy API resolves styles by name and scans the body on every insertion
(PERFORMANCE_NOTES.md); the writer builds WordprocessingML elements directly with these
helpers instead, each in O(1). Elements come from python-docx's own parser, so its
proxies still work on the result (the tests read the files back with python-docx).

Every piece of text goes through :func:`clean_text` first: XML 1.0 cannot hold most
control characters, lone surrogates or U+FFFE/U+FFFF, and one of them would make the
whole file unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import cast

from docx.oxml.parser import oxml_parser, parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

Element = BaseOxmlElement

NS: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

#: XML 1.0 forbids C0 controls but tab/LF/CR, surrogates and U+FFFE/U+FFFF; C1 controls
#: are allowed but discouraged and Word rejects some of them, so they go too.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_CLARK: dict[str, str] = {}
#: ``etree.SubElement``, typed: the writer's hottest call, without a ``cast`` each time.
_SubElement: Callable[..., Element] = etree.SubElement


def clean_text(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot hold."""
    return _ILLEGAL.sub("", text)


def qn(tag: str) -> str:
    """``"w:p"`` -> ``"{http://...main}p"``, cached."""
    clark = _CLARK.get(tag)
    if clark is None:
        prefix, local = tag.split(":", 1)
        clark = _CLARK[tag] = f"{{{NS[prefix]}}}{local}"
    return clark


def _attributes(attrs: Mapping[str, str | int] | None) -> dict[str, str]:
    if not attrs:
        return {}
    clark = _CLARK
    return {(clark.get(key) or qn(key)) if ":" in key else key: str(value)
            for key, value in attrs.items()}


def make(tag: str, attrs: Mapping[str, str | int] | None = None) -> Element:
    """A new, detached element ``tag`` (``prefix:name``) with ``attrs``."""
    prefix = tag.split(":", 1)[0]
    element = oxml_parser.makeelement(qn(tag), attrib=_attributes(attrs),
                                      nsmap={prefix: NS[prefix]})
    return cast(Element, element)


def sub(parent: Element, tag: str, attrs: Mapping[str, str | int] | None = None) -> Element:
    """A new child ``tag`` appended to ``parent``."""
    clark = _CLARK.get(tag) or qn(tag)
    if attrs:
        return _SubElement(parent, clark, _attributes(attrs))
    return _SubElement(parent, clark)


def first_child(parent: Element) -> Element | None:
    """The first child of ``parent`` or None, in O(1) (``len()`` counts every child)."""
    try:
        return cast(Element, parent[0])
    except IndexError:
        return None


def last_child(parent: Element) -> Element | None:
    """The last child of ``parent`` or None, in O(1)."""
    try:
        return cast(Element, parent[-1])
    except IndexError:
        return None


_VAL = qn("w:val")


def w(parent: Element, name: str, value: str | int | None = None) -> Element:
    """Appends ``<w:name w:val="value"/>`` (no ``w:val`` when value is None)."""
    tag = f"w:{name}"
    clark = _CLARK.get(tag) or qn(tag)
    if value is None:
        return _SubElement(parent, clark)
    return _SubElement(parent, clark, {_VAL: str(value)})


def declarations(*prefixes: str) -> str:
    """``xmlns:p="..."`` declarations for the prefixes, to put in XML text to parse."""
    return " ".join(f'xmlns:{prefix}="{NS[prefix]}"' for prefix in prefixes)


def parse(xml: str | bytes) -> Element:
    """An element from XML text (namespaces declared with :func:`declarations`)."""
    return parse_xml(xml)


def serialize(element: Element) -> str:
    """The XML text of ``element`` (tests and debugging)."""
    return cast(str, etree.tostring(element, encoding="unicode"))


# -- schema order -------------------------------------------------------------------

# The schema order of the children we insert into (ECMA-376 part 1, 17.3.1.26, 17.3.2.28,
# 17.4.60, 17.6.17), trimmed to the elements trainkit or a reference document may hold.
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"]
SECTPR_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type",
                 "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
                 "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                 "rtlGutter", "docGrid", "printerSettings", "sectPrChange"]


_RANKS: dict[int, dict[str, int]] = {}


def ensure_child(parent: Element, name: str, order: list[str]) -> Element:
    """The child ``w:name`` of ``parent``, inserted at its place in ``order`` if missing."""
    found = parent.find(qn(f"w:{name}"))
    if found is not None:
        return cast(Element, found)
    ranks = _RANKS.get(id(order))
    if ranks is None:
        ranks = _RANKS[id(order)] = {local: index for index, local in enumerate(order)}
    element = sub(parent, f"w:{name}")  # in the parent's document: cheaper than make()
    rank = ranks[name]
    for child in parent:
        if child is element:
            break
        tag = child.tag
        if isinstance(tag, str) and ranks.get(tag[tag.rfind("}") + 1:], -1) > rank:
            child.addprevious(element)
            break
    return element


#: What follows ``w:pPr`` in a ``w:style`` (CT_Style).
_AFTER_STYLE_PPR = ("w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


def style_paragraph_properties(style: Element) -> Element:
    """The ``w:pPr`` of a ``w:style``, created in its place if missing."""
    found = style.find(qn("w:pPr"))
    if found is not None:
        return cast(Element, found)
    properties = make("w:pPr")
    for tag in _AFTER_STYLE_PPR:
        successor = style.find(qn(tag))
        if successor is not None:
            successor.addprevious(properties)
            return properties
    style.append(properties)
    return properties


# -- paragraphs and runs --------------------------------------------------------------


def paragraph(parent: Element, style_id: str | None = None) -> Element:
    """A ``w:p`` appended to ``parent``, with ``w:pStyle`` when a style is given."""
    element = sub(parent, "w:p")
    if style_id:
        w(sub(element, "w:pPr"), "pStyle", style_id)
    return element


def paragraph_properties(p: Element) -> Element:
    """The ``w:pPr`` of ``p``, created as its first child if missing."""
    first = first_child(p)
    if first is not None and first.tag == qn("w:pPr"):
        return first
    properties = make("w:pPr")
    p.insert(0, properties)
    return properties


def indent(p: Element, left: int, hanging: int = 0) -> None:
    """Direct ``w:ind`` on ``p`` (whose ``w:pPr`` holds at most pStyle and numPr yet)."""
    attributes: dict[str, str | int] = {"w:left": left}
    if hanging:
        attributes["w:hanging"] = hanging
    sub(paragraph_properties(p), "w:ind", attributes)


def run(parent: Element, text: str = "", *, style_id: str | None = None, bold: bool = False,
        italic: bool = False, strike: bool = False) -> Element:
    """A ``w:r`` holding ``text`` (tabs as ``w:tab``, newlines as ``w:br``)."""
    element = sub(parent, "w:r")
    if style_id or bold or italic or strike:
        properties = sub(element, "w:rPr")
        if style_id:
            w(properties, "rStyle", style_id)
        if bold:
            w(properties, "b")
        if italic:
            w(properties, "i")
        if strike:
            w(properties, "strike")
    if text:
        add_text(element, text)
    return element


def add_text(r: Element, text: str) -> None:
    """Append ``text`` to the run ``r`` as ``w:t``, ``w:tab`` and ``w:br`` children."""
    text = clean_text(text)
    if "\n" not in text and "\t" not in text and "\r" not in text:  # most text: one w:t
        if text:
            _text(r, text)
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            sub(r, "w:br")
        for index, piece in enumerate(line.split("\t")):
            if index:
                sub(r, "w:tab")
            if piece:
                _text(r, piece)


_T = qn("w:t")
_SPACE = qn("xml:space")


def _text(r: Element, piece: str) -> None:
    t = _SubElement(r, _T)
    t.text = piece
    if piece[0] == " " or piece[-1] == " ":
        t.set(_SPACE, "preserve")


# -- bookmarks and hyperlinks ---------------------------------------------------------


def bookmark(p: Element, name: str, bookmark_id: int) -> None:
    """Wrap the content of ``p`` (after its ``w:pPr``) in bookmark ``name``."""
    start = make("w:bookmarkStart", {"w:id": bookmark_id, "w:name": name})
    first = first_child(p)
    has_properties = first is not None and first.tag == qn("w:pPr")
    p.insert(1 if has_properties else 0, start)
    sub(p, "w:bookmarkEnd", {"w:id": bookmark_id})


def internal_link(parent: Element, anchor: str) -> Element:
    """A ``w:hyperlink`` to the bookmark ``anchor``, appended to ``parent``."""
    return sub(parent, "w:hyperlink", {"w:anchor": anchor, "w:history": "1"})


def external_link(parent: Element, relationship_id: str) -> Element:
    """A ``w:hyperlink`` through the external relationship ``relationship_id``."""
    return sub(parent, "w:hyperlink", {"r:id": relationship_id, "w:history": "1"})
