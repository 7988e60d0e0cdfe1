"""Development tool (not installed): generate ``trainkit/resources/reference.docx``, the default look of DOCX editions.

Run it after changing a style below (the file it writes is committed)::

    python tools/make_reference_docx.py [OUTPUT]

It starts from python-docx's default template, replaces the definitions of the built-in
styles trainkit uses and adds its own (one per training block, the cover, the module head,
the table style), all in the colours and type of the HTML/PDF edition, on A4 pages. A
``--reference-docx`` that lacks any of these styles gets them copied from this file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainkit.writers.docx.oxml import Element

ACCENT, MUTED, INK, RULE = "1F5F8B", "5B6573", "1D2430", "C9D1DA"
SERIF, SANS, MONO = "Georgia", "Arial", "Consolas"
TEXT_WIDTH = 9638  # A4 with 20 mm margins, in twips: the right tab of the TOC lines
#: The right indent of the contents' lines: the page numbers stand in it, past the end of
#: the entries' text, so that filling them in after a layout never makes an entry wrap.
TOC_NUMBER_ROOM = 567

#: (fill, rule colour) of each training block, as in base.css.
BLOCK_COLOURS = {
    "Case Study": ("F3F7FB", "1F5F8B"),
    "Exercise": ("F2F8F1", "2E7D32"),
    "Trainer Note": ("FFF7E6", "C77700"),
    "Key Points": ("F5F2FB", "5E35B1"),
    "Assessment Question": ("F7F7F7", "616161"),
    "Answer": ("FFFFFF", "616161"),
}

Border = tuple[str, int, int, str]  # (val, size in eighths of a point, space, colour)


@dataclass(frozen=True)
class Para:
    """Paragraph properties, in the schema's order when written."""

    keep_next: bool = False
    keep_lines: bool = False
    borders: dict[str, Border] = field(default_factory=dict)
    fill: str = ""
    tabs: tuple[tuple[str, int, str], ...] = ()  # (alignment, position, leader)
    before: int | None = None
    after: int | None = None
    line: int | None = None
    exact: bool = False  # ``line`` is an exact height, not a multiple of the font's
    left: int | None = None
    right: int | None = None
    hanging: int | None = None
    contextual: bool = False  # no spacing between paragraphs of the same style
    justify: str = ""
    outline: int | None = None

    def xml(self) -> str:
        parts = []
        if self.keep_next:
            parts.append("<w:keepNext/>")
        if self.keep_lines:
            parts.append("<w:keepLines/>")
        if self.borders:
            sides = "".join(
                f'<w:{side} w:val="{b[0]}" w:sz="{b[1]}" w:space="{b[2]}" w:color="{b[3]}"/>'
                for side in ("top", "left", "bottom", "right", "between")
                if (b := self.borders.get(side)))
            parts.append(f"<w:pBdr>{sides}</w:pBdr>")
        if self.fill:
            parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{self.fill}"/>')
        if self.tabs:
            tabs = "".join(f'<w:tab w:val="{a}" w:leader="{leader}" w:pos="{p}"/>'
                           for a, p, leader in self.tabs)
            parts.append(f"<w:tabs>{tabs}</w:tabs>")
        spacing = {"w:before": self.before, "w:after": self.after, "w:line": self.line}
        if any(v is not None for v in spacing.values()):
            attrs = " ".join(f'{k}="{v}"' for k, v in spacing.items() if v is not None)
            rule = (f' w:lineRule="{"exact" if self.exact else "auto"}"'
                    if self.line is not None else "")
            parts.append(f"<w:spacing {attrs}{rule}/>")
        indent = {"w:left": self.left, "w:right": self.right, "w:hanging": self.hanging}
        if any(v is not None for v in indent.values()):
            attrs = " ".join(f'{k}="{v}"' for k, v in indent.items() if v is not None)
            parts.append(f"<w:ind {attrs}/>")
        if self.contextual:
            parts.append("<w:contextualSpacing/>")
        if self.justify:
            parts.append(f'<w:jc w:val="{self.justify}"/>')
        if self.outline is not None:
            parts.append(f'<w:outlineLvl w:val="{self.outline}"/>')
        return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


@dataclass(frozen=True)
class Chars:
    """Run properties, in the schema's order when written."""

    font: str = ""
    bold: bool = False
    italic: bool = False
    caps: bool = False
    no_proof: bool = False
    color: str = ""
    spacing: int | None = None
    size: int | None = None  # half-points
    superscript: bool = False

    def xml(self) -> str:
        parts = []
        if self.font:
            f = self.font
            parts.append(f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}"/>')
        if self.bold:
            parts.append("<w:b/><w:bCs/>")
        if self.italic:
            parts.append("<w:i/><w:iCs/>")
        if self.caps:
            parts.append("<w:caps/>")
        if self.no_proof:
            parts.append("<w:noProof/>")
        if self.color:
            parts.append(f'<w:color w:val="{self.color}"/>')
        if self.spacing is not None:
            parts.append(f'<w:spacing w:val="{self.spacing}"/>')
        if self.size is not None:
            parts.append(f'<w:sz w:val="{self.size}"/><w:szCs w:val="{self.size}"/>')
        if self.superscript:
            parts.append('<w:vertAlign w:val="superscript"/>')
        return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


@dataclass(frozen=True)
class Style:
    name: str
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    next: str | None = None
    para: Para = field(default_factory=Para)
    chars: Chars = field(default_factory=Chars)
    gallery: bool = False  # shown in Word's quick style gallery
    extra: str = ""  # table style properties

    @property
    def style_id(self) -> str:
        return "".join(word[:1].upper() + word[1:] for word in self.name.split())

    def xml(self, ids: dict[str, str]) -> str:
        """The ``w:style`` element; ``ids`` maps style names to the document's ids."""
        parts = [f'<w:name w:val="{self.name}"/>']
        if self.based_on:
            parts.append(f'<w:basedOn w:val="{ids[self.based_on]}"/>')
        if self.next:
            parts.append(f'<w:next w:val="{ids[self.next]}"/>')
        parts.append('<w:uiPriority w:val="1"/>' if self.gallery else "")
        if self.gallery:
            parts.append("<w:qFormat/>")
        parts.append(self.para.xml())
        parts.append(self.chars.xml())
        parts.append(self.extra)
        default = ' w:default="1"' if self.name == "Normal" else ""
        return (f'<w:style xmlns:w="{W}" w:type="{self.kind}"{default} '
                f'w:styleId="{self.style_id}">{"".join(parts)}</w:style>')


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _box(fill: str, rule: str, dashed: bool) -> dict[str, Border]:
    edge: Border = ("dashed", 4, 4, rule) if dashed else ("single", 4, 4, fill)
    side: Border = ("dashed", 4, 8, rule) if dashed else ("single", 4, 8, fill)
    return {"top": edge, "left": ("single", 24, 8, rule), "bottom": edge, "right": side}


def _table_style() -> Style:
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
    properties = (
        "<w:tblPr><w:tblBorders>"
        + "".join(f"<w:{side} {border}/>"
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
        '<w:left w:w="100" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
        '<w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}" w:cs="{SANS}"/><w:b/><w:bCs/>'
        '</w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7EEF5"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/>'
        f'<w:tcPr><w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="{MUTED}"/>'
        "</w:tcBorders></w:tcPr></w:tblStylePr>"
    )
    return Style("Training Table", "table", "Normal Table",
                 para=Para(after=0, line=240), chars=Chars(size=19), extra=properties)


def styles() -> list[Style]:
    """Every style the default reference defines (or redefines)."""
    heading = Chars(font=SANS, bold=True, color=ACCENT)
    toc_tab = (("right", TEXT_WIDTH, "dot"),)
    result = [
        Style("Normal", based_on=None, para=Para(after=0, line=264),
              chars=Chars(font=SERIF, color=INK, size=21)),
        Style("Body Text", para=Para(after=140, line=288), gallery=True),
        Style("Title", next="Subtitle", para=Para(before=2400, after=160, line=240),
              chars=Chars(font=SANS, bold=True, color=ACCENT, size=56), gallery=True),
        Style("Subtitle", next="Body Text", para=Para(after=480),
              chars=Chars(font=SANS, color=MUTED, size=28), gallery=True),
        Style("heading 1", next="Body Text", gallery=True,
              para=Para(keep_next=True, keep_lines=True, before=0, after=300, outline=0,
                        borders={"bottom": ("single", 8, 6, ACCENT)}),
              chars=Chars(font=SANS, bold=True, color=ACCENT, size=40)),
        Style("heading 2", next="Body Text", gallery=True,
              para=Para(keep_next=True, keep_lines=True, before=360, after=120, outline=1),
              chars=Chars(font=SANS, bold=True, color=ACCENT, size=28)),
        Style("heading 3", next="Body Text", gallery=True,
              para=Para(keep_next=True, keep_lines=True, before=240, after=80, outline=2),
              chars=Chars(font=SANS, bold=True, color=ACCENT, size=24)),
        Style("heading 4", next="Body Text", gallery=True,
              para=Para(keep_next=True, keep_lines=True, before=200, after=60, outline=3),
              chars=Chars(font=SANS, bold=True, italic=True, color=ACCENT, size=21)),
        Style("List Bullet", "paragraph", "Body Text", para=Para(after=140, contextual=True)),
        Style("List Number", "paragraph", "Body Text", para=Para(after=140, contextual=True)),
        Style("List Continue", "paragraph", "Body Text", para=Para(after=80, left=400)),
        Style("List Continue 2", "paragraph", "Body Text", para=Para(after=80, left=800)),
        Style("List Continue 3", "paragraph", "Body Text", para=Para(after=80, left=1200)),
        Style("Quote", "paragraph", "Body Text", gallery=True,
              para=Para(left=400, right=400, borders={"left": ("single", 18, 8, "CCD3DB")}),
              chars=Chars(italic=True, color=MUTED)),
        Style("caption", next="Body Text", gallery=True,
              para=Para(before=60, after=240, justify="center"),
              chars=Chars(font=SANS, color=MUTED, size=18)),
        Style("Figure", next="caption", para=Para(keep_next=True, before=120, after=60,
                                                  justify="center")),
        Style("Source Code", para=Para(after=140, line=240, fill="F4F4F4", borders={
            side: ("single", 2, 4, "F4F4F4") for side in ("top", "left", "bottom", "right")}),
              chars=Chars(font=MONO, no_proof=True, size=18)),
        Style("Thematic Break", next="Body Text",
              para=Para(before=120, after=240, borders={"bottom": ("single", 6, 1, RULE)})),
        Style("Table Text", para=Para(after=0, line=240), chars=Chars(size=19)),
        Style("Table Subheading", "paragraph", "Table Text", chars=Chars(font=SANS, bold=True)),
        Style("footnote text", para=Para(after=40, line=240), chars=Chars(size=17)),
        Style("header", para=Para(after=0, line=240, justify="right",
                                  borders={"bottom": ("single", 4, 4, RULE)}),
              chars=Chars(font=SANS, color=MUTED, size=16)),
        Style("footer", para=Para(after=0, line=240, justify="center"),
              chars=Chars(font=SANS, color=MUTED, size=18)),
        Style("TOC Heading", "paragraph", "heading 1", next="Normal",
              para=Para(outline=9, after=360)),
        Style("toc 1", next="Normal", para=Para(before=140, after=40, tabs=toc_tab,
                                                right=TOC_NUMBER_ROOM),
              chars=Chars(font=SANS, bold=True, size=20)),
        Style("toc 2", next="Normal", para=Para(after=20, left=300, tabs=toc_tab,
                                                right=TOC_NUMBER_ROOM),
              chars=Chars(size=20)),
        Style("toc 3", next="Normal", para=Para(after=0, left=600, tabs=toc_tab,
                                                right=TOC_NUMBER_ROOM),
              chars=Chars(color=MUTED, size=19)),
        Style("Part Title", next="Body Text", gallery=True,
              para=Para(before=4000, after=240, justify="center", outline=0),
              chars=Chars(font=SANS, bold=True, color=ACCENT, size=48)),
        Style("Module Summary", "paragraph", "Body Text", para=Para(after=200),
              chars=Chars(italic=True, color=MUTED)),
        Style("Module Facts", para=Para(after=30, left=1800, hanging=1800,
                                        tabs=(("left", 1800, "none"),)),
              chars=Chars(font=SANS, size=18)),
        Style("Objectives Title", next="List Bullet",
              para=Para(keep_next=True, before=240, after=100,
                        borders={"top": ("single", 12, 6, ACCENT)}),
              chars=Chars(font=SANS, bold=True, color=ACCENT)),
        Style("Cover Publisher", para=Para(before=1200, after=240),
              chars=Chars(font=SANS, caps=True, color=MUTED, spacing=20, size=20)),
        Style("Cover Edition", para=Para(before=480, after=480),
              chars=Chars(font=SANS, bold=True, size=32)),
        Style("Cover Facts", para=Para(after=60, tabs=(("left", 2000, "none"),)),
              chars=Chars(font=SANS)),
        Style("Cover Draft", para=Para(before=480),
              chars=Chars(font=SANS, bold=True, caps=True, color="B00020", size=28)),
        Style("Block Separator", para=Para(before=0, after=0, line=120),
              chars=Chars(size=4)),
        # One ruled line of a handout's notes area: an empty paragraph of fixed height
        # with a rule below (``between`` too, or Word draws one rule under the group).
        Style("Note Line", para=Para(before=0, after=0, line=480, exact=True, borders={
            "bottom": ("single", 4, 1, RULE), "between": ("single", 4, 1, RULE)}),
              chars=Chars(size=21)),
        Style("Hyperlink", "character", "Default Paragraph Font", chars=Chars(color=ACCENT)),
        Style("Verbatim Char", "character", "Default Paragraph Font",
              chars=Chars(font=MONO, no_proof=True, size=19)),
        Style("footnote reference", "character", "Default Paragraph Font",
              chars=Chars(superscript=True)),
        Style("Fact Label", "character", "Default Paragraph Font",
              chars=Chars(font=SANS, bold=True, color=MUTED)),
        _table_style(),
    ]
    for name, (fill, rule) in BLOCK_COLOURS.items():
        box = _box(fill, rule, dashed=name == "Answer")
        result.append(Style(name, "paragraph", "Body Text", gallery=True, para=Para(
            borders=box, fill=fill, left=240, right=240, after=100)))
        result.append(Style(f"{name} Title", "paragraph", name, next=name, para=Para(
            keep_next=True, after=80), chars=Chars(font=SANS, bold=True, color=rule, size=20)))
    return result


def build(output: Path) -> None:
    """Write the default reference document to ``output``."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from trainkit.writers.docx.oxml import parse, qn
    from trainkit.writers.docx.reference import apply_page_size

    document = docx.Document()
    root = document.styles.element
    existing: dict[tuple[str, str], str] = {
        (str(s.get(qn("w:type"))), _style_name(s).lower()): str(s.get(qn("w:styleId")))
        for s in root.iterchildren(qn("w:style"))}
    ours = {style.name: style for style in styles()}

    def style_id(name: str) -> str:
        for kind in ("paragraph", "character", "table"):
            found = existing.get((kind, name.lower()))
            if found:
                return found
        return ours[name].style_id

    ids = {name: style_id(name) for name in
           [*ours, "Normal", "Default Paragraph Font", "Normal Table"]}
    for style in ours.values():
        for old in list(root.iterchildren(qn("w:style"))):
            if old.get(qn("w:styleId")) == ids[style.name]:
                root.remove(old)
        element = parse(style.xml(ids))
        element.set(qn("w:styleId"), ids[style.name])
        root.append(element)
    _drop_table_styles(root, keep={ids[name] for name in ("Normal Table", "Training Table")})
    _document_defaults(root)
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    assert section is not None
    apply_page_size(section, "A4")
    rels = document.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del rels[rid]
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    properties = document.core_properties
    properties.title = "trainkit reference document"
    properties.author = "trainkit"
    properties.last_modified_by = "trainkit"
    properties.comments = "Styles, page setup and fonts for trainkit DOCX editions."
    properties.revision = 1
    output.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(output))


def _drop_table_styles(root: Element, keep: set[str]) -> None:
    """Remove the template's 140-odd table styles (a third of a megabyte of XML that every
    build would parse and write again); Word still offers its own built-in ones."""
    from trainkit.writers.docx.oxml import qn

    for style in list(root.iterchildren(qn("w:style"))):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in keep:
            root.remove(style)


def _style_name(style: Element) -> str:
    from trainkit.writers.docx.oxml import qn

    name = style.find(qn("w:name"))
    return str(name.get(qn("w:val")) or "") if name is not None else ""


def _document_defaults(root: Element) -> None:
    from trainkit.writers.docx.oxml import parse, qn

    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        root.remove(defaults)
    root.insert(0, parse(
        f'<w:docDefaults xmlns:w="{W}"><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{SERIF}" w:eastAsiaTheme="minorEastAsia" w:hAnsi="{SERIF}" '
        f'w:cs="{SERIF}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    default = (Path(__file__).resolve().parents[1] / "src" / "trainkit" / "resources"
               / "reference.docx")
    output = Path(args[0]) if args else default
    build(output)
    print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
