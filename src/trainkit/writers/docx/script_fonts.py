"""A font for the script of the edition's language, named in the styles and embedded.

The default styles name Georgia, Arial and Consolas for every script, and none of them
has Arabic glyphs: Word and LibreOffice then pick some fallback font. For a language
trainkit has a script font for (``trainkit.fonts``: Amiri, shipped, for Arabic), every
style's complex-script font (``w:rFonts/@w:cs``, the slot Word uses for Arabic text)
names it, and its files are embedded in the document as Word embeds fonts (ECMA-376
part 1, 17.8.1): obfuscated parts (``.odttf``) referred to from the font table, each
XOR-ed in its first 32 bytes with its GUID key. Word and LibreOffice both use embedded
fonts, so the document reads the same on a machine without Amiri; ``w:embedTrueTypeFonts``
keeps them when the trainer saves it from Word.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart

from trainkit.fonts import ScriptFont, script_font
from trainkit.writers.docx.oxml import Element, make, parse, qn, sub, w
from trainkit.writers.docx.properties import insert_setting
from trainkit.writers.docx.relations import PartLinks, PartNames

if TYPE_CHECKING:
    from docx.document import Document

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
#: The ``w:charset`` of a font for each language's script (Windows character sets).
CHARSETS = {"ar": "B2", "fa": "B2", "ur": "B2"}
_EMBED = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
          "bolditalic": "embedBoldItalic"}
_NAMESPACE = uuid.UUID("6f0c7c8e-6d1a-4f5e-9d0b-1a2b3c4d5e6f")


def font_key(family: str, weight: str) -> str:
    """The GUID that obfuscates one embedded font file, the same for every build."""
    return "{" + str(uuid.uuid5(_NAMESPACE, f"{family}/{weight}")).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """``data`` with its first 32 bytes XOR-ed with the key's 16 bytes, in reverse order
    of the GUID's hexadecimal digits (an operation that is its own inverse)."""
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ secret[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def use_script_font(document: Document, language: str, names: PartNames,
                    links: PartLinks) -> ScriptFont | None:
    """Name and embed the script font of ``language`` (None, and nothing done, if the
    default fonts cover it); ``links`` are the document part's relationships."""
    font = script_font(language)
    if font is None:
        return None
    set_complex_script_font(document.styles.element, font.family)
    embed_font(document, font.family, font.files, names, links,
               CHARSETS.get(language.split("-")[0]))
    return font


def embed_font(document: Document, family: str, files: dict[str, Path], names: PartNames,
               links: PartLinks, charset: str | None = None) -> None:
    """Embed the files of ``family`` (by weight: ``regular``, ``bold``...) in the document
    and its font table; ``links`` are the document part's relationships."""
    table = _font_table(document, links)
    table_links = PartLinks(table)
    entry = _entry(table.element, family, charset)
    for weight, path in files.items():
        tag = _EMBED.get(weight)
        if tag is None:
            continue
        key = font_key(family, weight)
        part = Part(names.next("/word/fonts/font%d.odttf"), OBFUSCATED_FONT,
                    obfuscate(path.read_bytes(), key), document.part.package)
        sub(entry, f"w:{tag}", {"r:id": table_links.relate(part, RT.FONT), "w:fontKey": key})
    settings = document.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        insert_setting(settings, make("w:embedTrueTypeFonts"))


def set_complex_script_font(styles: Element, family: str) -> None:
    """``family`` as the complex-script font of the document defaults and every style."""
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None and defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, make("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:cstheme"), None)
        fonts.set(qn("w:cs"), family)


def _font_table(document: Document, links: PartLinks) -> XmlPart:
    """The document's font table as an XML part (created if missing)."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            old = rel.target_part
            if isinstance(old, XmlPart):
                return old
            table = XmlPart(old.partname, CT.WML_FONT_TABLE, parse(old.blob), part.package)
            part.rels.add_relationship(RT.FONT_TABLE, table, rid)
            return table
    table = XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, make("w:fonts"),
                    part.package)
    links.relate(table, RT.FONT_TABLE)
    return table


def _entry(fonts: Element, family: str, charset: str | None) -> Element:
    """A new ``w:font`` for ``family`` in the font table (an old one is replaced)."""
    for old in fonts.iterchildren(qn("w:font")):
        if old.get(qn("w:name")) == family:
            fonts.remove(old)
    entry = sub(fonts, "w:font", {"w:name": family})
    if charset:
        w(entry, "charset", charset)
    w(entry, "family", "auto")
    w(entry, "pitch", "variable")
    return entry
