"""``trainkit handout [DIR] [MODULE_ID]... [--module ID]... [--all]``: its arguments.

The first argument is the project folder, as for every other command, unless it is
written like a module id and no folder of that name holds a ``trainkit.yaml``; then it
is the first module id and the project is the current folder. ``--project/-p`` still
works for one release, with a deprecation warning. What a handout holds is tested in
``tests/commands/test_handout.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app

runner = CliRunner()
DEPRECATED = ("warning: --project/-p is deprecated and will be removed in the next release; "
              "write `trainkit handout DIR [MODULE_ID]...`")


def handout(*args: str) -> Any:
    return runner.invoke(app, ["handout", *args, "-r", "coastal", "-f", "html", "-q"])


def written(result: Any) -> list[str]:
    assert result.exit_code == 0, result.output
    return [Path(line).name for line in result.stdout.splitlines()]


def test_project_first_then_module_ids(tour: Path) -> None:
    assert written(handout(str(tour), "first", "second", "-o", str(tour / "out"))) == [
        "feature-tour-coastal-handout-first.html", "feature-tour-coastal-handout-second.html"]


def test_module_option_repeats_and_adds_to_the_arguments(tour: Path) -> None:
    result = handout(str(tour), "first", "-m", "second", "--module", "coastal-extra",
                     "-o", str(tour / "out"))
    assert written(result) == ["feature-tour-coastal-handout-first.html",
                               "feature-tour-coastal-handout-second.html",
                               "feature-tour-coastal-handout-coastal-extra.html"]


def test_bare_module_ids_inside_the_project(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    assert written(handout("first", "second")) == [
        "feature-tour-coastal-handout-first.html", "feature-tour-coastal-handout-second.html"]
    assert (tour / "dist" / "feature-tour-coastal-handout-second.html").is_file()


def test_only_module_option_inside_the_project(tour: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    assert written(handout("-m", "first")) == ["feature-tour-coastal-handout-first.html"]


def test_a_folder_named_like_a_module_holding_a_project_is_the_project(
        tour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(tour, tmp_path / "first")
    monkeypatch.chdir(tmp_path)
    result = handout("first", "first", "-o", str(tmp_path / "out"))
    assert written(result) == ["feature-tour-coastal-handout-first.html"]


def test_a_path_that_is_not_a_project_is_a_usage_error(tmp_path: Path) -> None:
    result = handout(str(tmp_path / "no" / "where"), "first")
    assert result.exit_code == 2
    assert "is not a folder" in result.output


def test_an_unknown_module_id_in_first_place_is_a_usage_error(
        tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    result = handout("frist")
    assert result.exit_code == 2
    assert "unknown module `frist`; did you mean `first`?" in " ".join(result.output.split())


def test_all_with_the_project_as_argument(tour: Path) -> None:
    assert len(written(handout(str(tour), "--all", "-o", str(tour / "out")))) == 3


@pytest.mark.parametrize("option", ["--project", "-p"])
def test_deprecated_project_option_still_works_and_warns(tour: Path, option: str) -> None:
    result = handout("first", option, str(tour), "-o", str(tour / "out"))
    assert written(result) == ["feature-tour-coastal-handout-first.html"]
    assert result.stderr.splitlines() == [DEPRECATED]


def test_deprecated_project_option_with_all(tour: Path) -> None:
    result = handout("--all", "-p", str(tour), "-o", str(tour / "out"))
    assert len(written(result)) == 3
    assert result.stderr.splitlines() == [DEPRECATED]


def test_help_shows_the_project_argument_first() -> None:
    result = runner.invoke(app, ["handout", "--help"])
    assert result.exit_code == 0
    assert "Usage: trainkit handout [OPTIONS] [project] [MODULE_ID]..." in result.stdout
    assert "-m, --module ID" in result.stdout
