"""Shell completion of region, edition, language and module ids."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
import typer

from conftest import REPOSITORY
from trainkit.cli import completion


def _ctx(project: Path | None = None) -> typer.Context:
    return cast(typer.Context, SimpleNamespace(params={"project": project}))


def test_ids_come_from_the_project() -> None:
    ctx = _ctx(REPOSITORY)
    assert completion.regions(ctx, "") == ["east-africa", "international",
                                           "mediterranean-europe", "north-africa",
                                           "west-africa"]
    assert completion.regions(ctx, "n") == ["north-africa"]
    assert completion.editions(ctx, "") == ["participant", "trainer"]
    assert completion.languages(ctx, "") == ["ar", "en", "fr"]
    assert "legal-framework" in completion.modules(ctx, "leg")


def test_the_project_is_found_upwards_and_no_project_completes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY / "modules")
    assert "north-africa" in completion.regions(_ctx(), "")
    monkeypatch.chdir(tmp_path)
    assert completion.regions(_ctx(), "") == completion.modules(_ctx(), "") == []


def test_the_shell_gets_them(tmp_path: Path) -> None:
    env = {**os.environ, "_TRAINKIT_COMPLETE": "complete_bash",
           "COMP_WORDS": "trainkit build --region nor", "COMP_CWORD": "3"}
    completed = subprocess.run([str(Path(sys.executable).parent / "trainkit")], env=env,
                               cwd=REPOSITORY,
                               capture_output=True, text=True, timeout=60)
    assert "north-africa" in completed.stdout, completed.stderr
