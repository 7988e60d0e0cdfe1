"""Document properties (``docProps/core.xml``) and settings (``word/settings.xml``).

Core properties describe the edition: title, subject (edition and region), author
(publisher), keywords of the included modules only, version, status and language.
python-docx refuses values over 255 characters, so long ones are cut at a word or list
boundary. Settings get ``w:updateFields`` (Word offers to fill in the table of contents
and page numbers on opening) and, with new footnotes, the ``w:footnotePr`` Word writes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from trainkit import __version__
from trainkit.model.edition import AssembledEdition
from trainkit.writers.docx.oxml import Element, clean_text, make, qn, sub

if TYPE_CHECKING:
    from docx.document import Document

MAX_PROPERTY = 255

#: The children of ``w:settings`` in schema order (CT_Settings), to insert in place.
SETTINGS_ORDER: tuple[str, ...] = tuple((
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace "
    "updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
    "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
).split())
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def insert_setting(settings: Element, element: Element) -> None:
    """Put ``element`` among ``settings``' children where the schema orders it, replacing
    an existing one of the same name."""
    local = element.tag[len(_W):]
    for old in settings.findall(element.tag):
        settings.remove(old)
    later = set(SETTINGS_ORDER[SETTINGS_ORDER.index(local) + 1:])
    for child in settings:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag.startswith(_W) or tag[len(_W):] in later:
            child.addprevious(element)
            return
    settings.append(element)


def update_fields_on_open(settings: Element) -> None:
    """``<w:updateFields w:val="true"/>``: Word offers to update every field on opening."""
    insert_setting(settings, make("w:updateFields", {"w:val": "true"}))


def footnote_separators(settings: Element, separator_ids: tuple[int, ...]) -> None:
    """``w:footnotePr`` naming the separator footnotes, unless the settings have one."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    properties = make("w:footnotePr")
    for note_id in separator_ids:
        sub(properties, "w:footnote", {"w:id": note_id})
    insert_setting(settings, properties)


def shorten(text: str, limit: int = MAX_PROPERTY, separator: str = " ") -> str:
    """``text`` cut to ``limit`` characters at a ``separator`` when it is longer."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    head = cut.rsplit(separator, 1)[0] if separator in cut else cut
    return head.rstrip(" ,;")


def keywords(edition: AssembledEdition) -> str:
    """The included modules' keywords, each once, in reading order."""
    seen: dict[str, None] = {}
    for module in edition.modules:
        for keyword in module.meta.keywords:
            seen.setdefault(keyword.strip(), None)
    return shorten(", ".join(k for k in seen if k), separator=", ")


def subject(edition: AssembledEdition) -> str:
    parts = [edition.edition.title]
    if edition.region_name:
        parts.append(edition.region_name)
    return ", ".join(parts)


def set_core_properties(document: Document, edition: AssembledEdition, draft_word: str) -> None:
    """Title, subject, author, keywords, version, status and language of the edition."""
    manifest = edition.manifest
    properties = document.core_properties
    moment = datetime.datetime.combine(edition.date, datetime.time(0, 0))
    properties.title = shorten(manifest.title)
    properties.subject = shorten(subject(edition))
    properties.author = shorten(manifest.publisher or manifest.title)
    properties.keywords = keywords(edition)
    properties.version = shorten(manifest.version)
    properties.revision = 1
    properties.content_status = shorten(draft_word if edition.draft else "")
    properties.language = shorten(edition.language)
    properties.category = shorten(edition.edition.title)
    properties.identifier = shorten(edition.file_stem())
    properties.comments = shorten(f"Generated by trainkit {__version__}")
    properties.last_modified_by = "trainkit"
    properties.created = moment
    properties.modified = moment
