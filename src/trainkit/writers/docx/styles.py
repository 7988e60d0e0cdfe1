"""Style ids by name, resolved once per document.

Paragraphs name their style by id (``w:pStyle``), so the writer asks the :class:`StyleBook`
for each id once instead of letting python-docx walk every style definition per paragraph.
Styles are matched by name, case-insensitively (Word stores ``heading 1`` and ``Title``
and localises style ids, never names), like pandoc. A style the reference document lacks
is copied from the default reference shipped with trainkit, with the styles it is based
on, so a user's ``--reference-docx`` only has to define what it wants to change.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable

from trainkit.writers.docx.oxml import Element, make, parse, qn, sub

StyleKind = str  # "paragraph", "character", "table" or "numbering"
_DEPENDENCIES = ("w:basedOn", "w:next", "w:link")


def _name(style: Element) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) or "") if name is not None else ""


def _kind(style: Element) -> StyleKind:
    return style.get(qn("w:type")) or "paragraph"


def _style_id(style: Element) -> str:
    return style.get(qn("w:styleId")) or ""


class StyleIndex:
    """The styles of one ``w:styles`` element by (kind, lower-case name) and by id."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.by_name: dict[tuple[StyleKind, str], Element] = {}
        self.by_id: dict[str, Element] = {}
        for style in root.iterchildren(qn("w:style")):
            self.add(style)

    def add(self, style: Element) -> None:
        self.by_name.setdefault((_kind(style), _name(style).lower()), style)
        self.by_id.setdefault(_style_id(style), style)


def default_styles() -> Element:
    """The ``w:styles`` element of the default reference shipped with trainkit."""
    from trainkit.writers.docx.reference import default_reference_bytes

    with zipfile.ZipFile(io.BytesIO(default_reference_bytes())) as archive:
        return parse(archive.read("word/styles.xml"))


class StyleBook:
    """Resolves style names to the ids of one document, adding missing styles."""

    def __init__(self, root: Element,
                 fallback: Callable[[], Element] = default_styles) -> None:
        self.index = StyleIndex(root)
        self._fallback_loader = fallback
        self._fallback: StyleIndex | None = None
        self._ids: dict[tuple[StyleKind, str], str] = {}
        self._indents: dict[str, int] = {}

    def id(self, name: str, kind: StyleKind = "paragraph") -> str:
        """The id of the style called ``name`` (copied from the default if missing)."""
        key = (kind, name.lower())
        found = self._ids.get(key)
        if found is None:
            style = self.index.by_name.get(key)
            found = _style_id(style) if style is not None else self._import(key)
            self._ids[key] = found
        return found

    def paragraph(self, name: str) -> str:
        return self.id(name, "paragraph")

    def character(self, name: str) -> str:
        return self.id(name, "character")

    def table(self, name: str) -> str:
        return self.id(name, "table")

    def element(self, name: str, kind: StyleKind = "paragraph") -> Element:
        """The ``w:style`` element of ``name`` in this document."""
        return self.index.by_id[self.id(name, kind)]

    def _import(self, key: tuple[StyleKind, str]) -> str:
        if self._fallback is None:
            self._fallback = StyleIndex(self._fallback_loader())
        source = self._fallback.by_name.get(key)
        if source is None:
            raise KeyError(f"no {key[0]} style named {key[1]!r} in the default reference")
        style = copy.deepcopy(source)
        style_id = _style_id(source)
        while style_id in self.index.by_id:
            style_id += "0"
        style.set(qn("w:styleId"), style_id)
        style.attrib.pop(qn("w:default"), None)
        for numbering in style.iter(qn("w:numPr")):  # numbering ids belong to the default
            parent = numbering.getparent()
            if parent is not None:
                parent.remove(numbering)
        self.index.root.append(style)
        self.index.add(style)
        self._ids[key] = style_id
        self._import_dependencies(style)
        return style_id

    def _import_dependencies(self, style: Element) -> None:
        assert self._fallback is not None
        for tag in _DEPENDENCIES:
            reference = style.find(qn(tag))
            if reference is None:
                continue
            target = self._fallback.by_id.get(reference.get(qn("w:val")) or "")
            if target is None:
                style.remove(reference)
                continue
            reference.set(qn("w:val"), self.id(_name(target), _kind(target)))

    def indent(self, style_id: str) -> int:
        """The left indent of paragraph style ``style_id`` in twips, inherited or 0."""
        found = self._indents.get(style_id)
        if found is None:
            found = self._indents[style_id] = self._indent(style_id)
        return found

    def _indent(self, style_id: str) -> int:
        style = self.index.by_id.get(style_id)
        seen: set[str] = set()
        while style is not None and _style_id(style) not in seen:
            seen.add(_style_id(style))
            indent = style.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            value = None if indent is None else (
                indent.get(qn("w:left")) or indent.get(qn("w:start")))
            if value is not None and value.lstrip("-").isdigit():
                return int(value)
            based_on = style.find(qn("w:basedOn"))
            style = None if based_on is None else self.index.by_id.get(
                based_on.get(qn("w:val")) or "")
        return 0

    # -- language ---------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """Spell-check language on the document defaults and the Normal style."""
        root = self.index.root
        defaults = root.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = make("w:docDefaults")
            root.insert(0, defaults)
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = make("w:rPrDefault")
            defaults.insert(0, run_defaults)
        _set_language(_child(run_defaults, "w:rPr"), language)
        normal = self.element("Normal")
        properties = normal.find(qn("w:rPr"))
        if properties is None:
            properties = make("w:rPr")
            table_properties = normal.find(qn("w:tblPr"))
            if table_properties is not None:
                table_properties.addprevious(properties)
            else:
                normal.append(properties)
        _set_language(properties, language)


def _child(parent: Element, tag: str) -> Element:
    found = parent.find(qn(tag))
    return found if found is not None else sub(parent, tag)


def _set_language(run_properties: Element, language: str) -> None:
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    lang = make("w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": language})
    for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"):
        successor = run_properties.find(qn(tag))
        if successor is not None:
            successor.addprevious(lang)
            return
    run_properties.append(lang)
