"""The manifest's theme in the DOCX styles: colours and fonts, as the PDF shows them.

Applied to the default reference only (a ``--reference-docx`` is the user's own design).
Heading styles take the heading colour; links and the rules of Heading 1 and the
objectives' title the accent; each training block's style takes its colour for the left
rule and the label, and a pale tint of it for the shading (borders drawn in the shading's
colour follow the tint, so the box stays one colour). Fonts replace the reference's body and heading families in every style
that names them, and font files (TrueType or OpenType) are embedded in the document, so
it reads the same on a machine without them; WOFF2 files, which Word cannot embed, are
only named.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from trainkit.loading.resolver import FONT_SUFFIXES, MAX_FONT_BYTES, ProjectResolver
from trainkit.schemas.theme import Rgb, Theme, ThemeFont, parse_colour
from trainkit.writers.docx.context import StyleIds
from trainkit.writers.docx.oxml import Element, make, qn, sub
from trainkit.writers.docx.relations import PartLinks, PartNames
from trainkit.writers.docx.script_fonts import embed_font
from trainkit.writers.docx.styles import StyleBook

if TYPE_CHECKING:
    from docx.document import Document

#: How much of a block's colour its shading keeps, as in the HTML and PDF.
TINT = 0.08
_BORDERS = ("top", "left", "bottom", "right")


def apply_theme(document: Document, book: StyleBook, ids: StyleIds, theme: Theme,
                resolver: ProjectResolver, names: PartNames, links: PartLinks) -> None:
    """Give the document's styles the theme's colours and fonts."""
    colours = {key: colour for key, value in theme.colors.given().items()
               if (colour := parse_colour(value)) is not None}
    styles = book.index.by_id
    heading = colours.get("headings") or colours.get("accent")
    if heading is not None:
        for style_id in (*ids.headings.values(), ids.title, ids.part_title,
                         ids.objectives_title):
            set_colour(styles[style_id], heading)
    accent = colours.get("accent")
    if accent is not None:
        set_colour(styles[ids.hyperlink], accent)
        for style_id in (ids.headings[1], ids.objectives_title):  # their rules
            recolour_rules(styles[style_id], accent)
    for kind, style_id in ids.blocks.items():
        colour = colours.get(kind)
        if colour is not None:
            colour_box(styles[style_id], colour)
            set_colour(styles[ids.block_titles[kind]], colour)
    fonts = theme.fonts
    replacements: dict[str, str] = {}
    if fonts.body is not None:
        replacements[_family(styles[ids.normal])] = fonts.body.family
    if fonts.headings is not None:
        replacements[_family(styles[ids.headings[1]])] = fonts.headings.family
    replace_families(book.index.root, replacements)
    for font in (fonts.body, fonts.headings):
        if font is not None and font.files():
            embed_font(document, font.family, _font_files(font, resolver), names, links)


def set_colour(style: Element, colour: Rgb) -> None:
    """``colour`` as the text colour of ``style``."""
    properties = style.find(qn("w:rPr"))
    if properties is None:
        properties = sub(style, "w:rPr")
    found = properties.find(qn("w:color"))
    if found is None:
        found = make("w:color")
        _insert_colour(properties, found)
    for name in ("w:themeColor", "w:themeShade", "w:themeTint"):
        found.attrib.pop(qn(name), None)
    found.set(qn("w:val"), colour.hex)


def _insert_colour(properties: Element, colour: Element) -> None:
    """``w:color`` in its place in ``w:rPr`` (after fonts, weight, caps..., before size)."""
    for tag in ("w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
                "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout"):
        later = properties.find(qn(tag))
        if later is not None:
            later.addprevious(colour)
            return
    properties.append(colour)


def recolour_rules(style: Element, colour: Rgb) -> None:
    """Every border ``style`` draws (a rule under or over a title), in ``colour``."""
    borders = style.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
    for border in borders if borders is not None else ():
        border.set(qn("w:color"), colour.hex)


def colour_box(style: Element, colour: Rgb) -> None:
    """A block's box in ``colour``: the left rule in it, the shading (and the borders
    drawn in the shading's colour) in its tint; a white box (answers) stays white."""
    properties = style.find(qn("w:pPr"))
    if properties is None:
        return
    shading = properties.find(qn("w:shd"))
    old_fill = (shading.get(qn("w:fill")) or "").upper() if shading is not None else ""
    tint = colour.tint(TINT).hex
    new_fill = old_fill if old_fill in ("", "FFFFFF", "AUTO") else tint
    borders = properties.find(qn("w:pBdr"))
    for side in _BORDERS if borders is not None else ():
        border = borders.find(qn(f"w:{side}")) if borders is not None else None
        if border is None:
            continue
        shaded = (border.get(qn("w:color")) or "").upper() == old_fill and side != "left"
        border.set(qn("w:color"), new_fill if shaded else colour.hex)
    if shading is not None and new_fill != old_fill:
        shading.set(qn("w:fill"), new_fill)


def _family(style: Element) -> str:
    fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return (fonts.get(qn("w:ascii")) or "") if fonts is not None else ""


def replace_families(styles: Element, replacements: dict[str, str]) -> None:
    """Every font slot naming a key of ``replacements`` (Latin, East Asian and complex
    script) names its value instead, in the document defaults and every style."""
    replacements = {old: new for old, new in replacements.items() if old}
    if not replacements:
        return
    slots = [qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")]
    for fonts in styles.iter(qn("w:rFonts")):
        for slot in slots:
            value = fonts.get(slot)
            if value in replacements:
                fonts.set(slot, replacements[value])


def _font_files(font: ThemeFont, resolver: ProjectResolver) -> dict[str, Path]:
    """The font's embeddable files by the weights Word knows (``regular``, ``bold``)."""
    found: dict[str, Path] = {}
    for weight, reference in font.files().items():
        path = resolver.resolve(reference, resolver.root, suffixes=FONT_SUFFIXES,
                                max_bytes=MAX_FONT_BYTES)
        if path.suffix.lower() in (".ttf", ".otf"):
            found["regular" if weight == "normal" else weight] = path
    return found
