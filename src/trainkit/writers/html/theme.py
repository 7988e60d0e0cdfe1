"""The manifest's theme as CSS, placed after trainkit's own stylesheet.

Colours become the custom properties the built-in CSS already uses (``--accent``,
``--case-rule``, ``--case``...: a block's background is a pale tint of its colour), so
rules that read them, in any stylesheet, follow the theme. Fonts become ``@font-face``
rules whose files are embedded: in print, served by the project fetcher under
``trainkit:project-font/`` (the resolver approves each), on screen as ``data:`` URIs. The
theme's own stylesheet comes last. A comment carries the digests of the theme's files,
so a print piece laid out with an older logo or font is not taken from the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from trainkit.errors import ReferenceRejected
from trainkit.fonts import script_font
from trainkit.loading.resolver import (
    CSS_SUFFIXES, FONT_SUFFIXES, MAX_FONT_BYTES, MAX_TEXT_BYTES, ProjectResolver,
)
from trainkit.schemas.theme import Rgb, Theme, ThemeFont, parse_colour

PROJECT_FONT_SCHEME = "trainkit:project-font/"
#: Custom properties of each block's colour in ``base.css``: (rule, background).
BLOCK_PROPERTIES = {"case-study": ("--case-rule", "--case"),
                    "exercise": ("--exercise-rule", "--exercise"),
                    "trainer-note": ("--trainer-rule", "--trainer"),
                    "key-points": ("--keys-rule", "--keys"),
                    "question": ("--question-rule", "--question")}
#: How much of a block's colour its background keeps (the rest is white).
TINT = 0.08
HEADINGS = "h1, h2, h3, h4, .cover-title, .part-title, .toc-title, .objectives-title"
HEADING_FONT = (f"{HEADINGS}, .block-label, .module-number, .cover, .toc, th, dt, "
                ".endnotes-title")
SERIF, SANS = '"DejaVu Serif", "Noto Serif", Georgia, serif', \
    '"DejaVu Sans", "Noto Sans", Arial, sans-serif'
PICTURES = (".cover-logo { display: block; max-height: 28mm; max-width: 80mm; "
            "margin: 0 0 8mm; }\n"
            ".imprint-logo { display: block; max-height: 14mm; max-width: 50mm; "
            "margin: 0 0 4mm; }\n"
            ".cover-image { display: block; max-width: 100%; max-height: 90mm; "
            "margin: 6mm 0; }\n")
FileSource = Callable[[str], str]


def theme_css(theme: Theme, language: str, resolver: ProjectResolver,
              font_url: FileSource) -> str:
    """The CSS of ``theme`` for an edition in ``language``; ``font_url`` gives the URL of
    a font file (as the theme names it). Empty for an empty theme."""
    parts = [_digests(theme, resolver), _colours(theme), _fonts(theme, language, font_url)]
    if theme.logo or theme.cover_image:
        parts.append(PICTURES)
    if theme.css is not None:
        path = resolver.resolve(theme.css, resolver.root, suffixes=CSS_SUFFIXES,
                                max_bytes=MAX_TEXT_BYTES)
        # "</" would close the <style> element of the HTML; "<\/" means the same in CSS.
        parts.append(path.read_text(encoding="utf-8").replace("</", "<\\/") + "\n")
    return "".join(parts)


def _digests(theme: Theme, resolver: ProjectResolver) -> str:
    files = theme.files()
    if not files:
        return ""
    digests = []
    for file in files:
        try:  # through the resolver, as everything read from the project
            data = resolver.resolve(file.reference, resolver.root,
                                    max_bytes=MAX_FONT_BYTES).read_bytes()
        except (ReferenceRejected, OSError):
            data = b""
        digests.append(hashlib.sha256(data).hexdigest()[:16])
    return f"/* theme files: {' '.join(digests)} */\n"


def _colours(theme: Theme) -> str:
    colours = colour_values(theme)
    properties: list[str] = []
    rules: list[str] = []
    accent = colours.get("accent")
    if accent is not None:
        properties.append(f"--accent: {accent.css};")
    for kind, (rule, background) in BLOCK_PROPERTIES.items():
        colour = colours.get(kind)
        if colour is not None:
            properties.append(f"{rule}: {colour.css}; {background}: {colour.tint(TINT).css};")
    answer = colours.get("answer")
    if answer is not None:  # base.css draws answers with the question's colour
        properties.append(f"--answer-rule: {answer.css};")
        rules.append(".answer { border-color: var(--answer-rule); } "
                     ".answer .block-label { color: var(--answer-rule); }")
    heading = colours.get("headings") or accent
    if heading is not None:
        rules.append(f"{HEADINGS} {{ color: {heading.css}; }}")
    root = f":root {{ {' '.join(properties)} }}\n" if properties else ""
    return root + "".join(rule + "\n" for rule in rules)


def colour_values(theme: Theme) -> dict[str, Rgb]:
    """The theme's colours that parse, by key."""
    found = {key: parse_colour(value) for key, value in theme.colors.given().items()}
    return {key: colour for key, colour in found.items() if colour is not None}


def _fonts(theme: Theme, language: str, font_url: FileSource) -> str:
    rules: list[str] = []
    script = script_font(language)
    extra = f"{css_string(script.family)}, " if script is not None else ""
    for font, selector, fallback in ((theme.fonts.body, "html", SERIF),
                                     (theme.fonts.headings, HEADING_FONT, SANS)):
        if font is None:
            continue
        rules.extend(_faces(font, font_url))
        stack = f"{css_string(font.family)}, {extra}{fallback}"
        rules.append(f"{selector} {{ font-family: {stack}; }}")
        if selector != "html":  # running heads and folios, in print
            rules.append("@page { " + " ".join(
                f"@{box} {{ font-family: {stack}; }}"
                for box in ("top-left", "top-right", "bottom-center")) + " }")
    return "".join(rule + "\n" for rule in rules)


def _faces(font: ThemeFont, font_url: FileSource) -> list[str]:
    return [f"@font-face {{ font-family: {css_string(font.family)}; font-weight: {weight}; "
            f"src: url({_url_string(font_url(path))}); }}"
            for weight, path in font.files().items()]


def _url_string(url: str) -> str:
    """``url`` as a CSS string: the characters that could end it (or the ``<style>``
    element around it) escaped, the rest as they are (a ``data:`` URI stays compact)."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r' else ch for ch in url)
    return f'"{escaped}"'


def css_string(text: str) -> str:
    """``text`` as a CSS string: letters, digits and spaces as they are, others escaped."""
    return '"' + "".join(ch if ch.isalnum() or ch in " -_" else f"\\{ord(ch):x} "
                         for ch in text) + '"'


def print_font_url(reference: str) -> str:
    """The URL of a theme font in print: served by the project fetcher."""
    return PROJECT_FONT_SCHEME + reference


def screen_font_url(resolver: ProjectResolver) -> FileSource:
    """The URL of a theme font on screen: the file itself, as a ``data:`` URI."""
    import base64

    def source(reference: str) -> str:
        path = resolver.resolve(reference, resolver.root, suffixes=FONT_SUFFIXES,
                                max_bytes=MAX_FONT_BYTES)
        mime = FONT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return source


FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}
