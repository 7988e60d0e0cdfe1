"""``trainkit build --all``: every output, in parallel, rebuilt only when its inputs change.

Failures are injected by replacing a writer in this process before the workers are
forked (they inherit the replacement): one format fails, or its worker process dies.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner

import trainkit.checks.validate
import trainkit.commands.build
import trainkit.writers.dispatch
from trainkit.commands.build import BuildOptions
from trainkit.commands.build_record import RECORD_NAME
from trainkit.cli.app import app
from trainkit.errors import RenderError
from trainkit.commands.build_all import MatrixOptions, build_matrix

runner = CliRunner()

HTML_OUTPUTS = [f"feature-tour-{region}-{edition}.html"
                for region in ("coastal", "inland", "lemuria")
                for edition in ("participant", "trainer")]


def _build_all(tour: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", str(tour), "--all", "-o", str(tour / "out"), *args])
    return result.exit_code, " ".join(result.output.split())


def _files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_all_outputs_are_built_then_nothing_is_rebuilt(tour: Path) -> None:
    code, output = _build_all(tour, "-f", "html", "--jobs", "2")
    assert code == 0, output
    out = tour / "out"
    assert _files(out) == sorted([RECORD_NAME, *HTML_OUTPUTS])
    assert "6 outputs: 6 built, 0 up to date, 0 failed." in output
    for name in HTML_OUTPUTS:
        assert lxml.html.fromstring((out / name).read_bytes()).findtext(".//title")
    record = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
    assert sorted(record["outputs"]) == sorted(HTML_OUTPUTS)
    times = {name: (out / name).stat().st_mtime_ns for name in HTML_OUTPUTS}

    code, output = _build_all(tour, "-f", "html", "--jobs", "2")
    assert code == 0, output
    assert "Nothing to rebuild: all 6 outputs are up to date" in output
    assert {name: (out / name).stat().st_mtime_ns for name in HTML_OUTPUTS} == times

    code, output = _build_all(tour, "-f", "html", "--force")
    assert code == 0, output
    assert "6 outputs: 6 built, 0 up to date, 0 failed." in output


def test_a_change_rebuilds_only_the_outputs_it_affects(tour: Path) -> None:
    assert _build_all(tour, "-f", "html")[0] == 0
    extra = tour / "modules" / "coastal-extra.md"  # coastal and lemuria (which extends it)
    extra.write_text(extra.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                     encoding="utf-8")
    code, output = _build_all(tour, "-f", "html")
    assert code == 0, output
    assert "6 outputs: 4 built, 2 up to date, 0 failed." in output
    assert "done: feature-tour-coastal-trainer.html" in output
    assert "done: feature-tour-inland-trainer.html" not in output
    second = tour / "modules" / "second.md"  # coastal only, but `first` links to it
    second.write_text(second.read_text(encoding="utf-8").replace("A second module",
                                                                 "The second module"),
                      encoding="utf-8")
    assert "6 outputs: 6 built" in _build_all(tour, "-f", "html")[1]
    (tour / "images" / "journey.png").write_bytes(
        (tour / "images" / "journey.png").read_bytes() + b"\0")  # used by `first`: everywhere
    assert "6 outputs: 6 built" in _build_all(tour, "-f", "html")[1]
    (tour / "out" / "feature-tour-inland-trainer.html").unlink()  # a deleted output
    assert "6 outputs: 1 built, 5 up to date" in _build_all(tour, "-f", "html")[1]


def test_a_failing_format_does_not_stop_or_spoil_the_others(
        tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = trainkit.writers.dispatch.load_writer

    def failing_docx(output_format: str, *args: Any) -> trainkit.writers.dispatch.Writer:
        if output_format == "docx":
            def broken(*args: object) -> int:
                raise RenderError("docx writer exploded")
            return broken
        return real(output_format, *args)

    monkeypatch.setattr(trainkit.writers.dispatch, "load_writer", failing_docx)
    code, output = _build_all(tour, "-f", "html", "-f", "docx", "--jobs", "2")
    assert code == 1
    assert "12 outputs: 6 built, 0 up to date, 6 failed." in output
    assert "error: feature-tour-coastal-trainer.docx: docx writer exploded" in output
    out = tour / "out"
    assert _files(out) == sorted([RECORD_NAME, *HTML_OUTPUTS])  # no partial files
    for name in HTML_OUTPUTS:
        assert "Everything a module can hold" in lxml.html.fromstring(
            (out / name).read_bytes()).text_content()
    monkeypatch.setattr(trainkit.writers.dispatch, "load_writer", real)
    code, output = _build_all(tour, "-f", "html", "-f", "docx", "--jobs", "2")
    assert code == 0, output
    assert "12 outputs: 6 built, 6 up to date, 0 failed." in output


def test_a_worker_that_dies_fails_only_its_output(
        tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = trainkit.writers.dispatch.load_writer

    def dying(output_format: str, *args: Any) -> trainkit.writers.dispatch.Writer:
        writer = real(output_format, *args)

        def maybe_die(edition: object, resolver: object, target: Path) -> int | None:
            if target.name == "feature-tour-inland-trainer.html":
                os._exit(3)  # the process is gone, as after a crash in a native library
            return writer(edition, resolver, target)  # type: ignore[arg-type]
        return maybe_die

    monkeypatch.setattr(trainkit.writers.dispatch, "load_writer", dying)
    code, output = _build_all(tour, "-f", "html", "--jobs", "2")
    assert code == 1, output
    assert "6 outputs: 5 built, 0 up to date, 1 failed." in output
    assert "feature-tour-inland-trainer.html: the worker process building it stopped" in output
    assert _files(tour / "out") == sorted(
        [RECORD_NAME, *(n for n in HTML_OUTPUTS if n != "feature-tour-inland-trainer.html")])


def test_the_project_is_validated_once(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = trainkit.checks.validate.validate_project

    def counted(path: Path, **kwargs: Any) -> object:
        calls.append("matrix")
        return real(path, **kwargs)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("build_edition validated again")

    monkeypatch.setattr(trainkit.checks.validate, "validate_project", counted)
    monkeypatch.setattr(trainkit.commands.build, "require_valid", forbidden)
    events: list[tuple[str, str]] = []
    result = build_matrix(tour, MatrixOptions(
        BuildOptions(formats=("html",), out_dir=tour / "out"), jobs=1),
        lambda status: events.append((status.job.name, status.state)))
    assert result.ok and calls == ["matrix"]
    name = "feature-tour-coastal-trainer.html"
    assert [state for n, state in events if n == name] == ["queued", "building", "done"]


@pytest.mark.parametrize("args, message", [
    (["--region", "coastal"], "--all builds every region and edition"),
    (["--jobs", "0"], "--jobs must be at least 1"),
])
def test_all_usage_errors_exit_2(tour: Path, args: list[str], message: str) -> None:
    code, output = _build_all(tour, *args)
    assert code == 2
    assert message in output


def test_all_with_content_errors_exits_1_and_builds_nothing(tour: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("status: approved",
                                                               "status: final"),
                     encoding="utf-8")
    code, output = _build_all(tour, "-f", "html")
    assert code == 1
    assert "--> modules/first.md:5:9" in output
    assert not (tour / "out").exists()


@pytest.mark.slow
def test_all_pdf_outputs_in_parallel(tour: Path) -> None:
    from pypdf import PdfReader

    code, output = _build_all(tour, "-f", "pdf", "--jobs", "2")
    assert code == 0, output
    names = [name.replace(".html", ".pdf") for name in HTML_OUTPUTS]
    assert _files(tour / "out") == sorted([RECORD_NAME, *names])
    for name in names:
        assert len(PdfReader(tour / "out" / name).pages) >= 3


def test_force_jobs_and_languages_need_all(tour: Path) -> None:
    for option in (["--force"], ["--jobs", "2"], ["--languages"]):
        result = runner.invoke(app, ["build", str(tour), "-f", "html", *option])
        assert result.exit_code == 2
        assert "--force, --jobs, --languages and --shard only apply to build --all" in result.output
    result = runner.invoke(app, ["build", str(tour), "--all", "--languages", "--lang", "fr"])
    assert result.exit_code == 2
    assert "--languages builds every language each region lists" in result.output


def test_outputs_that_took_longest_last_time_start_first(tour: Path) -> None:
    out = tour / "out"
    options = MatrixOptions(BuildOptions(formats=("html", "docx"), out_dir=out), jobs=1)
    build_matrix(tour, options)
    record = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
    for rank, name in enumerate(sorted(record["outputs"])):
        record["outputs"][name]["seconds"] = float(rank)  # the last name took longest
    (out / RECORD_NAME).write_text(json.dumps(record), encoding="utf-8")
    started: list[str] = []

    def on_event(status: Any) -> None:
        if status.state == "building":
            started.append(status.job.name)

    build_matrix(tour, MatrixOptions(options.base, force=True, jobs=1), on_event)
    docx = sorted((n for n in record["outputs"] if n.endswith(".docx")), reverse=True)
    html = sorted((n for n in record["outputs"] if n.endswith(".html")), reverse=True)
    assert started == [*docx, *html]  # the slower format first, each longest first


def test_leftovers_of_a_killed_writer_are_removed_and_nothing_else(tmp_path: Path) -> None:
    from trainkit.files import remove_leftovers

    names = [".a[1].pdf.x1y2.part", ".a[1].pdf.zz.part", "a[1].pdf", ".b.pdf.x1y2.part",
             ".a[1].pdf.x1y2.tmp"]
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    remove_leftovers(tmp_path / "a[1].pdf")
    assert _files(tmp_path) == sorted([".a[1].pdf.x1y2.tmp", ".b.pdf.x1y2.part", "a[1].pdf"])


FRENCH_OUTPUTS = ["feature-tour-coastal-participant-fr.html", "feature-tour-coastal-trainer-fr.html",
                  "feature-tour-lemuria-participant-fr.html", "feature-tour-lemuria-trainer-fr.html"]


def test_languages_builds_every_language_each_region_lists(tour: Path) -> None:
    code, output = _build_all(tour, "-f", "html", "--languages", "--jobs", "2")
    assert code == 0, output
    assert "10 outputs: 10 built, 0 up to date, 0 failed." in output
    assert ("warning[TK604]: feature-tour-coastal-trainer-fr.html: 2 module(s) have no "
            "translation into `fr` and are printed in the source language") in output
    assert "warning[TK604]: feature-tour-coastal-trainer.html" not in output
    out = tour / "out"
    assert _files(out) == sorted([RECORD_NAME, *HTML_OUTPUTS, *FRENCH_OUTPUTS])
    french = lxml.html.fromstring((out / FRENCH_OUTPUTS[1]).read_bytes())
    assert french.get("lang") == "fr"
    english = lxml.html.fromstring((out / "feature-tour-coastal-trainer.html").read_bytes())
    assert english.get("lang") == "en"
    translation = next((tour / "modules" / "fr").glob("*.md"))
    translation.write_text(translation.read_text(encoding="utf-8") + "\nUne phrase de plus.\n",
                           encoding="utf-8")
    times = {name: (out / name).stat().st_mtime_ns for name in _files(out)}
    code, output = _build_all(tour, "-f", "html", "--languages", "--jobs", "2")
    assert code == 0, output
    assert "10 outputs: 4 built, 6 up to date, 0 failed." in output
    rebuilt = sorted(n for n in HTML_OUTPUTS + FRENCH_OUTPUTS
                     if (out / n).stat().st_mtime_ns != times[n])
    assert rebuilt == FRENCH_OUTPUTS


def test_a_glossary_change_rebuilds_every_output(tour: Path) -> None:
    code, output = _build_all(tour, "-f", "html", "--jobs", "2")
    assert code == 0, output
    glossary = tour / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# reviewed\n",
                        encoding="utf-8")
    code, output = _build_all(tour, "-f", "html", "--jobs", "2")
    assert "6 outputs: 6 built, 0 up to date, 0 failed." in output
