"""The CSS of an edition: the built-in sheets of its flavour (print or screen), its
script's fonts and direction, then the manifest's theme."""

from __future__ import annotations

from typing import Literal

from trainkit.fonts import font_face_css, foreign_module_css, script_font
from trainkit.loading.resolver import ProjectResolver
from trainkit.model.edition import AssembledEdition
from trainkit.writers.html.templates import read_resource
from trainkit.writers.html.theme import print_font_url, screen_font_url, theme_css

Flavour = Literal["print", "screen"]


def stylesheet(edition: AssembledEdition, flavour: Flavour,
               resolver: ProjectResolver | None = None) -> str:
    """The CSS of a flavour, with the page size, script fonts and direction of the edition,
    then the manifest's theme (its files read through ``resolver``)."""
    css = read_resource("css/base.css") + read_resource(f"css/{flavour}.css")
    if flavour == "print":
        css += read_resource("css/book.css") + font_face_css(edition.language)
    elif script_font(edition.language) is not None:
        css += SCREEN_SCRIPT_FONTS
    css += foreign_module_css(edition.language)
    if edition.direction == "rtl":
        css += read_resource(f"css/rtl-{flavour}.css")
    css = css.replace("__PAGE_SIZE__", edition.manifest.output.page_size)
    if resolver is not None:
        css += theme_stylesheet(edition, flavour, resolver)
    return css


def theme_stylesheet(edition: AssembledEdition, flavour: Flavour,
                     resolver: ProjectResolver) -> str:
    """The manifest's theme as CSS, for after the built-in stylesheet."""
    fonts = print_font_url if flavour == "print" else screen_font_url(resolver)
    return theme_css(edition.manifest.theme, edition.language, resolver, fonts)


#: On screen the reader's own fonts serve: the stack names the common Arabic ones.
SCREEN_SCRIPT_FONTS = ('html, h1, h2, h3, h4, .block-label, th, dt { font-family: "Amiri", '
                       '"Noto Naskh Arabic", "Noto Sans Arabic", "Arial", sans-serif; }\n')
