"""Checks of the manifest's ``theme:``: its files, colours, fonts and stylesheet.

Every file goes through the project resolver (inside the project, of the right type and
size); a logo or cover image must also be an image trainkit can embed (the checks module
images get), a font file a TrueType, OpenType or WOFF2 font, and the stylesheet plain CSS
that brings in nothing else (no ``@import``, no ``url()``): the theme's own keys are the
only way files reach the outputs, so each is confined and checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.errors import ReferenceRejected
from trainkit.fonts import installed_families, is_font_file
from trainkit.loading.image_cache import ImageVerdicts
from trainkit.loading.project import Project
from trainkit.loading.resolver import (
    CSS_SUFFIXES, FONT_SUFFIXES, IMAGE_SUFFIXES, MAX_FONT_BYTES, MAX_IMAGE_BYTES,
    MAX_TEXT_BYTES,
)
from trainkit.loading.strict_yaml import Path_
from trainkit.schemas import Manifest
from trainkit.schemas.theme import ThemeFile, parse_colour

_WHAT: dict[tuple[str, ...], str] = {("logo",): "theme logo", ("cover_image",): "theme cover image", ("css",):
         "theme stylesheet"}
_RULES = {"image": (IMAGE_SUFFIXES, MAX_IMAGE_BYTES), "font": (FONT_SUFFIXES, MAX_FONT_BYTES),
          "css": (CSS_SUFFIXES, MAX_TEXT_BYTES)}
COLOUR_HINT = "write a CSS colour such as #1f5f8b, rgb(31 95 139), hsl(205 64% 33%) or teal"


def check_theme(project: Project) -> Iterator[Diagnostic]:
    """Every finding about the manifest's theme."""
    manifest = project.manifest_model
    if manifest is None:
        return
    theme = manifest.theme
    for key, value in theme.colors.given().items():
        if parse_colour(value) is None:
            yield _at(project, ("theme", "colors", key), "TK322",
                      f"theme colour `{key}` is `{value}`, which is not a CSS colour",
                      COLOUR_HINT)
    # The run's own verdicts: a logo is checked each time (saving them would replace the
    # cache the module images' checks wrote).
    verdicts = ImageVerdicts(None)
    for file in theme.files():
        yield from _check_file(project, file, verdicts)
    yield from _check_families(project, manifest)


def _at(project: Project, path: Path_, code: str, message: str,
        hint: str | None = None) -> Diagnostic:
    pos = project.manifest.loaded.position(path)
    return Diagnostic(project.manifest.path, pos.line, pos.column, code, message, hint)


def _what(file: ThemeFile) -> str:
    if file.key in _WHAT:
        return _WHAT[file.key]
    _, role, weight = file.key  # ("fonts", "body" or "headings", "file" or "bold")
    return f"theme {role} font" if weight == "file" else f"theme {role} bold font"


def _check_file(project: Project, file: ThemeFile,
                verdicts: ImageVerdicts) -> Iterator[Diagnostic]:
    path_key = ("theme", *file.key)
    suffixes, limit = _RULES[file.kind]
    try:
        path = project.resolver.resolve(file.reference, project.root, suffixes=suffixes,
                                        max_bytes=limit)
        data = path.read_bytes()
    except ReferenceRejected as rejected:
        code = rejected.code or ("TK320" if rejected.missing else "TK321")
        reason = rejected.reason
        text = f"{_what(file)} {reason}" if reason.startswith("`") else f"{_what(file)}: {reason}"
        hint = ("put the file in the project folder, or correct the path (it is relative "
                "to trainkit.yaml)") if rejected.missing else rejected.hint
        yield _at(project, path_key, code, text, hint)
        return
    except OSError as error:
        yield _at(project, path_key, "TK321",
                  f"{_what(file)} `{file.reference}` cannot be read: {error.strerror}")
        return
    if file.kind == "image":
        verdict = verdicts.verdict(data, path.suffix)
        if verdict.code is not None:
            joint = " " if verdict.code == "TK512" else " cannot be used: "
            yield _at(project, path_key, verdict.code,
                      f"{_what(file)} `{file.reference}`{joint}{verdict.problem}", verdict.hint)
    elif file.kind == "font" and not is_font_file(data):
        yield _at(project, path_key, "TK323",
                  f"{_what(file)} `{file.reference}` is not a TrueType, OpenType or WOFF2 font",
                  "use the .ttf, .otf or .woff2 file of the font as its makers distribute it")
    elif file.kind == "css":
        yield from _check_css(project, path, data)


def _check_css(project: Project, path: Path, data: bytes) -> Iterator[Diagnostic]:
    """The theme's stylesheet: UTF-8 CSS that fetches nothing (no ``@import``, ``url()``)."""
    import tinycss2

    relative = project.resolver.relative(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        yield Diagnostic(relative, 1, 1, "TK325", f"`{relative}` is not UTF-8 text",
                         "save the stylesheet as UTF-8")
        return
    stack: list[object] = list(reversed(tinycss2.parse_stylesheet(text)))
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        name = (getattr(node, "lower_name", None) or getattr(node, "lower_at_keyword", None)
                or "")
        if kind == "url" or (kind == "function" and name in ("url", "src")) or (
                kind == "at-rule" and name == "import"):
            what = "@import" if kind == "at-rule" else "url()"
            yield Diagnostic(relative, node.source_line, node.source_column,  # type: ignore[attr-defined]
                             "TK325", f"the theme stylesheet uses {what}, which would bring "
                                      "in another file or address",
                             "give pictures and fonts through theme: logo, cover_image and "
                             "fonts (trainkit embeds them); keep only rules in the stylesheet")
            continue
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                stack.extend(reversed(children))


def _check_families(project: Project, manifest: Manifest) -> Iterator[Diagnostic]:
    """A font named by family alone must be installed where the outputs are built."""
    fonts = manifest.theme.fonts
    named = [(role, font) for role, font in (("body", fonts.body), ("headings", fonts.headings))
             if font is not None and font.file is None]
    if not named:
        return
    installed = installed_families()
    if installed is None:
        return
    for role, font in named:
        if font.family.lower() not in installed:
            yield _at(project, ("theme", "fonts", role, "family"), "TK324",
                      f"font family `{font.family}` has no file in the theme and is not "
                      "installed on this machine",
                      "give its files with `file:` (and `bold:`) inside the project, or "
                      "install the font where the manual is built")
