"""Issue 12 ("Hardening"): the new BAD_INPUTS cases together, in one validation run.

Each family has its own file (``test_hardening_inputs_<family>.py``); this one checks
that they are all reported in one run, like ``test_bad_inputs.py`` does for the first
families, and that no input reads or writes anything outside the project folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from conftest import EXTRA, LAW, MANIFEST, ProjectDir, baseline_files, law_body
from trainkit.cli.app import app

RLO = "\u202e"


def spoil_everything(project: ProjectDir) -> None:
    project.edit(MANIFEST, "  edition: trainer\n", "  edition: trainer\n  out_dir: ../escaped\n")
    project.edit(EXTRA, "id: north-extra", f"id: nor{RLO}th-extra")
    project.write("images/bad.svg", '<svg xmlns="http://www.w3.org/2000/svg">'
                  '<image href="file:///etc/passwd"/></svg>\n')
    project.write("images/bad.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    project.path("modules/notes.md").mkdir()
    os.mkfifo(project.path("modules/pipe.md"))
    project.write(LAW, law_body(
        f"## Ev{RLO}idence\n\n![A](../images/bad.svg) ![B](../images/bad.png)\n\n"
        "[fine](HTTPS://example.org) and <a href=\"\\\"\">no tag</a> [no](JavaScript:x)\n"))


def test_every_new_family_is_reported_in_one_run(project: ProjectDir) -> None:
    spoil_everything(project)
    codes = {f.code for f in project.validate()}
    assert codes >= {"TK313", "TK314", "TK504", "TK506", "TK510", "TK511", "TK512"}
    assert "TK508" not in codes  # `<a href="\"">` is no tag; `</a>` is never reported


def test_nothing_is_written_outside_and_the_project_is_untouched(
        project: ProjectDir, tmp_path: Path) -> None:
    spoil_everything(project)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(app, ["build", str(project.root), "-f", "html"])
    assert result.exit_code == 1
    assert "nothing was built" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not project.path("dist").exists()


def test_the_baseline_still_validates_cleanly(project: ProjectDir) -> None:
    assert project.validate(strict=True) == []
    assert baseline_files() == {
        p.relative_to(project.root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(project.root.rglob("*")) if p.is_file()
        and not p.relative_to(project.root).as_posix().startswith(".trainkit-cache")}
