"""Reports CI can place: paths relative to the current folder, the project found
upwards, SARIF 2.1.0, JSON with a version and a separate hint, usage errors and build
findings in the format asked for."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import VALID
from trainkit.cli.app import app, main
from trainkit.diagnostics import Diagnostic, relocated

runner = CliRunner()
SARIF_SCHEMA = json.loads((Path(__file__).parents[1] / "sarif" / "sarif-schema-2.1.0.json")
                          .read_text(encoding="utf-8"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose manual sits in ``manual/``, with one error and one warning."""
    shutil.copytree(VALID, tmp_path / "manual")
    law = tmp_path / "manual/modules/02-law.md"
    law.write_text(law.read_text(encoding="utf-8").replace("status: draft", "status: drafty")
                   + "\n## Empty\n", encoding="utf-8")
    return tmp_path


def _json(result: Any) -> Any:
    return json.loads(result.stdout)


def test_paths_are_relative_to_the_current_folder(repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["validate", "--no-cache", "-f", "github", "manual"])
    assert result.exit_code == 1
    assert "file=manual/modules/02-law.md,line=" in result.stdout
    monkeypatch.chdir(repo / "manual/modules")
    result = runner.invoke(app, ["validate", "--no-cache", "-f", "json"])
    assert {d["path"] for d in _json(result)["diagnostics"]} == {"02-law.md"}


def test_the_project_is_found_upwards(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "manual/modules")
    result = runner.invoke(app, ["list", "-f", "json"])
    assert result.exit_code == 1  # it found the project, and its error
    assert "--> 02-law.md:5:9" in result.output
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["validate", "--no-cache"])
    assert result.exit_code == 2 and "no trainkit.yaml" in result.output


def test_json_has_a_version_and_a_separate_hint(repo: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    document = _json(runner.invoke(app, ["validate", "--no-cache", "-f", "json", "manual"]))
    assert document["version"] == 1 and document["error"] is None
    empty = next(d for d in document["diagnostics"] if d["code"] == "TK407")
    assert empty["hint"] and empty["hint"] not in empty["message"]
    assert set(empty) == {"path", "line", "column", "severity", "code", "message", "hint"}


def test_sarif_validates_against_the_official_schema(repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["validate", "--no-cache", "-f", "sarif", "manual"])
    assert result.exit_code == 1
    log = _json(result)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"TK203", "TK407"}
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "manual/modules/02-law.md"
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["TK203", "TK407"]


@pytest.mark.parametrize("report", ["json", "github", "sarif"])
def test_usage_errors_honour_the_format(report: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["validate", "-f", report, "--bogus"],
                 ["validate", "-f", report, str(tmp_path / "nowhere")]):
        monkeypatch.setattr(sys, "argv", ["trainkit", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        assert stopped.value.code == 2
        out = capsys.readouterr().out
        if report == "github":
            assert out.startswith("::error title=trainkit::")
        else:
            document = json.loads(out)
            if report == "json":
                assert document["error"]
            else:
                jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
                assert not document["runs"][0]["invocations"][0]["executionSuccessful"]


@pytest.mark.parametrize("command", [["build", "--format", "html"], ["handout", "--all"]])
def test_build_and_handout_report_findings_in_the_format(
        command: list[str], repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, [command[0], "manual", *command[1:],
                                 "--diagnostics-format", "github"])
    assert result.exit_code == 1
    assert "::error file=manual/modules/02-law.md,line=" in result.stdout
    result = runner.invoke(app, [command[0], "manual", *command[1:],
                                 "--diagnostics-format", "sarif"])
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(_json(result))


def test_relocated_leaves_unrelated_folders_alone(tmp_path: Path) -> None:
    found = [Diagnostic("modules/a.md", 1, 1, "TK407", "m")]
    moved, _ = relocated(found, {}, tmp_path / "p", tmp_path / "elsewhere")
    assert moved[0].path == "modules/a.md"
    moved, sources = relocated(found, {"modules/a.md": ["x"]}, tmp_path / "p", tmp_path)
    assert moved[0].path == "p/modules/a.md" and sources == {"p/modules/a.md": ["x"]}


@pytest.mark.parametrize("report", ["json", "sarif"])
@pytest.mark.parametrize("command", [["build", "-f", "html"], ["handout", "first", "-f", "html"]])
def test_a_clean_build_or_handout_prints_one_document_and_the_paths_on_stderr(
        command: list[str], report: str, tmp_path: Path) -> None:
    tour = Path(__file__).resolve().parents[2] / "examples" / "feature-tour"
    project = tmp_path / "tour"
    shutil.copytree(tour, project, ignore=shutil.ignore_patterns(".trainkit-cache"))
    result = runner.invoke(app, [command[0], str(project), *command[1:], "-o",
                                 str(tmp_path / "out"), "--diagnostics-format", report])
    assert result.exit_code == 0, result.output
    document = _json(result)  # stdout holds the report and nothing else
    if report == "json":
        assert document["diagnostics"] == []
    else:
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
        assert document["runs"][0]["results"] == []
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == 1 and str(written[0]) in result.stderr
