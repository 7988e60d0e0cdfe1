"""``cli/errors.py``: every error a command meets becomes a message and an exit code.

``--out`` pointing where no folder can be made, a disk that fills up while writing, usage
errors, library errors and Ctrl-C: one line on standard error, the documented exit
code, never a traceback, and the previous outputs untouched.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import trainkit.commands.listing
import trainkit.writers.html.render
from trainkit.model.edition import AssembledEdition
from trainkit.cli.app import app
from trainkit.files import describe_os_error
from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.loading.resolver import ProjectResolver

runner = CliRunner()

HTML = "feature-tour-coastal-trainer.html"


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def assert_clean_exit(result: Any, code: int) -> None:
    """Exit ``code`` through ``typer.Exit``: no exception escaped, nothing like a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    assert "Traceback" not in result.output


def one_error_line(result: Any) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    line: str = lines[0]
    return line


# -- --out where no folder can be ---------------------------------------------------------


def _commands(tour: Path, out: str) -> dict[str, list[str]]:
    return {
        "build": ["build", str(tour), "-r", "coastal", "-e", "trainer", "-f", "html",
                  "-o", out],
        "handout": ["handout", str(tour), "first", "-r", "coastal", "-f", "html", "-o", out],
        "agenda": ["agenda", str(tour), "-r", "coastal", "--days", "1", "-f", "md",
                   "-o", out],
    }


@pytest.mark.parametrize("command", ["build", "handout", "agenda"])
def test_out_at_an_existing_file(tour: Path, tmp_path: Path, command: str) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n", encoding="utf-8")
    result = run(*_commands(tour, str(existing))[command])
    assert_clean_exit(result, 1)
    assert one_error_line(result) == f"error: {existing}: exists and is not a folder"
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["build", "handout", "agenda"])
def test_out_below_a_file(tour: Path, tmp_path: Path, command: str) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n", encoding="utf-8")
    result = run(*_commands(tour, str(existing / "sub"))[command])
    assert_clean_exit(result, 1)
    assert one_error_line(result) == f"error: {existing / 'sub'}: {existing} is not a folder"
    assert existing.read_text(encoding="utf-8") == "keep me\n"


def test_out_at_dev_null(tour: Path) -> None:
    result = run(*_commands(tour, os.devnull)["build"])
    assert_clean_exit(result, 1)
    assert one_error_line(result) == f"error: {os.devnull}: exists and is not a folder"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_full_disk_while_writing_html(tour: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    args = _commands(tour, str(out))["build"]
    assert_clean_exit(run(*args), 0)
    previous = (out / HTML).read_bytes()

    def full_disk(edition: AssembledEdition, resolver: ProjectResolver, target: Path) -> None:
        with atomic_target(target) as temporary:
            temporary.write_text("<!doctype html><title>half", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(trainkit.writers.html.render, "write_html", full_disk)
    result = run(*args)
    assert_clean_exit(result, 1)
    assert one_error_line(result) == f"error: {out / HTML}: No space left on device"
    assert (out / HTML).read_bytes() == previous
    assert sorted(path.name for path in out.iterdir()) == [HTML]  # no partial file left


def test_unreadable_out_folder(tour: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run(*_commands(tour, str(locked))["build"])
    assert_clean_exit(result, 1)
    assert one_error_line(result).startswith(f"error: {locked / HTML}: Permission denied")


# -- the other errors ---------------------------------------------------------------------


def test_usage_error_exits_2_with_one_line(tour: Path) -> None:
    result = run("build", str(tour), "--drop-others", "-f", "html")
    assert_clean_exit(result, 2)
    assert one_error_line(result) == (
        "error: --drop-others needs --status, e.g. --status approved --drop-others")


def test_unknown_option_exits_2(tour: Path) -> None:
    result = run("list", str(tour), "--bogus")
    assert_clean_exit(result, 2)
    assert "No such option: --bogus" in result.stderr


def test_other_library_errors_exit_1(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(project: Path) -> None:
        raise RenderError("the renderer gave up")

    monkeypatch.setattr(trainkit.commands.listing, "project_listing", fails)
    result = run("list", str(tour))
    assert_clean_exit(result, 1)
    assert one_error_line(result) == "error: the renderer gave up"


def test_ctrl_c_exits_130_quietly(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(project: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(trainkit.commands.listing, "project_listing", interrupted)
    result = run("list", str(tour))
    assert_clean_exit(result, 130)
    assert result.output == ""


def test_content_errors_print_the_findings_and_exit_1(tour: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("status: approved",
                                                               "status: final"),
                     encoding="utf-8")
    result = run("build", str(tour), "-f", "html", "-o", str(tour / "out"))
    assert_clean_exit(result, 1)
    lines = result.stderr.rstrip().splitlines()
    assert lines[0].startswith("error[TK203]: `status` is `final`")
    assert lines[1] == "  --> modules/first.md:5:9"
    assert lines[-1] == "error: the project has errors; nothing was built"


@pytest.mark.parametrize("error, message", [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (OSError(errno.EACCES, "Permission denied", "/x/y"), "/x/y: Permission denied"),
    (OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b"),
     "/a -> /b: Invalid cross-device link"),
    (OSError("no errno at all"), "no errno at all"),
])
def test_describe_os_error(error: OSError, message: str) -> None:
    assert describe_os_error(error) == message
