"""Issue 12, item 1: the manifest's output folder (``output.out_dir``) stays in the project.

``trainkit.yaml`` is untrusted input: an ``out_dir`` of ``../escaped``, an absolute path
or a folder that is a symbolic link to somewhere else would make ``build`` and
``handout`` write outside the project folder. ``validate`` reports it at the ``out_dir``
line, and every command that writes refuses, writing nothing. Only ``--out`` on the
command line may name a folder elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MANIFEST, ProjectDir
from trainkit.cli.app import app
from trainkit.errors import ContentError
from trainkit.files import project_out_dir

runner = CliRunner()

#: ``out_dir:`` goes right after this line of the baseline manifest.
_ANCHOR = "  edition: trainer\n"
#: Column of the value in ``  out_dir: <value>``.
VALUE_COLUMN = len("  out_dir: ") + 1


def set_out_dir(project: ProjectDir, value: str) -> int:
    """Give the baseline manifest ``output.out_dir: value``; the line it is on."""
    project.edit(MANIFEST, _ANCHOR, f"{_ANCHOR}  out_dir: {value}\n")
    lines = project.read(MANIFEST).split("\n")
    return lines.index(f"  out_dir: {value}") + 1


def located(project: ProjectDir) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in project.validate()]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# -- validate -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), [
    pytest.param("../escaped", "the output folder `../escaped` is outside the project folder",
                 id="parent"),
    pytest.param("dist/../../escaped",
                 "the output folder `dist/../../escaped` is outside the project folder",
                 id="parent-after-a-folder"),
    pytest.param("/tmp/escaped", "the output folder `/tmp/escaped` is an absolute path",
                 id="absolute"),
    pytest.param("'C:\\escaped'", "the output folder `C:\\escaped` is an absolute path",
                 id="windows-absolute"),
    pytest.param(".", "the output folder `.` is the project folder itself", id="project"),
    pytest.param("modules/..", "the output folder `modules/..` is the project folder itself",
                 id="project-again"),
])
def test_out_dir_outside_is_a_located_error(project: ProjectDir, value: str,
                                            message: str) -> None:
    line = set_out_dir(project, value)
    assert located(project) == [(MANIFEST, line, VALUE_COLUMN, "TK313", message)]


@pytest.mark.parametrize("value", ["dist", "build/pdf", "sub/../dist", "./out"])
def test_out_dir_inside_is_fine(project: ProjectDir, value: str) -> None:
    set_out_dir(project, value)
    assert project.validate() == []


def test_out_dir_linked_outside_is_refused(project: ProjectDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project.path("dist"))
    line = set_out_dir(project, "dist")
    assert located(project) == [(
        MANIFEST, line, VALUE_COLUMN, "TK313",
        "the output folder `dist` leads outside the project folder through a symbolic link")]


def test_out_dir_under_a_linked_folder_is_refused(project: ProjectDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project.path("build"))
    line = set_out_dir(project, "build/pdf/../x")
    assert [(f.line, f.code) for f in project.validate()] == [(line, "TK313")]


def test_default_out_dir_linked_outside_is_refused(project: ProjectDir, tmp_path: Path) -> None:
    """No ``out_dir:`` line: the default ``dist`` is checked too, reported at ``output:``."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project.path("dist"))
    lines = project.read(MANIFEST).split("\n")
    found = project.validate()
    assert [(f.path, f.line, f.code) for f in found] == [
        (MANIFEST, lines.index("output:") + 2, "TK313")]


def test_out_dir_link_inside_the_project_is_fine(project: ProjectDir) -> None:
    project.path("outputs").mkdir()
    os.symlink(project.path("outputs"), project.path("dist"))
    set_out_dir(project, "dist")
    assert project.validate() == []


def test_out_dir_that_is_a_file_is_refused(project: ProjectDir) -> None:
    project.write("dist", "not a folder\n")
    line = set_out_dir(project, "dist")
    assert located(project) == [(MANIFEST, line, VALUE_COLUMN, "TK313",
                                 "the output folder `dist` is a file, not a folder")]


def test_cli_validate_quotes_the_out_dir_line(project: ProjectDir) -> None:
    line = set_out_dir(project, "../escaped")
    result = runner.invoke(app, ["validate", "--no-cache", str(project.root)])
    assert result.exit_code == 1
    assert "error[TK313]: the output folder `../escaped` is outside the project folder" in (
        result.output)
    assert f"--> {MANIFEST}:{line}:{VALUE_COLUMN}" in result.output
    assert "hint: set `out_dir` to a folder inside the project, such as dist; to write " \
           "elsewhere, pass --out on the command line" in result.output


# -- build, handout, build --all, agenda refuse and write nothing ------------------------------


@pytest.mark.parametrize("command", [
    pytest.param(["build", "{root}", "-f", "html"], id="build"),
    pytest.param(["build", "{root}", "--all", "-f", "html"], id="build-all"),
    pytest.param(["handout", "law", "-p", "{root}", "-f", "html"], id="handout"),
    pytest.param(["agenda", "--days", "1", "{root}", "-f", "md"], id="agenda"),
])
def test_commands_that_write_refuse_an_escaping_out_dir(
        project: ProjectDir, tmp_path: Path, command: list[str]) -> None:
    line = set_out_dir(project, "../escaped")
    before = files_under(project.root)
    args = [part.format(root=project.root) for part in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "error[TK313]: the output folder `../escaped` is outside the project folder" in (
        result.output)
    assert f"--> {MANIFEST}:{line}:{VALUE_COLUMN}" in result.output
    assert not (tmp_path / "escaped").exists()
    assert [p for p in files_under(project.root) if not p.startswith(".trainkit-cache")] == [
        p for p in before if not p.startswith(".trainkit-cache")]


def test_build_refuses_an_out_dir_linked_outside(project: ProjectDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project.path("dist"))
    result = runner.invoke(app, ["build", str(project.root), "-f", "html"])
    assert result.exit_code == 1
    assert "error[TK313]" in result.output
    assert list(elsewhere.iterdir()) == []


def test_command_line_out_may_point_elsewhere(project: ProjectDir, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "out"
    result = runner.invoke(app, ["build", str(project.root), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["test-manual-north-trainer.html"]
    assert not project.path("dist").exists()


def test_default_out_dir_is_used_inside_the_project(project: ProjectDir) -> None:
    set_out_dir(project, "build/out")
    result = runner.invoke(app, ["build", str(project.root), "-f", "html", "-q"])
    assert result.exit_code == 0, result.output
    assert project.path("build/out/test-manual-north-trainer.html").is_file()


# -- the library refuses too, whatever validation said ----------------------------------------


def test_project_out_dir_resolves_inside(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    assert project_out_dir(root, "dist") == root / "dist"
    assert project_out_dir(root, "a/../b") == root / "b"


@pytest.mark.parametrize("value", ["../x", "/etc", ".", "link", "link/deeper"])
def test_project_out_dir_refuses(tmp_path: Path, value: str) -> None:
    root = (tmp_path / "project").resolve()
    root.mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", root / "link")
    with pytest.raises(ContentError, match=r"^the output folder .*; nothing was built$"):
        project_out_dir(root, value)
