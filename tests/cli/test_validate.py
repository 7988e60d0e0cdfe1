"""``trainkit validate``, ``schema``, ``--version`` and ``--help`` through the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ADDED, DEFAULT_BODY, EXTRA, LAW, SOUTH, ProjectDir, law_body, module_text
from trainkit import __version__
from trainkit.cli.app import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def with_error(project: ProjectDir) -> ProjectDir:
    """Error TK203 (line 5); warning TK408 (line ``ADDED``).

    The module keeps its valid id despite the error, so the north region profile's
    ``after: law`` no longer gives a knock-on TK310 (issue 12, item 9).
    """
    project.write(LAW, module_text(DEFAULT_BODY + "\n# Title\n\nMore text.\n", status="final"))
    return project


def with_warning(project: ProjectDir) -> ProjectDir:
    project.write(LAW, law_body("# Title\n\nText.\n"))
    return project


# -- exit codes -----------------------------------------------------------------------------


def test_clean_project_exits_0(project: ProjectDir) -> None:
    result = run("validate", str(project.root))
    assert result.exit_code == 0, result.output
    assert result.stdout == "no problems found\n"


def test_clean_project_with_strict_exits_0(project: ProjectDir) -> None:
    assert run("validate", "--strict", str(project.root)).exit_code == 0


def test_errors_exit_1(project: ProjectDir) -> None:
    result = run("validate", str(with_error(project).root))
    assert result.exit_code == 1
    assert "error[TK203]" in result.stdout


def test_warnings_only_exit_0_but_1_with_strict(project: ProjectDir) -> None:
    with_warning(project)
    relaxed = run("validate", str(project.root))
    assert relaxed.exit_code == 0
    assert "warning[TK408]" in relaxed.stdout
    assert relaxed.stdout.rstrip().endswith("1 warning in 1 file")
    strict = run("validate", "--strict", str(project.root))
    assert strict.exit_code == 1
    assert "error[TK408]" in strict.stdout
    assert strict.stdout.rstrip().endswith("1 error in 1 file")


def test_no_manifest_exits_2(tmp_path: Any) -> None:
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no trainkit.yaml in" in result.stderr
    assert "Traceback" not in result.output


def test_missing_folder_exits_2(tmp_path: Any) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def test_unknown_option_exits_2(project: ProjectDir) -> None:
    result = run("validate", "--bogus", str(project.root))
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr


def test_unknown_format_exits_2(project: ProjectDir) -> None:
    assert run("validate", "--format", "xml", str(project.root)).exit_code == 2


def test_default_project_is_the_current_folder(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    result = run("validate", "--no-cache")
    assert result.exit_code == 0, result.output


def test_no_cache_writes_nothing(project: ProjectDir) -> None:
    assert run("validate", "--no-cache", str(project.root)).exit_code == 0
    assert not (project.root / ".trainkit-cache").exists()


def test_cache_gives_the_same_findings(project: ProjectDir) -> None:
    with_error(project)
    first = run("validate", "--format", "json", str(project.root))
    second = run("validate", "--format", "json", str(project.root))
    assert (project.root / ".trainkit-cache").is_dir()
    assert first.stdout == second.stdout
    project.write(LAW, module_text())  # fixed: the cache must not serve the old findings
    assert run("validate", str(project.root)).exit_code == 0


# -- report formats -------------------------------------------------------------------------


def test_json_report(project: ProjectDir) -> None:
    with_error(project)
    result = run("validate", "--format", "json", str(project.root))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["error"] is None
    report = document["diagnostics"]
    assert isinstance(report, list) and report
    for item in report:
        assert set(item) == {"path", "line", "column", "severity", "code", "message", "hint"}
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert item["severity"] in ("error", "warning")
    assert report[0] == {
        "path": LAW, "line": 5, "column": 9, "severity": "error", "code": "TK203",
        "message": "`status` is `final`, which is not one of `draft`, `in-review` or `approved`",
        "hint": None,
    }
    assert [(i["code"], i["severity"]) for i in report] == [
        ("TK203", "error"), ("TK408", "warning")]
    assert "the module title comes from the front-matter" in report[1]["hint"]


def test_json_report_when_clean_is_an_empty_list(project: ProjectDir) -> None:
    result = run("validate", "-f", "json", str(project.root))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["diagnostics"] == []


def test_json_strict_reports_warnings_as_errors(project: ProjectDir) -> None:
    with_warning(project)
    result = run("validate", "--strict", "--format", "json", str(project.root))
    assert [i["severity"] for i in json.loads(result.stdout)["diagnostics"]] == ["error"]


def test_github_report(project: ProjectDir) -> None:
    with_error(project)
    result = run("validate", "--format", "github", str(project.root))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    pattern = re.compile(
        r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=TK\d{3}::TK\d{3} .+$")
    assert lines and all(pattern.match(line) for line in lines)
    assert lines[0] == (
        "::error file=modules/02-law.md,line=5,col=9,title=TK203::TK203 `status` is `final`, "
        "which is not one of `draft`, `in-review` or `approved`")
    assert lines[1].startswith(
        f"::warning file=modules/02-law.md,line={ADDED},col=1,title=TK408::TK408 ")
    assert "(hint: the module title comes from the front-matter" in lines[1]


def test_github_report_escapes_newlines_and_percent(project: ProjectDir) -> None:
    project.write(EXTRA, module_text(id="north-extra", prerequisites="[intro]",
                                     extra="ttle: 100%"))
    lines = run("validate", "-f", "github", str(project.root)).stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "::error file=modules/regional/north-extra.md,line=11,col=1,title=TK201::")


def test_text_report_quotes_the_line_with_a_caret(project: ProjectDir) -> None:
    with_error(project)
    project.edit(SOUTH, "name: South\n", "name: South\nnmae: Sud\n")  # a second error, elsewhere
    result = run("validate", str(project.root))
    assert result.exit_code == 1
    out = result.stdout
    assert (
        "error[TK203]: `status` is `final`, which is not one of `draft`, `in-review` or "
        "`approved`\n"
        "  --> modules/02-law.md:5:9\n"
        "  |\n"
        "5 | status: final\n"
        "  |         ^\n"
    ) in out
    assert (
        "warning[TK408]: a level-1 heading in the module body\n"
        f"  --> modules/02-law.md:{ADDED}:1\n"
        "   |\n"
        f"{ADDED} | # Title\n"
        "   | ^\n"
        "  = hint: the module title comes from the front-matter; start sections at ##\n"
    ) in out
    assert out.rstrip().splitlines()[-1] == "2 errors and 1 warning in 2 files"


def test_text_report_caret_under_a_column_after_a_tab(project: ProjectDir) -> None:
    project.write(LAW, law_body("Text\t<b>html</b>.\n"))
    out = run("validate", str(project.root)).stdout
    assert f"  --> modules/02-law.md:{ADDED}:6\n" in out
    assert f"{ADDED} | Text <b>html</b>.\n   |      ^\n" in out


def test_text_report_on_unreadable_file(project: ProjectDir) -> None:
    project.write(LAW, b"---\nid: law\ntitle: Caf\xe9\n---\n")
    result = run("validate", str(project.root))
    assert result.exit_code == 1
    assert "error[TK001]: the file is not UTF-8 text" in result.stdout
    assert "3 | title: Caf\ufffd" in result.stdout


# -- other commands -------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"trainkit {__version__}\n"


def test_python_dash_m_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "trainkit", "--version"], capture_output=True, text=True,
        timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"trainkit {__version__}"


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    commands = result.stdout.split("Commands:", 1)[1]
    for command in ("validate", "schema"):
        assert re.search(rf"^\s+{command}\s", commands, flags=re.MULTILINE), command


def test_no_arguments_shows_help() -> None:
    result = run()
    assert "Usage:" in result.output
    assert "validate" in result.output


def test_validate_help() -> None:
    result = run("validate", "--help")
    assert result.exit_code == 0
    for option in ("--strict", "--format", "--no-cache"):
        assert option in result.stdout


SCHEMA_KINDS = ["module", "region", "manifest"]


def _schema(kind: str) -> dict[str, Any]:
    result = run("schema", kind)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_is_json_schema(kind: str) -> None:
    document = _schema(kind)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["type"] == "object"
    assert document["additionalProperties"] is False
    assert document["properties"] and document["required"]
    assert document.get("description")


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (location, property schema) in a JSON Schema, $defs included."""
    if isinstance(node, dict):
        for name, schema in (node.get("properties") or {}).items():
            yield f"{where}.{name}", schema
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_property_has_a_description(kind: str) -> None:
    document = _schema(kind)
    found = list(_properties(document))
    assert found
    missing = [where for where, schema in found if not schema.get("description")]
    assert missing == []


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_definition_has_a_description(kind: str) -> None:
    for name, definition in _schema(kind).get("$defs", {}).items():
        if definition.get("type") == "object":
            assert definition.get("description"), name


def test_schema_module_matches_the_front_matter_keys() -> None:
    document = _schema("module")
    assert set(document["required"]) == {
        "id", "title", "version", "status", "summary", "duration", "audiences",
        "learning_objectives"}


def test_schema_unknown_kind_exits_2() -> None:
    assert run("schema", "chapter").exit_code == 2
