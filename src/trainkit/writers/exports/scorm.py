"""SCORM 1.2 packages: a zip with a manifest, each module's text and its quiz.

A package holds one module or a whole edition. Each module has a folder named by its id
with two pages: ``text.html``, the participant text as the edition's HTML writer makes
it (styles and images inside the page), and ``quiz.html``, its auto-gradable questions
(``quiz.py``), marked by ``scorm/quiz.js``. ``imsmanifest.xml`` lists, per module, an
item for the text (a SCORM asset) and one for the quiz (the SCO that reports score and
status, with ``adlcp:masteryscore``). Fonts an edition's script needs (Amiri for Arabic)
are files of the package; nothing is fetched from the network. The zip is written to a
temporary file and moved into place.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from trainkit.files import atomic_target
from trainkit.fonts import script_font
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.writers.exports.content import QuestionGroup
from trainkit.writers.exports.quiz import SCRIPT, quiz_page
from trainkit.writers.html.render import (
    HtmlRenderer, data_uri, module_items, read_resource, render_template, stylesheet,
    template_context,
)

#: ``title`` elements of the manifest hold at most this many characters (IMS CP 1.1.2).
TITLE_LIMIT = 200
NAMESPACES = ('xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
              'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"')


@dataclass(frozen=True, slots=True)
class ScormModule:
    """A module of a package: its participant text and its questions (with answers)."""

    text: EditionModule
    questions: QuestionGroup

    @property
    def folder(self) -> str:
        return self.text.meta.id


@dataclass(frozen=True, slots=True)
class ScormPackage:
    """What one zip holds: the modules, the package's title and id, the mastery score."""

    identifier: str
    title: str
    modules: tuple[ScormModule, ...]
    mastery: float


class _TextRenderer(HtmlRenderer):
    """The edition's HTML for one module's page: a reference to another module is text."""

    def inline_CrossRef(self, node: d.CrossRef) -> str:
        if self.current is not None and node.module_id != self.current.module.meta.id:
            return self.inlines(node.children)
        return super().inline_CrossRef(node)


def _title(text: str) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= TITLE_LIMIT else text[:TITLE_LIMIT - 1] + "…")


def manifest_xml(package: ScormPackage, words: dict[str, str]) -> str:
    """``imsmanifest.xml`` of ``package`` (SCORM 1.2: IMS CP 1.1.2 with ADL's extensions)."""
    items: list[str] = []
    resources: list[str] = []
    for unit in package.modules:
        ident, folder = f"M-{unit.folder}", unit.folder
        mastery = (f"<adlcp:masteryscore>{package.mastery:g}</adlcp:masteryscore>"
                   if unit.questions.gradable else "")
        items.append(
            f'      <item identifier="{ident}" isvisible="true"><title>'
            f"{_title(unit.questions.title)}</title>\n"
            f'        <item identifier="{ident}-text" identifierref="R-{folder}-text" '
            f'isvisible="true"><title>{_title(words["module-text"])}</title></item>\n'
            f'        <item identifier="{ident}-quiz" identifierref="R-{folder}-quiz" '
            f'isvisible="true"><title>{_title(words["quiz"])}</title>{mastery}</item>\n'
            "      </item>\n")
        resources.append(
            f'    <resource identifier="R-{folder}-text" type="webcontent" '
            f'adlcp:scormtype="asset" href="{folder}/text.html">'
            f'<file href="{folder}/text.html"/></resource>\n'
            f'    <resource identifier="R-{folder}-quiz" type="webcontent" '
            f'adlcp:scormtype="sco" href="{folder}/quiz.html"><file href="{folder}/quiz.html"/>'
            f'<file href="{SCRIPT}"/></resource>\n')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<manifest identifier={quoteattr(package.identifier)} version=\"1.0\" "
            f"{NAMESPACES}>\n"
            "  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>"
            "</metadata>\n"
            '  <organizations default="ORG">\n    <organization identifier="ORG">\n'
            f"      <title>{_title(package.title)}</title>\n{''.join(items)}"
            "    </organization>\n  </organizations>\n"
            f"  <resources>\n{''.join(resources)}  </resources>\n</manifest>\n")


def font_files(language: str) -> tuple[str, dict[str, Path]]:
    """``@font-face`` rules for a page one folder down, and the files they load, for the
    fonts ``language``'s script needs (none for Latin script)."""
    font = script_font(language)
    if font is None:
        return "", {}
    rules, files = [], {}
    for weight, path in font.files.items():
        css_weight = "bold" if weight == "bold" else "normal"
        files[f"fonts/{path.name}"] = path
        rules.append(f'@font-face {{ font-family: "{font.family}"; font-weight: {css_weight}; '
                     f'src: url("../fonts/{path.name}"); }}')
    return "\n".join(rules) + "\n", files


def text_page(edition: AssembledEdition, module: EditionModule,
              image_source: Callable[[str], str], fonts_css: str) -> str:
    """The participant text of ``module`` as a self-contained page."""
    alone = replace(edition, modules=(module,), compact=False)
    css = fonts_css + stylesheet(alone, "screen")
    context = template_context(alone, "screen", image_source, css)
    context["modules"] = module_items(alone, _TextRenderer(alone, "screen", image_source))
    return render_template("scorm-text.html.j2", context)


def _entries(edition: AssembledEdition, package: ScormPackage,
             resolver: ProjectResolver) -> Iterator[tuple[str, bytes]]:
    """The files of ``package``: (name in the zip, bytes), the manifest first."""

    def inline_image(src: str) -> str:
        return data_uri(resolver.resolve(src, resolver.root, suffixes=IMAGE_SUFFIXES,
                                         max_bytes=MAX_IMAGE_BYTES))

    yield "imsmanifest.xml", manifest_xml(package, edition.labels).encode("utf-8")
    fonts_css, fonts = font_files(edition.language)
    for unit in package.modules:
        page = text_page(edition, unit.text, inline_image, fonts_css)
        yield f"{unit.folder}/text.html", page.encode("utf-8")
        quiz = quiz_page(edition, unit.questions, package.mastery, inline_image,
                         script=f"../{SCRIPT}", fonts_css=fonts_css)
        yield f"{unit.folder}/quiz.html", quiz.encode("utf-8")
    yield SCRIPT, read_resource("scorm/quiz.js").encode("utf-8")
    for name, path in fonts.items():
        yield name, path.read_bytes()


def write_scorm(edition: AssembledEdition, package: ScormPackage, resolver: ProjectResolver,
                target: Path) -> int:
    """Write ``package`` as a zip to ``target`` atomically; the number of files in it."""
    stamp = (edition.date.year, edition.date.month, edition.date.day, 0, 0, 0)
    count = 0
    with atomic_target(target) as temporary:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in _entries(edition, package, resolver):
                info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
                count += 1
    return count

