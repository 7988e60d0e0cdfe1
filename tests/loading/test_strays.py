"""Issue 12, item 10: things under ``modules/`` that are not module files.

A folder named like a module (``notes.md/``), a named pipe (FIFO), a socket or a link to
nothing used to be skipped in silence. Each now gets a located warning (TK314), and a
pipe is never opened: reading one blocks until something writes to it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LAW, ProjectDir, law_body
from trainkit.diagnostics import Severity

FOLDER_MESSAGE = "`{path}` is a folder, not a module file"
FOLDER_HINT = "rename the folder so that its name does not end in .md"
SPECIAL_MESSAGE = "`{path}` is not a regular file (a pipe, socket or device), so it is not read"
SPECIAL_HINT = "delete it, or put a real file in its place"
DANGLING_MESSAGE = "`{path}` is a link to a file that does not exist"
DANGLING_HINT = "delete the link, or make it point to a module file inside the project"


def located(project: ProjectDir) -> list[tuple[str, int, int, str, str, str | None]]:
    return [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in project.validate()]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, killed if it hangs on a pipe."""
    return subprocess.run([sys.executable, "-m", "trainkit", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_folder_named_like_a_module(project: ProjectDir) -> None:
    project.path("modules/notes.md").mkdir()
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in found] == [
        ("modules/notes.md", 1, 1, "TK314", FOLDER_MESSAGE.format(path="modules/notes.md"),
         FOLDER_HINT)]
    assert found[0].level is Severity.WARNING


def test_modules_in_a_folder_named_like_a_module_are_still_read(project: ProjectDir) -> None:
    project.write("modules/odd.md/inner.md", project.read(LAW).replace("id: law", "id: inner"))
    assert [(f.path, f.code) for f in project.validate()] == [
        ("modules/odd.md", "TK314"), ("modules/odd.md/inner.md", "TK305")]


@pytest.mark.parametrize("name", ["modules/pipe.md", "modules/pipe", "modules/regional/p.md",
                                  "modules/fr/pipe.md"])
def test_fifo_is_a_warning_and_never_opened(project: ProjectDir, name: str) -> None:
    project.path(name).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(project.path(name))
    assert located(project) == [
        (name, 1, 1, "TK314", SPECIAL_MESSAGE.format(path=name), SPECIAL_HINT)]


def test_socket_is_a_warning(project: ProjectDir) -> None:
    path = project.path("modules/s.md")
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(path))
        except OSError as error:  # a path too long for a socket on this machine
            pytest.skip(f"cannot bind a socket here: {error}")
        assert [(f.path, f.code) for f in project.validate()] == [("modules/s.md", "TK314")]


def test_link_to_a_fifo_is_a_warning(project: ProjectDir, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "pipe", project.path("modules/link.md"))
    assert [(f.path, f.code) for f in project.validate()] == [("modules/link.md", "TK314")]


def test_link_to_nothing_is_a_warning(project: ProjectDir) -> None:
    os.symlink("gone.md", project.path("modules/dangling.md"))
    assert located(project) == [(
        "modules/dangling.md", 1, 1, "TK314",
        DANGLING_MESSAGE.format(path="modules/dangling.md"), DANGLING_HINT)]


def test_other_files_and_hidden_ones_stay_silent(project: ProjectDir) -> None:
    project.write("modules/images/photo.png", b"\x89PNG")
    project.write("modules/notes.txt", "notes\n")
    project.path("modules/.drafts.md").mkdir()
    os.mkfifo(project.path("modules/.pipe.md"))
    assert project.validate() == []


def test_cli_validate_with_a_fifo_and_a_folder_does_not_hang(project: ProjectDir) -> None:
    os.mkfifo(project.path("modules/pipe.md"))
    project.path("modules/notes.md").mkdir()
    result = run_cli("validate", "--no-cache", str(project.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning[TK314]: `modules/notes.md` is a folder, not a module file" in result.stdout
    assert "--> modules/notes.md:1:1" in result.stdout
    assert ("warning[TK314]: `modules/pipe.md` is not a regular file (a pipe, socket or "
            "device), so it is not read") in result.stdout
    assert "--> modules/pipe.md:1:1" in result.stdout
    strict = run_cli("validate", "--no-cache", "--strict", str(project.root))
    assert strict.returncode == 1


def test_cli_build_with_a_fifo_does_not_hang(project: ProjectDir, tmp_path: Path) -> None:
    os.mkfifo(project.path("modules/pipe.md"))
    out = tmp_path / "out"
    result = run_cli("build", str(project.root), "-f", "html", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning[TK314]: `modules/pipe.md` is not a regular file" in result.stderr
    assert "--> modules/pipe.md:1:1" in result.stderr
    assert [p.name for p in out.iterdir()] == ["test-manual-north-trainer.html"]
    assert project.path("modules/pipe.md").is_fifo()


def test_a_stray_beside_a_broken_module(project: ProjectDir) -> None:
    """The warning does not hide or replace the module's own findings."""
    project.path("modules/notes.md").mkdir()
    project.write(LAW, law_body("Some <b>HTML</b>.\n"))
    assert [(f.path, f.code) for f in project.validate()] == [
        (LAW, "TK508"), ("modules/notes.md", "TK314")]
