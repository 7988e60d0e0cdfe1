"""Issue 12, item 2: bidirectional control characters ("Trojan Source").

The embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a line
display differently from what it says. In text (titles, headings, link texts, any line)
they are a located warning (TK510); in ids, file names, file references and link
addresses, where a name that looks right would name something else, a located error
(TK511). Arabic, with or without the directional marks U+200E, U+200F and U+061C, is
never flagged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import (
    ADDED, DEFAULT_BODY, EXTRA, LAW, MANIFEST, NORTH, REPOSITORY, SOUTH, ProjectDir,
    law_body, module_text,
)
from trainkit.model import document as d
from trainkit.cli.app import app
from trainkit.diagnostics import Severity
from trainkit.loading.translations import load_translation_file

runner = CliRunner()

RLO = "\u202e"
CONTROLS = {
    "\u202a": "U+202A (left-to-right embedding)",
    "\u202b": "U+202B (right-to-left embedding)",
    "\u202c": "U+202C (pop directional formatting)",
    "\u202d": "U+202D (left-to-right override)",
    "\u202e": "U+202E (right-to-left override)",
    "\u2066": "U+2066 (left-to-right isolate)",
    "\u2067": "U+2067 (right-to-left isolate)",
    "\u2068": "U+2068 (first strong isolate)",
    "\u2069": "U+2069 (pop directional isolate)",
}
TEXT_HINT = ("delete it; right-to-left text such as Arabic needs none (the marks U+200E "
             "and U+200F are fine)")


def text_message(char: str = RLO) -> str:
    return (f"invisible bidirectional control character {CONTROLS[char]} can make this "
            "line display differently from what it says")


def contains(what: str, char: str = RLO) -> str:
    return f"{what} contains the invisible bidirectional control character {CONTROLS[char]}"


Found = tuple[str, int, int, str, str]


def located(project: ProjectDir) -> list[Found]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in project.validate()]


# -- text: a warning -------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(CONTROLS))
def test_every_control_in_a_heading_is_a_warning(project: ProjectDir, char: str) -> None:
    project.write(LAW, law_body(f"## Ev{char}idence\n\nText.\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in found] == [
        (LAW, ADDED, 6, "TK510", text_message(char), TEXT_HINT)]
    assert found[0].level is Severity.WARNING


@pytest.mark.parametrize(("body", "column"), [
    pytest.param(f"See [cl{RLO}ick](https://example.org).\n", 8, id="link-text"),
    pytest.param(f"A paragraph with {RLO}1 tnuocca.\n", 18, id="paragraph"),
    pytest.param(f"```\nprint('x') {RLO}# comment\n```\n", 12, id="code-block"),
    pytest.param(f"![A m{RLO}ap](../images/map.svg)\n", 6, id="image-alt"),
    pytest.param(f"::: exercise Role {RLO}play\nText.\n:::\n", 19, id="block-title"),
])
def test_controls_in_module_text_are_warnings(project: ProjectDir, body: str,
                                              column: int) -> None:
    project.write(LAW, law_body(body))
    line = ADDED + (1 if body.startswith("```") else 0)
    assert located(project) == [(LAW, line, column, "TK510", text_message())]


def test_the_link_is_kept_with_its_text(project: ProjectDir) -> None:
    project.write(LAW, law_body(f"See [cl{RLO}ick](https://example.org).\n"))
    module = project.validation().project.modules[LAW]
    assert module.body is not None
    links = [n for n in d.walk(module.body.blocks) if isinstance(n, d.Link)]
    assert [(n.target, d.plain_text(n.children)) for n in links] == [
        ("https://example.org", f"cl{RLO}ick")]


def test_module_title_is_a_warning(project: ProjectDir) -> None:
    project.write(LAW, module_text(title=f"The {RLO}wal"))
    assert located(project) == [(LAW, 3, 12, "TK510", text_message())]


@pytest.mark.parametrize(("relative", "old", "new", "line", "column"), [
    pytest.param(MANIFEST, "title: Test manual", f"title: Test {RLO}launam", 1, 13,
                 id="manifest-title"),
    pytest.param(NORTH, "name: North", f"name: No{RLO}rth", 1, 9, id="region-name"),
    pytest.param(MANIFEST, "# ", "# ", 1, 1, id="comment"),
])
def test_yaml_text_is_a_warning(project: ProjectDir, relative: str, old: str, new: str,
                                line: int, column: int) -> None:
    if old == "# ":
        project.append(relative, f"# a comment {RLO}with a control\n")
        line = len(project.read(relative).split("\n")) - 1
        column = 13
    else:
        project.edit(relative, old, new)
    assert located(project) == [(relative, line, column, "TK510", text_message())]


def test_only_the_first_control_of_a_line_is_reported(project: ProjectDir) -> None:
    project.write(LAW, law_body(f"a{RLO}b\u2066c\u2069\n\nplain\n\nd\u2067e\n"))
    assert [(f.line, f.column, f.message) for f in project.validate()] == [
        (ADDED, 2, text_message(RLO)), (ADDED + 4, 2, text_message("\u2067"))]


def test_a_warning_fails_strict_validation_and_build(project: ProjectDir,
                                                     tmp_path: Path) -> None:
    project.write(LAW, law_body(f"## Ev{RLO}idence\n\nText.\n"))
    assert project.validation(strict=True).ok is False
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(project.root), "-f", "html", "-o", str(out)])
    assert built.exit_code == 0, built.output
    # The build prints warnings as validate does: the message, then `--> file:line:column`.
    assert f"warning[TK510]: {text_message()}" in built.output
    assert f"--> {LAW}:{ADDED}:6" in built.output
    assert f"warning[TK510]: {text_message()}\n  --> {LAW}:{ADDED}:6" in built.output
    strict = runner.invoke(app, ["build", str(project.root), "-f", "html", "-o",
                                 str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1
    assert not (tmp_path / "strict").exists()


# -- ids and names: an error ---------------------------------------------------------------


def test_module_id_is_an_error(project: ProjectDir) -> None:
    project.edit(EXTRA, "id: north-extra", f"id: nor{RLO}th-extra")
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in found] == [
        (EXTRA, 2, 5, "TK511", contains("`id`"),
         "retype the value without it: ids and other names use only plain letters, "
         "digits and hyphens")]
    assert found[0].level is Severity.ERROR


@pytest.mark.parametrize(("relative", "old", "new", "line", "column", "what"), [
    pytest.param(EXTRA, "regions: [north]", f"regions: [no{RLO}rth]", 11, 11,
                 "`regions.0`", id="region"),
    pytest.param(EXTRA, "audiences: [police]", f"audiences: [po{RLO}lice]", 8, 13,
                 "`audiences.0`", id="audience"),
    pytest.param(EXTRA, "status: in-review", f"status: in-{RLO}review", 5, 9, "`status`",
                 id="status"),
    pytest.param(MANIFEST, "  region: north", f"  region: no{RLO}rth", 24, 11,
                 "`output.region`", id="default-region"),
    pytest.param(MANIFEST, "  police: Police officers", f"  po{RLO}lice: Police officers",
                 11, 3, "`audiences.po<U+202E>lice`", id="audience-key"),
    pytest.param(NORTH, "    after: law", f"    after: l{RLO}aw", 9, 12,
                 "`add_modules.0.after`", id="region-after"),
])
def test_ids_are_errors(project: ProjectDir, relative: str, old: str, new: str, line: int,
                        column: int, what: str) -> None:
    project.edit(relative, old, new)
    found = [f for f in project.validate() if f.path == relative]  # no knock-on findings
    assert [(f.path, f.line, f.column, f.code, f.message) for f in found] == [
        (relative, line, column, "TK511", contains(what))]


def test_manifest_module_entry_is_an_error(project: ProjectDir) -> None:
    project.edit(MANIFEST, "  - modules/02-law.md", f"  - modules/02-l{RLO}aw.md")
    found = [(f.path, f.line, f.column, f.code, f.message) for f in project.validate()
             if f.path == MANIFEST]
    assert found == [(MANIFEST, 9, 5, "TK511", contains("module file `modules/02-l<U+202E>aw.md`"))]


@pytest.mark.parametrize("exists", [False, True])
def test_image_reference_is_an_error(project: ProjectDir, exists: bool) -> None:
    if exists:
        project.write(f"images/m{RLO}ap.svg", project.read("images/map.svg"))
    project.write(LAW, law_body(f"![A map](../images/m{RLO}ap.svg)\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 1, "TK511")]
    assert found[0].message == contains("image `../images/m<U+202E>ap.svg`")
    assert found[0].hint == "rename the file without it, and refer to it by its new name"


@pytest.mark.parametrize("target", [f"01-in{RLO}tro.md", f"https://exa{RLO}mple.org",
                                    f"01-intro.md#ba{RLO}sics"])
def test_link_address_is_an_error(project: ProjectDir, target: str) -> None:
    project.write(LAW, law_body(f"See [the intro]({target}) now.\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 5, "TK511")]
    assert found[0].message == contains(f"link address `{target.replace(RLO, '<U+202E>')}`")
    assert found[0].hint == "retype the address without it"
    module = project.validation().project.modules[LAW]
    assert module.body is not None
    assert not [n for n in d.walk(module.body.blocks) if isinstance(n, (d.Link, d.ModuleLink))]


def test_module_file_name_is_an_error(project: ProjectDir) -> None:
    name = f"modules/03-{RLO}dm.md"
    project.write(name, module_text(id="other", prerequisites=None))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message) for f in found] == [
        (name, 1, 1, "TK305", "no manifest entry or region profile includes this module"),
        (name, 1, 1, "TK511", contains("the file name `modules/03-<U+202E>dm.md`"))]


def test_folder_name_under_modules_is_an_error(project: ProjectDir) -> None:
    project.path(f"modules/dr{RLO}afts").mkdir()
    assert located(project) == [(f"modules/dr{RLO}afts", 1, 1, "TK511",
                                 contains("the folder name `modules/dr<U+202E>afts`"))]


def test_region_file_name_is_an_error(project: ProjectDir) -> None:
    name = f"regions/ea{RLO}st.yaml"
    project.write(name, project.read(SOUTH))
    assert located(project) == [(name, 1, 1, "TK511",
                                 contains("the region id `ea<U+202E>st` (the file name)"))]


# -- reports never show the control itself -------------------------------------------------


@pytest.mark.parametrize("report", ["text", "json", "github"])
def test_reports_write_controls_visibly(project: ProjectDir, report: str) -> None:
    project.write(LAW, law_body(f"## Ev{RLO}idence\n\nSee [it](0{RLO}1-intro.md).\n"))
    result = runner.invoke(app, ["validate", "--no-cache", "-f", report, str(project.root)])
    assert result.exit_code == 1
    assert RLO not in result.output
    assert "<U+202E>" in result.output


def test_text_report_quotes_the_line_with_the_caret_under_the_control(
        project: ProjectDir) -> None:
    project.write(LAW, law_body(f"## Ev{RLO}idence\n\nText.\n"))
    result = runner.invoke(app, ["validate", "--no-cache", str(project.root)])
    assert result.exit_code == 0
    assert f"{ADDED} | ## Ev<U+202E>idence\n" in result.output
    assert f"{' ' * len(str(ADDED))} | {' ' * 5}^\n" in result.output


def test_build_refuses_an_id_with_a_control(project: ProjectDir, tmp_path: Path) -> None:
    project.write(LAW, module_text(id=f'"la{RLO}w"'))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(project.root), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert f"error[TK511]: {contains('`id`')}" in result.output
    assert f"--> {LAW}:2:5" in result.output
    assert not out.exists()


# -- right-to-left text is not flagged ---------------------------------------------------------


ARABIC = REPOSITORY / "modules" / "ar"


def test_shipped_arabic_translations_are_clean() -> None:
    files = sorted(ARABIC.rglob("*.md"))
    assert files
    for path in files:
        relative = path.relative_to(REPOSITORY).as_posix()
        loaded = load_translation_file(path, relative, "ar")
        assert loaded.diagnostics == [], relative
        assert re.search("[\u0600-\u06ff]", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mark", ["", "\u200f", "\u200e", "\u061c"])
def test_arabic_with_directional_marks_is_clean(project: ProjectDir, mark: str) -> None:
    arabic = (f"## الإطار القانوني{mark}\n\nالمادة 6{mark} (أ) من البروتوكول: "
              f"[النص](https://example.org){mark}.\n")
    project.write(LAW, module_text(DEFAULT_BODY + "\n" + arabic,
                                   title=f'"القانون{mark} (2024)"'))
    assert project.validate() == []


def test_translation_title_is_a_warning(project: ProjectDir) -> None:
    name = "modules/fr/02-law.md"
    project.write(name, f"---\ntranslation_of: law\nsource_version: \"1.0\"\n"
                  f"title: Le {RLO}tiord\nlearning_objectives: [Nommer les infractions.]\n"
                  "summary: Le cadre juridique.\nstatus: draft\n---\n\n## Infractions\n\n"
                  "Les infractions du Protocole.\n")
    assert located(project) == [(name, 4, 11, "TK510", text_message())]


def test_a_symlinked_name_with_a_control_is_an_error(project: ProjectDir) -> None:
    os.symlink("02-law.md", project.path(f"modules/{RLO}alias.md"))
    assert [f.code for f in project.validate()] == ["TK511"]
