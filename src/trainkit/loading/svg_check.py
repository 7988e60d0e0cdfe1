"""SVG images must stand alone: parsed safely, and refused if they refer to anything else.

WeasyPrint draws an SVG itself and fetches what the SVG refers to (``<image href>``,
``xlink:href``, ``<use href="other.svg#x">``, CSS ``@import`` and ``url(...)``) through
trainkit's fetcher, which serves none of it: the PDF would fail late, after ``validate``
had passed, and other outputs might already have been replaced. So validation refuses
such an SVG, at the image reference, before anything is built.

Allowed: references to the SVG's own parts (``href="#id"``, ``url(#id)``), styles, text
in any script. Refused (``UnsafeImage``, TK512): any other reference (paths, URLs,
``data:``, hyperlinks), ``<script>`` and ``on...`` attributes, ``<foreignObject>`` (HTML
inside the SVG), XInclude, ``<?xml-stylesheet?>``, and a DOCTYPE with an internal subset
(entity declarations: entity expansion bombs, external entities). A plain DOCTYPE naming
the SVG 1.1 DTD is fine; the DTD is never read.

The parser is expat from the standard library, driven the way defusedxml does it: no
DTD, entity or network access at all, and a handler that stops at the first declaration.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from trainkit.bidi import visible
from trainkit.loading.images import ImageProblem, UnsafeImage

SVG_HINT = ("an SVG image must stand alone: keep only references to its own parts (#id) "
            "and no scripts; embed or redraw what it refers to, or export it again as "
            "plain SVG")

_XINCLUDE = "http://www.w3.org/2001/XInclude"
#: ``url(...)`` in CSS, its target quoted or not.
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6})[ \t\n]?|\\(.)", re.DOTALL)
_SHOWN = 60


def check_svg(data: bytes) -> None:
    """``UnsafeImage`` if the SVG ``data`` does not stand alone; ``ImageProblem`` if it
    is not a well-formed SVG document."""
    checker = _Checker()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = checker.doctype
    parser.EntityDeclHandler = checker.entity
    parser.ExternalEntityRefHandler = checker.external_entity
    parser.ProcessingInstructionHandler = checker.instruction
    parser.StartElementHandler = checker.start
    parser.EndElementHandler = checker.end
    parser.CharacterDataHandler = checker.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ImageProblem(
            f"the SVG file is not well-formed XML (line {error.lineno}, column "
            f"{error.offset + 1}: {expat.ErrorString(error.code)})",
            "open it in a vector editor and save it again as plain SVG") from None
    if not checker.seen_root:
        raise ImageProblem("the file is not an SVG image")


class _Checker:
    """expat handlers that raise at the first thing an SVG may not hold."""

    def __init__(self) -> None:
        self.seen_root = False
        self.in_style = 0
        self.style: list[str] = []

    # -- declarations -------------------------------------------------------------------

    def doctype(self, name: str, system_id: str | None, public_id: str | None,
                has_internal_subset: int) -> None:
        if has_internal_subset:
            raise UnsafeImage("declares entities or other markup in its DOCTYPE", SVG_HINT)

    def entity(self, *args: object) -> None:
        raise UnsafeImage("declares entities or other markup in its DOCTYPE", SVG_HINT)

    def external_entity(self, *args: object) -> int:
        raise UnsafeImage("declares entities or other markup in its DOCTYPE", SVG_HINT)

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise UnsafeImage("links a style sheet (`<?xml-stylesheet?>`)", SVG_HINT)

    # -- elements -----------------------------------------------------------------------

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if not self.seen_root:
            if local != "svg":
                raise ImageProblem("the file is not an SVG image")
            self.seen_root = True
        if namespace == _XINCLUDE:
            raise UnsafeImage("includes another file (XInclude)", SVG_HINT)
        if local == "script":
            raise UnsafeImage("holds a script (`<script>`)", SVG_HINT)
        if local == "foreignObject":
            raise UnsafeImage("holds a `<foreignObject>` (HTML inside the SVG)", SVG_HINT)
        for attribute, value in attributes.items():
            _check_attribute(attribute.rpartition(" ")[2], value)
        if local == "style":
            self.in_style += 1

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "style" and self.in_style:
            self.in_style -= 1
            if not self.in_style:
                _check_css("".join(self.style))
                self.style.clear()

    def text(self, data: str) -> None:
        if self.in_style:
            self.style.append(data)


def _check_attribute(name: str, value: str) -> None:
    if name.lower().startswith("on"):
        raise UnsafeImage(f"holds a script (the `{_shown(name)}` attribute)", SVG_HINT)
    if name == "href":
        _check_target(value)
    elif name == "style":
        _check_css(value)
    elif "url(" in value.lower():
        _check_css(value)


def _check_css(css: str) -> None:
    """Refuse ``@import`` and any ``url(...)`` but ``url(#id)``, CSS escapes decoded."""
    plain = _CSS_COMMENT.sub(" ", _CSS_ESCAPE.sub(_unescape, css))
    if "@import" in plain.lower():
        raise UnsafeImage("imports a style sheet (`@import`)", SVG_HINT)
    for match in _URL.finditer(plain):
        _check_target(next(group for group in match.groups() if group is not None))


def _unescape(match: re.Match[str]) -> str:
    code, char = match.groups()
    if code is None:
        return str(char)
    number = int(code, 16)
    return chr(number) if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF else "\ufffd"


def _check_target(target: str) -> None:
    """Only a reference to a part of the same SVG (``#id``) is allowed."""
    stripped = target.strip()
    if len(stripped) < 2 or not stripped.startswith("#"):
        raise UnsafeImage(f"refers to `{_shown(stripped)}` outside itself", SVG_HINT)


def _shown(text: str) -> str:
    short = text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"
    return visible(short)
