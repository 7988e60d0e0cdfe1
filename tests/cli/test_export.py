"""``trainkit export moodle|scorm``: what they print and their exit codes (0 written, 1
project errors or nothing to export, 2 usage errors). What the files hold is tested in
``tests/exports/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from conftest import INTRO, LAW, copy_valid
from exports.samples import export_project
from trainkit.cli.app import app

runner = CliRunner()


def export(*args: str) -> Any:
    return runner.invoke(app, ["export", *args])


def test_moodle_writes_both_files_and_counts_their_questions(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    result = export("moodle", str(project.root), "-r", "north", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert [Path(line).name for line in result.stdout.splitlines()] == [
        "test-manual-north-moodle.xml", "test-manual-north-gift.txt"]
    assert result.stderr.count("8 questions") == 2


def test_one_format_and_quiet(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    result = export("moodle", str(project.root), "-r", "north", "-f", "gift", "-q",
                    "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.output == f"{tmp_path / 'out' / 'test-manual-north-gift.txt'}\n"


def test_scorm_writes_a_package_per_module(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    result = export("scorm", str(project.root), "-r", "north", "--mastery", "60",
                    "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert [Path(line).name for line in result.stdout.splitlines()] == [
        "test-manual-north-scorm-intro.zip", "test-manual-north-scorm-law.zip",
        "test-manual-north-scorm-north-extra.zip"]
    assert "6 quiz questions" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    result = export("scorm", str(project.root), "--mastery", "120")
    assert result.exit_code == 2
    assert "120 is not allowed: it must be between 0 and 100." in result.output
    result = export("scorm", str(project.root), "--per", "chapter")
    assert result.exit_code == 2
    result = export("moodle", str(project.root), "-r", "nowhere")
    assert result.exit_code == 2
    assert "error: unknown region `nowhere` (known: north, south)" in result.output


def test_a_project_without_questions_exits_1(tmp_path: Path) -> None:
    project = copy_valid(tmp_path / "project")
    project.edit(INTRO, "::: question\nWhat is the smuggling of migrants?\n:::\n\n"
                        "::: answer\nSee Article 3 of the Protocol.\n:::\n", "")
    result = export("moodle", str(project.root), "-r", "north", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("error: the north edition has no questions to export; write them as "
            "`::: question` blocks (docs/format.md, Typed questions)") in result.output
    assert not (tmp_path / "out").exists()


def test_a_project_with_errors_exits_1_with_located_findings(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    project.edit(LAW, "Describe a case you met.", "Describe {{ no_such_variable }}.")
    result = export("scorm", str(project.root), "-r", "north", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "modules/02-law.md:" in result.output and "no_such_variable" in result.output
    assert "error: the project has errors; nothing was built" in result.output
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_is_a_file_exits_1_naming_it(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    for command in ("moodle", "scorm"):
        result = export(command, str(project.root), "-r", "north", "-o", str(blocker))
        assert result.exit_code == 1, result.output
        assert f"error: {blocker}" in result.output and "not a folder" in result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"
