"""The loading and validation cases of /work/shared/BAD_INPUTS.md.

Every untrusted input must give a located finding (never a traceback or a hang), must not
make trainkit read anything outside the project folder, and must not reach the document
model in a dangerous form (no HTML nodes, no links to refused schemes, no control characters).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import (
    ADDED, EXTRA, INTRO, LAW, MANIFEST, NORTH, SOUTH, ProjectDir, baseline_files, law_body,
    module_text, png, sub,
)
from trainkit.model import document as d
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.parsing.markdown import markdown_parser


def findings(project: ProjectDir) -> list[tuple[str, int, int, str]]:
    return [(f.path, f.line, f.column, f.code) for f in project.validate()]


def body_nodes(project: ProjectDir, relative: str = LAW) -> list[object]:
    module = project.validation().project.modules[relative]
    assert module.body is not None
    return d.walk(module.body.blocks)


def texts(nodes: list[object]) -> str:
    return "".join(node.text for node in nodes if isinstance(node, (d.Text, d.Code)))


# -- raw HTML -------------------------------------------------------------------------------

RAW_HTML = [
    pytest.param("<script>alert(1)</script>", "<script>", id="script"),
    pytest.param('<img src="file:///etc/passwd">', '<img src="file:///etc/passwd">', id="img"),
    pytest.param('<link rel="attachment" href="../secret">', "<link", id="link"),
    pytest.param('<base href="file:///">', '<base href="file:///">', id="base"),
    pytest.param("<style>@import url(http://evil.example/x.css);</style>", "<style>",
                 id="style"),
    pytest.param('<object data="file:///etc/passwd"></object>', "<object", id="object"),
    pytest.param('<iframe src="https://evil.example"></iframe>', "<iframe", id="iframe"),
    pytest.param("<!-- hidden comment -->", "<!--", id="comment"),
]


@pytest.mark.parametrize(("html", "shown"), RAW_HTML)
@pytest.mark.parametrize("where", ["block", "inline"])
def test_raw_html_is_a_warning_and_stays_text(
        project: ProjectDir, html: str, shown: str, where: str) -> None:
    line = html if where == "block" else f"Before {html} after."
    project.write(LAW, law_body(line + "\n"))
    found = project.validate()
    column = 1 if where == "block" else 8
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, column, "TK508")]
    assert found[0].level is Severity.WARNING
    assert shown in found[0].message
    nodes = body_nodes(project)
    assert html in texts(nodes)  # printed as the text the author typed
    # the model has no node that could carry HTML; only the known node types occur
    allowed = (d.Text, d.Paragraph, d.Heading, d.Code, d.SoftBreak)
    assert all(isinstance(node, allowed) for node in nodes)


def test_markdown_parser_never_produces_html_tokens() -> None:
    source = "\n\n".join(str(case.values[0]) for case in RAW_HTML) + "\n\n<div>\n*x*\n</div>\n"
    tokens = markdown_parser().parse(source)
    flat = [*tokens, *(child for token in tokens for child in token.children or [])]
    assert not [token.type for token in flat if token.type.startswith("html")]
    assert markdown_parser().options["html"] is False


def test_escaped_and_coded_html_is_not_reported(project: ProjectDir) -> None:
    project.write(LAW, law_body(
        "Write \\<b> or &lt;b&gt; or `<b>`.\n\n```html\n<script>alert(1)</script>\n```\n"))
    assert project.validate() == []


def test_every_tag_of_a_line_is_located(project: ProjectDir) -> None:
    project.write(LAW, law_body("Use `<b>`, then <b>bold</b> and <i>it</i> and <b>x</b>.\n"))
    found = [(f.column, f.message.split("`")[1]) for f in project.validate()]
    assert found == [(17, "<b>"), (33, "<i>"), (47, "<b>")]


def test_html_in_a_list_table_and_footnote_is_located(project: ProjectDir) -> None:
    project.write(LAW, law_body(
        "- item <u>x</u>\n\n| a | b |\n|---|---|\n| <b>x</b> | y |\n\nNote[^1].\n\n"
        "[^1]: See <em>this</em>.\n"))
    assert findings(project) == [
        (LAW, ADDED, 8, "TK508"), (LAW, ADDED + 4, 3, "TK508"), (LAW, ADDED + 8, 11, "TK508")]


# -- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("link", "scheme"), [
    pytest.param("[click](javascript:alert(1))", "javascript", id="javascript"),
    pytest.param("[click](JavaScript:alert(1))", "JavaScript", id="javascript-case"),
    pytest.param("[file](file:///etc/passwd)", "file", id="file"),
    pytest.param("[data](data:text/html;base64,PHNjcmlwdD4=)", "data", id="data"),
    pytest.param("[vb](vbscript:msgbox)", "vbscript", id="vbscript"),
    pytest.param("<javascript:alert(1)>", "javascript", id="autolink"),
    pytest.param("[ref][r]", "javascript", id="reference"),
])
def test_links_with_refused_schemes(project: ProjectDir, link: str, scheme: str) -> None:
    project.write(LAW, law_body(f"Do not {link} now.\n\n[r]: javascript:alert(1)\n"))
    found = project.validate()
    assert [(f.line, f.column, f.code) for f in found] == [(ADDED, 8, "TK506")]
    assert f"links to `{scheme}:` addresses are not allowed" == found[0].message
    nodes = body_nodes(project)
    assert not [n for n in nodes if isinstance(n, (d.Link, d.ModuleLink))]


@pytest.mark.parametrize("target", ["https://example.org/a?b=c", "http://example.org",
                                    "mailto:trainer@example.org"])
def test_allowed_links(project: ProjectDir, target: str) -> None:
    project.write(LAW, law_body(f"See [here]({target}).\n"))
    assert project.validate() == []
    assert [n.target for n in body_nodes(project) if isinstance(n, d.Link)] == [target]


# -- images ---------------------------------------------------------------------------------

IMAGE_CASES = [
    pytest.param("../../secret.png", {}, "TK502", "points outside the project folder",
                 id="parent-escape"),
    pytest.param("../images/../../../secret.png", {}, "TK502", "points outside",
                 id="deep-escape"),
    pytest.param("..%2F..%2Fsecret.png", {}, "TK502", "points outside", id="percent-encoded"),
    pytest.param("/etc/passwd", {}, "TK502", "is an absolute path", id="etc-passwd"),
    pytest.param("/dev/urandom", {}, "TK502", "is an absolute path", id="dev-urandom"),
    pytest.param("http://169.254.169.254/latest/meta-data.png", {}, "TK502", "is a URL",
                 id="metadata-url"),
    pytest.param("file:///etc/passwd", {}, "TK502", "is a URL", id="file-url"),
    pytest.param("../images/a%00.png", {}, "TK502", "NUL character", id="nul"),
    pytest.param("../images/none.png", {}, "TK501", "does not exist", id="missing"),
    pytest.param("../images/notes.txt", {"images/notes.txt": "text"}, "TK502",
                 "is not an allowed file type", id="wrong-suffix"),
    pytest.param("../images/folder.png", {"images/folder.png/x": "x"}, "TK502",
                 "is not a regular file", id="directory"),
    pytest.param("../images/fake.png", {"images/fake.png": b"GIF? no: just text\n"}, "TK504",
                 "the file is not a PNG, JPEG, GIF or SVG image", id="not-an-image"),
    pytest.param("../images/fake.svg", {"images/fake.svg": "hello\n"}, "TK504",
                 "not a PNG, JPEG, GIF or SVG image", id="svg-without-svg"),
    pytest.param("../images/huge.png", {"images/huge.png": png(12000, 12000)}, "TK504",
                 "the image is 12000x12000 pixels; the limit is 40 megapixels", id="huge-png"),
    pytest.param("../images/empty.png", {"images/empty.png": png(0, 10)}, "TK504",
                 "the image has no pixels", id="zero-pixels"),
]


@pytest.mark.parametrize(("src", "files", "code", "message"), IMAGE_CASES)
def test_refused_images(project: ProjectDir, src: str, files: dict[str, str | bytes],
                        code: str, message: str) -> None:
    for relative, content in files.items():
        project.write(relative, content)
    project.write(LAW, law_body(f"![A map]({src})\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 1, code)]
    assert message in found[0].message


def test_huge_png_is_small_on_disk() -> None:
    data = png(12000, 12000)
    assert len(data) < 1024 and data.startswith(b"\x89PNG")


def test_image_symlink_out_of_the_project(project: ProjectDir) -> None:
    secret = project.root.parent / "secret.png"
    secret.write_bytes(png(2, 2))
    os.symlink(secret, project.path("images/inside.png"))
    project.write(LAW, law_body("![A map](../images/inside.png)\n"))
    found = project.validate()
    assert [(f.line, f.code) for f in found] == [(ADDED, "TK502")]
    assert "points outside the project folder" in found[0].message


def test_image_symlink_inside_the_project_is_fine(project: ProjectDir) -> None:
    project.write("images/real.png", png(2, 2))
    os.symlink(project.path("images/real.png"), project.path("images/alias.png"))
    project.write(LAW, law_body("![A map](../images/alias.png)\n"))
    assert project.validate() == []


def test_fifo_image_does_not_hang(project: ProjectDir) -> None:
    os.mkfifo(project.path("images/pipe.png"))
    project.write(LAW, law_body("![A map](../images/pipe.png)\n"))
    found = project.validate()
    assert [(f.code, f.message) for f in found] == [
        ("TK502", "image `../images/pipe.png` is not a regular file")]


# -- project files that are not plain files inside the project --------------------------------


def test_fifo_region_file_does_not_hang(project: ProjectDir) -> None:
    os.mkfifo(project.path("regions/pipe.yaml"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [
        ("regions/pipe.yaml", 1, 1, "TK001")]
    assert found[0].message == "cannot read the file: it is not a regular file"


def test_region_file_linked_outside_is_not_read(project: ProjectDir) -> None:
    secret = project.root.parent / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(secret, project.path("regions/leak.yaml"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [
        ("regions/leak.yaml", 1, 1, "TK502")]
    assert found[0].message == "the file is a link to a file outside the project folder"


def test_module_file_linked_outside_is_not_read(project: ProjectDir) -> None:
    secret = project.root.parent / "secret.md"
    secret.write_text("---\nid: [secret\n---\n", encoding="utf-8")
    os.symlink(secret, project.path("modules/leak.md"))
    found = project.validate()
    assert "TK502" in [f.code for f in found]
    assert "TK101" not in [f.code for f in found]  # the outside file was never parsed
    assert not [f for f in found if "secret" in f.message]


def test_text_report_never_quotes_a_file_outside_the_project(project: ProjectDir) -> None:
    from typer.testing import CliRunner

    from trainkit.cli.app import app

    secret = project.root.parent / "secret.txt"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    os.symlink(secret, project.path("regions/leak.yaml"))
    result = CliRunner().invoke(app, ["validate", "--no-cache", str(project.root)])
    assert result.exit_code == 1
    assert "hunter2" not in result.output


# -- control characters ---------------------------------------------------------------------


@pytest.mark.parametrize(("char", "name"), [
    pytest.param("\x00", "U+0000", id="NUL"),
    pytest.param("\x07", "U+0007", id="BEL"),
    pytest.param("\x1b", "U+001B", id="ESC"),
    pytest.param("\x7f", "U+007F", id="DEL"),
    pytest.param("\ufffe", "U+FFFE", id="U+FFFE"),
    pytest.param("\uffff", "U+FFFF", id="U+FFFF"),
])
def test_control_characters_are_reported_and_removed(
        project: ProjectDir, char: str, name: str) -> None:
    project.write(LAW, law_body(f"Red{char}alert and [a{char}link](https://example.org).\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 4, "TK509")]
    assert found[0].message == f"control character {name} in the text is removed"
    assert found[0].level is Severity.WARNING
    text = texts(body_nodes(project))
    assert "Redalert" in text and "alink" in text
    assert char not in text


def test_control_characters_in_front_matter_are_removed(project: ProjectDir) -> None:
    project.write(LAW, module_text(title="The\x1b[31m law\x07"))
    result = project.validation()
    assert [(f.line, f.column, f.code) for f in result.diagnostics] == [(3, 11, "TK509")]
    meta = result.project.modules[LAW].meta
    assert meta is not None and meta.title == "The[31m law"


def test_control_characters_in_a_region_file(project: ProjectDir) -> None:
    project.write(SOUTH, project.read(SOUTH).replace("name: South", "name: So\x00uth"))
    result = project.validation()
    assert [(f.path, f.line, f.column, f.code) for f in result.diagnostics] == [
        (SOUTH, 1, 9, "TK509")]
    assert result.project.region_models()["south"].name == "South"


def test_each_line_with_control_characters_is_reported(project: ProjectDir) -> None:
    project.write(LAW, law_body("a\x00b\n\nc\x1bd\x07e\n"))
    assert findings(project) == [(LAW, ADDED, 2, "TK509"), (LAW, ADDED + 2, 2, "TK509")]


def test_tabs_and_carriage_returns_are_not_control_characters(project: ProjectDir) -> None:
    project.write(LAW, law_body("A\ttab.\n").replace("\n", "\r\n"))
    assert project.validate() == []


def test_lone_surrogate_bytes_are_not_utf8(project: ProjectDir) -> None:
    project.write(LAW, law_body("A lone surrogate: X\n").encode().replace(b"X", b"\xed\xa0\x80"))
    found = findings(project)
    assert (LAW, ADDED, 19, "TK001") in found


def test_byte_order_mark_is_accepted(project: ProjectDir) -> None:
    project.write(LAW, "\ufeff" + module_text())
    assert project.validate() == []


# -- pathological Markdown and big files ------------------------------------------------------


def test_fifty_thousand_nested_block_quotes(project: ProjectDir) -> None:
    project.write(LAW, law_body(">" * 50_000 + " deep\n"))
    result = project.validation()
    assert result.diagnostics == []
    assert result.project.modules[LAW].body is not None


def test_sixty_five_thousand_unclosed_link_brackets(project: ProjectDir) -> None:
    project.write(LAW, law_body("[a" * 65_000 + "\n"))
    result = project.validation()
    assert result.diagnostics == []
    assert "[a[a[a" in texts(body_nodes(project))


def test_many_unclosed_html_openers(project: ProjectDir) -> None:
    project.write(LAW, law_body("<a " * 30_000 + "\n\n" + "<!--" * 30_000 + "\n"))
    found = project.validate()
    assert found == []  # unclosed, they are no HTML in CommonMark: plain text, no finding


def test_deeply_nested_lists_and_blocks(project: ProjectDir) -> None:
    nested = "".join("  " * level + "- item\n" for level in range(200))
    fences = "".join(":" * (203 - level) + " exercise\n" for level in range(200))
    fences += "Text.\n" + "".join(":" * (4 + level) + "\n" for level in range(200))
    project.write(LAW, law_body(nested + "\n" + fences))
    result = project.validation()
    assert result.diagnostics == []
    assert result.project.modules[LAW].body is not None


def test_ten_megabyte_module(project: ProjectDir) -> None:
    project.write(LAW, "---\nid: law\n---\n" + ("A sentence of text. " * 50 + "\n") * 10_500)
    assert project.path(LAW).stat().st_size > 10 * 1024 * 1024
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found if f.path == LAW] == [
        (LAW, 1, 1, "TK001")]
    assert "larger than 2 MiB" in next(f.message for f in found if f.path == LAW)
    # no knock-on claim that the listed module is unreached or refused
    assert not [f for f in found if f.code in ("TK305", "TK502")]


def test_ten_megabyte_yaml_file(project: ProjectDir) -> None:
    project.write(SOUTH, "name: South\nlanguages: [en]\ncountries:\n"
                  + "  - Chad\n" * 1_500_000)
    found = findings(project)
    assert (SOUTH, 1, 1, "TK001") in found


def test_large_manifest_below_the_file_limit_is_capped(project: ProjectDir) -> None:
    project.write(MANIFEST, project.read(MANIFEST) + "# " + "x" * 300_000 + "\n")
    assert findings(project) == [(MANIFEST, 1, 1, "TK106")]


# -- project structure ------------------------------------------------------------------------


def test_duplicate_module_ids(project: ProjectDir) -> None:
    project.write("modules/03-copy.md", module_text(prerequisites=None))
    project.edit(MANIFEST, "  - modules/02-law.md\n",
                 "  - modules/02-law.md\n  - modules/03-copy.md\n")
    assert findings(project) == [("modules/03-copy.md", 2, 5, "TK301")]


def test_prerequisite_missing(project: ProjectDir) -> None:
    project.write(LAW, module_text(prerequisites="[intro, nowhere]"))
    assert findings(project) == [(LAW, 10, 24, "TK302")]


def test_prerequisite_cycle_of_three(project: ProjectDir) -> None:
    project.write(EXTRA, module_text("## Routes\n\nText.\n", id="north-extra",
                                     prerequisites="[law]"))
    project.write(LAW, module_text(prerequisites="[intro]"))
    project.edit(INTRO, "last_reviewed:", "prerequisites: [north-extra]\nlast_reviewed:")
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(INTRO, 14, 17, "TK303")]
    assert found[0].message == (
        "prerequisites form a cycle: intro -> north-extra -> law -> intro")


@pytest.mark.parametrize(("condition", "column", "message"), [
    ("region=atlantis", 10, "unknown region `atlantis`"),
    ("edition=deluxe", 10, "unknown edition `deluxe`"),
    ("audience=judges", 10, "unknown audience `judges`"),
    ("region=north edition=trainer audience=pirates", 39, "unknown audience `pirates`"),
])
def test_unknown_ids_in_conditional_blocks(
        project: ProjectDir, condition: str, column: int, message: str) -> None:
    project.write(LAW, law_body(f"::: only {condition}\nText.\n:::\n"))
    found = project.validate()
    assert [(f.line, f.column, f.code) for f in found] == [(ADDED, column, "TK405")]
    assert message in found[0].message


def test_unknown_variable(project: ProjectDir) -> None:
    project.write(LAW, law_body("Ask {{ region.nothing_here }} or {{ secrets.token }}.\n"))
    found = project.validate()
    assert [(f.line, f.column, f.code) for f in found] == [
        (ADDED, 5, "TK406"), (ADDED, 34, "TK406")]


def test_manifest_lists_a_missing_module(project: ProjectDir) -> None:
    project.edit(MANIFEST, "  - modules/02-law.md\n",
                 "  - modules/02-law.md\n  - modules/13-gone.md\n")
    assert findings(project) == [(MANIFEST, 10, 5, "TK304")]


def test_module_no_entry_reaches(project: ProjectDir) -> None:
    project.write("modules/drafts/unused.md", module_text(id="unused", prerequisites=None))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [
        ("modules/drafts/unused.md", 1, 1, "TK305")]
    assert found[0].level is Severity.WARNING


def test_hidden_module_files_are_ignored(project: ProjectDir) -> None:
    project.write("modules/.drafts/unused.md", "not even front-matter\n")
    assert project.validate() == []


@pytest.mark.parametrize("bad_id", ["../../x", "../../.github/workflows/ci", "Intro", "a b",
                                    "x/y", "-x", "x-", "a--b", "x" * 81])
def test_module_ids_must_be_slugs(project: ProjectDir, bad_id: str) -> None:
    project.write(EXTRA, module_text("## Routes\n\nText.\n", id=f'"{bad_id}"',
                                     prerequisites=None))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(EXTRA, 2, 5, "TK203")]


def test_manifest_slug_must_be_a_slug(project: ProjectDir) -> None:
    project.edit(MANIFEST, 'version: "1.0"\n', 'version: "1.0"\nslug: ../../.github/workflows/ci\n')
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(MANIFEST, 4, 7, "TK203")]


@pytest.mark.parametrize("name", ["...yaml", "Bad Name.yaml", ".hidden.yaml"])
def test_region_ids_from_file_names_must_be_slugs(project: ProjectDir, name: str) -> None:
    project.write(f"regions/{name}", project.read(SOUTH))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [
        (f"regions/{name}", 1, 1, "TK203")]
    assert "(the file name) is not allowed" in found[0].message


@pytest.mark.parametrize("key", ["editions", "audiences", "instruments"])
def test_vocabulary_ids_must_be_slugs(project: ProjectDir, key: str) -> None:
    manifest = project.read(MANIFEST)
    project.write(MANIFEST, manifest.replace(f"{key}:\n", f"{key}:\n  ../evil:\n    title: X\n"
                                             if key == "editions" else f"{key}:\n  ../evil: X\n"))
    assert "TK203" in project.codes()


@pytest.mark.parametrize(("entry", "message"), [
    ("../outside.md", "points outside the project folder"),
    ("/etc/passwd.md", "is an absolute path"),
    ("https://example.org/x.md", "is a URL"),
    ("trainkit.yaml", "is not an allowed file type"),
])
def test_manifest_entries_are_confined(project: ProjectDir, entry: str, message: str) -> None:
    project.edit(MANIFEST, "  - modules/02-law.md\n", f"  - {entry}\n  - modules/02-law.md\n")
    found = [f for f in project.validate() if f.code == "TK502"]
    assert [(f.path, f.line, f.column) for f in found] == [(MANIFEST, 9, 5)]
    assert message in found[0].message


def test_module_outside_the_project_is_never_read(project: ProjectDir) -> None:
    outside = project.root.parent / "outside.md"
    outside.write_text("---\nid: [broken\n---\n", encoding="utf-8")
    project.edit(MANIFEST, "  - modules/02-law.md\n", "  - ../outside.md\n  - modules/02-law.md\n")
    result = project.validation()
    assert all(not Path(path).is_absolute() and ".." not in path
               for path in result.project.modules)
    assert "TK101" not in [f.code for f in result.diagnostics]


def test_no_traceback_for_a_binary_module(project: ProjectDir) -> None:
    project.write(LAW, os.urandom(4096) + b"\xff\xfe")
    found = findings(project)
    assert any(f[0] == LAW and f[3] == "TK001" for f in found)


def test_baseline_files_are_untouched_by_validation(project: ProjectDir) -> None:
    before = baseline_files()
    project.write(LAW, law_body("<script>x</script>\n"))
    project.validate()
    assert baseline_files() == before


def _all_codes(found: list[Diagnostic]) -> set[str]:
    return {f.code for f in found}


def test_everything_at_once_is_reported_in_one_run(project: ProjectDir) -> None:
    changes: dict[str, Callable[[str], str] | str] = {
        LAW: law_body("<script>x</script> [x](javascript:y) ![a](/etc/passwd) \x07\n"
                      "::: only region=atlantis\n{{ nope }}\n:::\n"),
        NORTH: sub("after: law", "after: nowhere"),
    }
    for relative, change in changes.items():
        project.write(relative, change(project.read(relative)) if callable(change) else change)
    assert _all_codes(project.validate()) == {
        "TK508", "TK506", "TK502", "TK509", "TK405", "TK406", "TK310"}
