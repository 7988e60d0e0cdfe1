"""Issue 12, item 8: the hidden ``.part`` files a killed build leaves do not outlive it.

A build killed while it writes an output (the OOM killer, a cancelled CI job) leaves the
hidden temporary file ``.<name>.<random>.part`` beside the output. Every later build
that writes that output removes such files: only those of its own outputs, and only
those last written before it started, so another build writing the same output at the
same moment keeps its file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import trainkit.commands.build
import trainkit.writers.dispatch
from trainkit.commands.build_record import RECORD_NAME
from trainkit.cli.app import app
from trainkit.errors import RenderError

runner = CliRunner()

#: An hour ago: what a build killed earlier left.
STALE_AGE = 3600.0
#: A minute ahead: a file another build is writing right now (written after this started).
FRESH_AHEAD = 60.0


def _plant(folder: Path, name: str, *, age: float) -> Path:
    """A file ``name`` in ``folder`` last written ``age`` seconds ago (negative: ahead)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"half-written")
    when = time.time() - age
    os.utime(path, (when, when))
    return path


def _plant_around(out: Path, output: str) -> dict[str, Path]:
    """A stale and a fresh temporary file of ``output``, and files that are not its."""
    return {
        "stale": _plant(out, f".{output}.abc.part", age=STALE_AGE),
        "stale2": _plant(out, f".{output}.k2_9xq1z.part", age=STALE_AGE),
        "fresh": _plant(out, f".{output}.def.part", age=-FRESH_AHEAD),
        "other output": _plant(out, ".someone-else.pdf.abc.part", age=STALE_AGE),
        "longer name": _plant(out, f".{output}.bak.abc.part", age=STALE_AGE),
        "not a part": _plant(out, f".{output}.abc.tmp", age=STALE_AGE),
        "user file": _plant(out, "notes.txt", age=STALE_AGE),
    }


def _assert_cleaned(planted: dict[str, Path]) -> None:
    gone = sorted(key for key, path in planted.items() if not path.exists())
    assert gone == ["stale", "stale2"]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".part"))


def test_remove_stale_leftovers_removes_only_old_temporary_files_of_the_output(
        tmp_path: Path) -> None:
    from trainkit.files import remove_stale_leftovers

    planted = _plant_around(tmp_path, "x.pdf")
    removed = remove_stale_leftovers(tmp_path / "x.pdf", time.time())
    assert sorted(p.name for p in removed) == [".x.pdf.abc.part", ".x.pdf.k2_9xq1z.part"]
    _assert_cleaned(planted)


def test_build_removes_the_stale_part_files_of_its_outputs(tour: Path) -> None:
    out = tour / "out"
    planted = {fmt: _plant_around(out, f"feature-tour-coastal-trainer.{fmt}")
               for fmt in ("html", "docx")}
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-f", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for fmt in ("html", "docx"):
        assert (out / f"feature-tour-coastal-trainer.{fmt}").is_file()
        _assert_cleaned(planted[fmt])


def test_a_failed_render_still_removes_the_stale_part_files(
        tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The previous output stays untouched; what the killed build left goes all the same."""
    out = tour / "out"
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    target = out / "feature-tour-coastal-trainer.html"
    previous = target.read_bytes()
    planted = _plant_around(out, target.name)

    def failing(output_format: str, *args: Any) -> trainkit.writers.dispatch.Writer:
        def broken(edition: object, resolver: object, path: Path) -> int:
            raise RenderError(f"{path.name}: the writer failed")
        return broken

    monkeypatch.setattr(trainkit.writers.dispatch, "load_writer", failing)
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert "error: feature-tour-coastal-trainer.html: the writer failed" in result.output
    assert target.read_bytes() == previous
    _assert_cleaned(planted)


def test_handout_removes_the_stale_part_files_of_its_outputs(tour: Path) -> None:
    out = tour / "out"
    name = "feature-tour-coastal-handout-first.html"
    planted = _plant_around(out, name)
    result = runner.invoke(app, ["handout", "--all", "-p", str(tour), "-r", "coastal",
                                 "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / name).is_file(), sorted(p.name for p in out.iterdir())
    _assert_cleaned(planted)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_agenda_export_removes_the_stale_part_files_of_its_output(tour: Path, fmt: str) -> None:
    out = tour / "out"
    name = f"feature-tour-coastal-agenda.{fmt}"
    planted = _plant_around(out, name)
    result = runner.invoke(app, ["agenda", str(tour), "-r", "coastal", "--days", "2",
                                 "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / name)
    _assert_cleaned(planted)


def test_build_all_removes_the_stale_part_files_of_the_outputs_it_writes(tour: Path) -> None:
    out = tour / "out"
    names = [f"feature-tour-{region}-{edition}.html"
             for region in ("coastal", "inland", "lemuria")
             for edition in ("participant", "trainer")]
    planted = {name: _plant_around(out, name) for name in [*names, RECORD_NAME]}
    result = runner.invoke(app, ["build", str(tour), "--all", "-f", "html", "-j", "2",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 outputs: 6 built, 0 up to date, 0 failed." in " ".join(result.output.split())
    for name in [*names, RECORD_NAME]:
        assert (out / name).is_file()
        _assert_cleaned(planted[name])
    assert _leftovers(out) == sorted({
        path.name for group in planted.values() for key, path in group.items()
        if key not in ("stale", "stale2") and path.name.endswith(".part")})


@pytest.mark.slow
def test_pdf_build_removes_the_stale_part_file_of_its_output(tour: Path) -> None:
    out = tour / "out"
    planted = _plant_around(out, "feature-tour-coastal-trainer.pdf")
    result = runner.invoke(app, ["build", str(tour), "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "feature-tour-coastal-trainer.pdf").read_bytes().startswith(b"%PDF")
    _assert_cleaned(planted)
