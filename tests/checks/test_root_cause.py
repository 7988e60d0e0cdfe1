"""Issue 12, item 9: validation reports the root cause, once, and every independent mistake.

Each case makes one mistake (or a few independent ones) in a copy of the manual shipped
in this repository and lists every finding ``trainkit validate --format json`` then
reports: one per mistake, where the mistake is. Before, a misspelt key in
``modules/01-introduction.md`` cost the module its id, and three prerequisites and two
translations naming it were reported too (7 errors in 6 files); a bad duration hid an
unknown audience; ``true:`` stopped the reading of the front-matter; and an unclosed
``[`` was reported on the line after it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import LAW, REPOSITORY, ProjectDir, law_body
from trainkit.cli.app import app
from trainkit.loading.strict_yaml import load

runner = CliRunner()

INTRO = "modules/01-introduction.md"
NORTH_AFRICA = "regions/north-africa.yaml"
#: A finding as the JSON report gives it: path, line, column, code, message (with hint).
Finding = tuple[str, int, int, str, str]


def shipped_manual(destination: Path) -> Path:
    """A copy of the manual shipped in the repository (it validates without findings)."""
    destination.mkdir()
    for name in ("trainkit.yaml", "glossary.yaml"):
        shutil.copy(REPOSITORY / name, destination / name)
    for name in ("modules", "regions"):
        shutil.copytree(REPOSITORY / name, destination / name)
    return destination


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def validate(root: Path) -> tuple[int, list[Finding]]:
    result = runner.invoke(app, ["validate", "--no-cache", "--format", "json", str(root)])
    report = json.loads(result.stdout)["diagnostics"]
    # The shipped manual's national-provision slots are unfilled (TK701 warnings, issue 19);
    # these tests are about the mistakes they make.
    return result.exit_code, [(item["path"], item["line"], item["column"], item["code"],
                               _with_hint(item)) for item in report if item["code"] != "TK701"]


def _with_hint(item: dict[str, str]) -> str:
    """The message and its hint, as the text report shows them together."""
    return item["message"] + (f" ({item['hint']})" if item["hint"] else "")


def spoil(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def misspelt(key: str, wrong: str, line: int) -> Finding:
    return (INTRO, line, 1, "TK201", f"unknown key `{wrong}` (did you mean `{key}`?)")


NEVER_CLOSED = ("`[` is never closed (close it with `]`, or put the whole value in quotes "
                "if the brackets are part of the text)")
KNOWN_KEYS = ("known keys: id, title, short_title, version, status, summary, duration, "
              "audiences, learning_objectives, prerequisites, regions, keywords, "
              "legal_references, authors, reviewers, last_reviewed")

CASES = [
    # -- each required key of a module's front-matter, misspelt: one finding --------------
    pytest.param(INTRO, "id: introduction", "idd: introduction",
                 [misspelt("id", "idd", 2)], id="id"),
    pytest.param(INTRO, 'title: "Intro', 'titel: "Intro',
                 [misspelt("title", "titel", 3)], id="title"),
    pytest.param(INTRO, 'version: "1.1"', 'verison: "1.1"',
                 [misspelt("version", "verison", 5)], id="version"),
    pytest.param(INTRO, "status: in-review", "staus: in-review",
                 [misspelt("status", "staus", 6)], id="status"),
    pytest.param(INTRO, "summary: >-", "sumary: >-",
                 [misspelt("summary", "sumary", 7)], id="summary"),
    pytest.param(INTRO, "duration: 2h30m", "durtion: 2h30m",
                 [misspelt("duration", "durtion", 10)], id="duration"),
    pytest.param(INTRO, "audiences: [", "audience: [",
                 [misspelt("audiences", "audience", 11)], id="audiences"),
    pytest.param(INTRO, "learning_objectives:", "learning_objective:",
                 [misspelt("learning_objectives", "learning_objective", 12)],
                 id="learning_objectives"),
    # -- YAML syntax errors: one finding, where the mistake is ----------------------------
    pytest.param(INTRO, 'title: "Introduction: the smuggling of migrants and trafficking in '
                 'persons"', "title: Introduction: the smuggling of migrants and trafficking "
                 "in persons",
                 [(INTRO, 3, 20, "TK101", "a colon followed by a space inside an unquoted "
                   'value (put the value in quotes, e.g. title: "Evidence: what counts")')],
                 id="yaml-colon-in-title"),
    pytest.param(INTRO, "civil-society]", "civil-society",
                 [(INTRO, 11, 12, "TK101", NEVER_CLOSED)], id="yaml-unclosed-bracket"),
    pytest.param(INTRO, "id: introduction", "id: [introduction",
                 [(INTRO, 2, 5, "TK101", NEVER_CLOSED)], id="yaml-unclosed-bracket-in-id"),
    pytest.param(INTRO, 'title: "Introduction:', 'title: [Draft] "Introduction:',
                 [(INTRO, 3, 8, "TK101", "a value that starts with `[` is read as a list, and "
                   "text follows its `]` (put the whole value in quotes, e.g. title: "
                   '"[Draft] The law")')], id="yaml-text-after-brackets"),
    pytest.param(INTRO, "  - Distinguish", "\t- Distinguish",
                 [(INTRO, 13, 1, "TK101", "a tab is used for indentation (YAML only allows "
                   "spaces for indentation; replace the tab with spaces)")], id="yaml-tab"),
    # -- the id itself unusable: references to it are not reported again -----------------
    pytest.param(INTRO, "id: introduction", "id: Introduction",
                 [(INTRO, 2, 5, "TK203", "`id` is `Introduction`, which is not allowed here "
                   "(ids are lower-case words joined by hyphens, e.g. north-africa)")],
                 id="invalid-id"),
    pytest.param(INTRO, "id: introduction\n", "",
                 [(INTRO, 2, 1, "TK202", "required key `id` is missing")], id="missing-id"),
    # -- independent mistakes: each reported -----------------------------------------------
    pytest.param(INTRO, "duration: 2h30m\naudiences: [law-enforcement",
                 "duration: 2 hours\naudiences: [law-enforcment",
                 [(INTRO, 10, 11, "TK204", "`duration`: `2 hours` is not a duration; write it "
                   "like 90m, 2h or 1h30m"),
                  (INTRO, 11, 13, "TK307", "unknown audience `law-enforcment` (did you mean "
                   "`law-enforcement`?)")], id="bad-duration-and-unknown-audience"),
    pytest.param(INTRO, "prerequisites: []\n", "prerequisites: []\n1:\ntrue:\non: yes\n",
                 [(INTRO, 18, 1, "TK201", f"unknown key `1` ({KNOWN_KEYS})"),
                  (INTRO, 19, 1, "TK101", "key `true` is read as true or false; keys must be "
                   'plain words (put the key in quotes ("true":) or use a word such as '
                   "`title:`)"),
                  (INTRO, 20, 1, "TK201", f"unknown key `on` ({KNOWN_KEYS})")],
                 id="three-keys-that-are-not-module-keys"),
    pytest.param(INTRO, "status: in-review", "status: final",
                 [(INTRO, 6, 9, "TK203", "`status` is `final`, which is not one of `draft`, "
                   "`in-review` or `approved`")], id="bad-status-keeps-the-id"),
    # -- a region profile with a mistake still adds its modules ---------------------------
    pytest.param(NORTH_AFRICA, "name: North Africa", "nmae: North Africa",
                 [(NORTH_AFRICA, 1, 1, "TK201", "unknown key `nmae` (did you mean `name`?)")],
                 id="region-profile-misspelt-name"),
]


@pytest.mark.parametrize(("relative", "old", "new", "expected"), CASES)
def test_one_finding_per_mistake_at_the_mistake(
        tmp_path: Path, relative: str, old: str, new: str, expected: list[Finding]) -> None:
    root = shipped_manual(tmp_path / "manual")
    assert validate(root) == (0, [])
    spoil(root, relative, old, new)
    before = files_of(root)
    code, findings = validate(root)
    assert (code, findings) == (1, expected)
    assert files_of(root) == before  # validate --no-cache writes nothing


def test_independent_mistakes_in_other_files_are_still_reported(tmp_path: Path) -> None:
    """The id is unusable, so references to it are quiet; a reference to a module that
    does not exist at all is still a mistake of its own."""
    root = shipped_manual(tmp_path / "manual")
    spoil(root, INTRO, "id: introduction", "idd: introduction")
    routes = "modules/03-routes-and-networks.md"
    spoil(root, routes, "prerequisites: [introduction]",
          "prerequisites: [introduction, legal-framwork]")
    lines = (root / routes).read_text(encoding="utf-8").splitlines()
    prerequisites_line = next(number for number, text in enumerate(lines, start=1)
                              if text.startswith("prerequisites:"))
    code, findings = validate(root)
    assert code == 1
    assert [(path, line, column, code) for path, line, column, code, _ in findings] == [
        (INTRO, 2, 1, "TK201"), (routes, prerequisites_line, 31, "TK302")]
    assert findings[1][4] == ("prerequisite `legal-framwork` names no module "
                              "(did you mean `legal-framework`?)")


def test_a_module_with_errors_still_checks_its_translations(tmp_path: Path) -> None:
    """The source module's valid version still dates its translations (TK601)."""
    root = shipped_manual(tmp_path / "manual")
    spoil(root, INTRO, 'version: "1.1"', 'version: "1.2"')
    spoil(root, INTRO, "duration: 2h30m", "duration: 2 hours")
    code, findings = validate(root)
    assert code == 1
    assert [(path, line, code) for path, line, _, code, _ in findings] == [
        (INTRO, 10, "TK204"), ("modules/ar/01-introduction.md", 3, "TK601"),
        ("modules/fr/01-introduction.md", 3, "TK601")]


def test_build_reports_the_root_cause_once_and_writes_nothing(tmp_path: Path) -> None:
    root = shipped_manual(tmp_path / "manual")
    spoil(root, INTRO, "id: introduction", "idd: introduction")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(root), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert "error[TK201]: unknown key `idd`\n  --> modules/01-introduction.md:2:1\n" in (
        result.output)
    assert "TK302" not in result.output and "TK602" not in result.output
    assert "\n1 error in 1 file\n" in result.output  # every adaptation slot is filled
    assert not out.exists()


def test_the_cache_keeps_what_a_module_with_errors_gives_validly(tmp_path: Path) -> None:
    """A warm run (modules from ``.trainkit-cache``) reports exactly what a cold one does."""
    root = shipped_manual(tmp_path / "manual")
    spoil(root, INTRO, "duration: 2h30m\naudiences: [law-enforcement",
          "duration: 2 hours\naudiences: [law-enforcment")
    spoil(root, "modules/02-legal-framework.md", "id: legal-framework", "idd: legal-framework")
    runs = []
    for _ in range(2):
        result = runner.invoke(app, ["validate", "--format", "json", str(root)])
        runs.append((result.exit_code, [(i["path"], i["line"], i["code"])
                                        for i in json.loads(result.stdout)["diagnostics"]
                                        if i["code"] != "TK701"]))  # unfilled slots
    assert (root / ".trainkit-cache").is_dir()
    assert runs[0] == runs[1] == (1, [(INTRO, 10, "TK204"), (INTRO, 11, "TK307"),
                                      ("modules/02-legal-framework.md", 2, "TK201")])


def test_the_loader_reads_on_past_keys_that_are_not_words() -> None:
    loaded = load("a: 1\ntrue: [x, {y: 2}]\n? [k]\n: v\n~: 3\nb: 2\n", first_line=2)
    assert [(p.code, p.pos.line, p.pos.column) for p in loaded.problems] == [
        ("TK101", 3, 1), ("TK101", 4, 3), ("TK101", 6, 1)]
    assert loaded.value == {"a": "1", "b": "2"} and not loaded.failed


def test_the_loader_keeps_the_entries_complete_before_a_syntax_error() -> None:
    loaded = load("id: law\nkeywords:\n  - a\n  - b\ntitle: Evidence: what counts\nz: 1\n")
    assert loaded.failed and loaded.value is None
    assert loaded.salvaged == {"id": "law", "keywords": ["a", "b"]}  # not `title: Evidence`


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("See [the\nintro](nowhere.md) now.\n",
                 (17, 5, "TK505", "link to `nowhere.md` does not reach a module of this project"),
                 id="link"),
    pytest.param("Text\n![A map\nof routes](../../secret.png)\n",
                 (18, 1, "TK502", "image `../../secret.png` points outside the project folder "
                  "(keep every file the manual uses inside the project folder)"), id="image"),
])
def test_a_link_or_image_over_two_lines_is_reported_where_its_bracket_opens(
        project: ProjectDir, body: str, expected: tuple[int, int, str, str]) -> None:
    """Guards the Markdown side of the bracket rule (it already held): in a module body an
    unclosed ``[`` is text, as CommonMark says, and gives no finding."""
    project.write(LAW, law_body(body))
    code, findings = validate(project.root)
    assert (code, findings) == (1, [(LAW, *expected)])
