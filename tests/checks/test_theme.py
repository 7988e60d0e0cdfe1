"""Findings about the manifest's ``theme:``: exact messages, hints and positions."""

from __future__ import annotations

import pytest

from conftest import MANIFEST, ProjectDir, png

THEME_LINE = 28  # the valid manifest has 26 lines and a trailing newline: theme: is line 27


def findings(project: ProjectDir, theme: str,
             files: dict[str, str | bytes] | None = None) -> list[tuple[object, ...]]:
    for relative, content in (files or {}).items():
        project.write(relative, content)
    project.write(MANIFEST, project.read(MANIFEST) + "theme:\n" + theme)
    return [(d.path, d.line, d.column, d.code, d.message, d.hint) for d in project.validate()]


MISSING_HINT = ("put the file in the project folder, or correct the path (it is relative to "
                "trainkit.yaml)")


def test_a_missing_logo(project: ProjectDir) -> None:
    assert findings(project, "  logo: images/logo.png\n") == [
        (MANIFEST, THEME_LINE, 9, "TK320", "theme logo `images/logo.png` does not exist",
         MISSING_HINT)]


def test_a_logo_outside_the_project(project: ProjectDir) -> None:
    (project.root.parent / "logo.png").write_bytes(png(4, 4))
    assert findings(project, "  cover_image: ../logo.png\n") == [
        (MANIFEST, THEME_LINE, 16, "TK321",
         "theme cover image `../logo.png` points outside the project folder",
         "keep every file the manual uses inside the project folder")]


@pytest.mark.parametrize(("reference", "message"), [
    ("/etc/logo.png", "theme logo `/etc/logo.png` is an absolute path"),
    ("https://example.org/logo.png",
     "theme logo `https://example.org/logo.png` is a URL; only files inside the project can "
     "be used"),
    ("images/logo.bmp", "theme logo `images/logo.bmp` is not an allowed file type (.gif, "
                        ".jpeg, .jpg, .png, .svg)"),
])
def test_refused_references(project: ProjectDir, reference: str, message: str) -> None:
    found = findings(project, f"  logo: {reference}\n")
    assert [f[:5] for f in found] == [(MANIFEST, THEME_LINE, 9, "TK321", message)]


def test_a_logo_that_is_not_an_image(project: ProjectDir) -> None:
    found = findings(project, "  logo: images/logo.png\n", {"images/logo.png": "text"})
    assert [f[:4] for f in found] == [(MANIFEST, THEME_LINE, 9, "TK504")]
    assert str(found[0][4]).startswith("theme logo `images/logo.png` cannot be used: ")


def test_an_svg_logo_with_a_script(project: ProjectDir) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    found = findings(project, "  logo: images/logo.svg\n", {"images/logo.svg": svg})
    assert [f[:5] for f in found] == [(MANIFEST, THEME_LINE, 9, "TK512",
                                       "theme logo `images/logo.svg` holds a script (`<script>`)")]


@pytest.mark.parametrize("value", ["blu", '"#12345"', "currentcolor", '"oklch(60% 0.1 200)"',
                                   '"red; } body { color: red"'])
def test_an_invalid_colour(project: ProjectDir, value: str) -> None:
    shown = value.strip('"')
    assert findings(project, f"  colors:\n    case-study: {value}\n") == [
        (MANIFEST, THEME_LINE + 1, 17, "TK322",
         f"theme colour `case-study` is `{shown}`, which is not a CSS colour",
         "write a CSS colour such as #1f5f8b, rgb(31 95 139), hsl(205 64% 33%) or teal")]


@pytest.mark.parametrize("value", ["teal", '"#16b"', '"#1f5f8bcc"', '"rgb(31 95 139)"',
                                   '"hsl(205 64% 33%)"', "RebeccaPurple"])
def test_valid_colours(project: ProjectDir, value: str) -> None:
    assert findings(project, f"  colors:\n    headings: {value}\n") == []


def test_a_misspelt_colour_key_suggests_the_key_as_written(project: ProjectDir) -> None:
    found = findings(project, "  colors:\n    case-studdy: teal\n")
    assert [(f[3], f[4], f[5]) for f in found] == [
        ("TK201", "unknown key `case-studdy`", "did you mean `case-study`?")]


def test_font_files(project: ProjectDir) -> None:
    theme = ("  fonts:\n    headings:\n      family: Brand\n      file: fonts/brand.woff\n"
             "      bold: fonts/brand-bold.ttf\n")
    found = findings(project, theme, {"fonts/brand-bold.ttf": b"\x00\x01\x00\x00rest",
                                      "fonts/brand.woff": b"wOFFrest"})
    assert [f[:5] for f in found] == [
        (MANIFEST, THEME_LINE + 3, 13, "TK321",
         "theme headings font `fonts/brand.woff` is not an allowed file type (.otf, .ttf, "
         ".woff2)")]


def test_a_stylesheet_that_fetches(project: ProjectDir) -> None:
    css = ('@media print {\n  .cover { background: url("bg.png"); }\n}\n'
           "@font-face { src: url(x.woff2); }\n")
    found = findings(project, "  css: theme.css\n", {"theme.css": css})
    assert [f[:5] for f in found] == [
        ("theme.css", 2, 24, "TK325", "the theme stylesheet uses url(), which would bring in "
                                      "another file or address"),
        ("theme.css", 4, 19, "TK325", "the theme stylesheet uses url(), which would bring in "
                                      "another file or address")]


def test_a_stylesheet_that_is_not_utf8(project: ProjectDir) -> None:
    found = findings(project, "  css: theme.css\n", {"theme.css": b"h1 { content: '\xe9'; }"})
    assert [f[:5] for f in found] == [("theme.css", 1, 1, "TK325",
                                       "`theme.css` is not UTF-8 text")]
