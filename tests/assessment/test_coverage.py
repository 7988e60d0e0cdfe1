"""``trainkit coverage``: per module, each objective and what assesses it; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.samples import QUESTIONS, typed_module
from conftest import LAW, ProjectDir, copy_valid
from trainkit.cli.app import app


@pytest.fixture()
def typed(tmp_path: Path) -> ProjectDir:
    project = copy_valid(tmp_path / "p")
    project.write(LAW, typed_module())
    return project


def _run(project: ProjectDir, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["coverage", str(project.root), "--region", "north",
                                      *args])
    return result.exit_code, result.output


def test_the_json_report_lists_what_assesses_each_objective(typed: ProjectDir) -> None:
    code, output = _run(typed, "--format", "json")
    data = json.loads(output)
    assert code == 1 and data["uncovered"] == 2 and data["region"] == "north"
    law = next(m for m in data["modules"] if m["id"] == "law")
    assert [(o["key"], o["covered"]) for o in law["objectives"]] == [
        ("name-offences", True), ("2", True), ("distinguish", True), ("4", True)]
    assert law["objectives"][1]["questions"] == [
        {"id": "law-q2", "number": "2.2", "type": "true-false"}]
    assert law["objectives"][1]["activities"] == [
        {"kind": "exercise", "number": "2.1", "title": "Role play"}]
    assert [m["objectives"][0]["covered"] for m in data["modules"] if m["id"] != "law"] == [
        False, False]


def test_the_text_report_flags_uncovered_objectives(typed: ProjectDir) -> None:
    code, output = _run(typed)
    assert code == 1
    lines = output.splitlines()
    assert "Module 2: The law (law)" in lines
    assert "  ✓ 2. Explain consent." in lines
    assert "      question 2.2 law-q2 (true-false); exercise 2.1 Role play" in lines
    assert "  ✗ 1. Define the smuggling of migrants." in lines
    assert "      NOT ASSESSED" in lines
    assert lines[-1] == "2 of 6 objectives assessed by nothing (north, trainer edition)."


def test_full_coverage_exits_0(tmp_path: Path) -> None:
    project = copy_valid(tmp_path / "p")
    project.write(LAW, typed_module(QUESTIONS, "\n  - Name the offences."))
    for path in ("modules/01-intro.md", "modules/regional/north-extra.md"):
        project.append(path, "\n::: question {objectives=1}\nWhy?\n:::\n")
    project.write(LAW, typed_module(QUESTIONS.replace("objectives=1,3", "objectives=1")
                                    .replace("objectives=distinguish", "objectives=1")
                                    .replace("objectives=4", "objectives=1")
                                    .replace("objectives=2", "objectives=1"),
                                    "\n  - Name the offences."))
    code, output = _run(project)
    assert (code, output.splitlines()[-1]) == (
        0, "0 of 3 objectives assessed by nothing (north, trainer edition).")


def test_a_project_with_errors_exits_1_and_an_unknown_region_2(typed: ProjectDir) -> None:
    assert _run(typed, "--region", "nowhere")[0] == 2
    typed.write(LAW, typed_module(QUESTIONS + "\n::: question {type=choice}\nP.\n:::\n"))
    code, output = _run(typed)
    assert code == 1 and "TK808" in output
