"""``trainkit build`` through the command line: exit codes, messages, outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ADDED, LAW, ProjectDir, law_body
from trainkit.cli.app import app
from trainkit.commands.build import BuildOptions

runner = CliRunner()


def test_build_html_prints_the_path_and_exits_0(tour: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tour), "-r", "inland", "-e", "participant",
                                 "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out / "feature-tour-inland-participant.html"
    assert str(written) in result.stdout
    assert written.is_file()


def test_build_uses_manifest_defaults(tour: Path) -> None:
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-q"])
    assert result.exit_code == 0, result.output
    assert (tour / "dist" / "feature-tour-coastal-trainer.html").is_file()


def test_build_with_content_errors_exits_1_and_writes_nothing(tour: Path, tmp_path: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("status: approved",
                                                               "status: final"),
                     encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert "error[TK203]: `status` is `final`" in result.output
    assert "--> modules/first.md:5:9" in result.output
    assert "nothing was built" in result.output
    assert not out.exists()


@pytest.mark.parametrize("option, value, message", [
    ("--region", "atlantis", "unknown region `atlantis`"),
    ("--edition", "reviewer", "unknown edition `reviewer`"),
    ("--audience", "judges", "unknown audience `judges`"),
])
def test_unknown_ids_are_usage_errors(tour: Path, option: str, value: str, message: str) -> None:
    result = runner.invoke(app, ["build", str(tour), option, value, "-f", "html"])
    assert result.exit_code == 2
    assert message in result.output


def test_unknown_format_and_missing_project_are_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["build", str(tmp_path), "-f", "odt"]).exit_code == 2
    result = runner.invoke(app, ["build", str(tmp_path), "-f", "html"])
    assert result.exit_code == 2
    assert "no trainkit.yaml" in result.output


def test_build_warnings_use_the_layout_of_validate(project: ProjectDir, tmp_path: Path) -> None:
    project.write(LAW, law_body("# Title\n\nText.\n"))
    validate = runner.invoke(app, ["validate", str(project.root)])
    assert validate.exit_code == 0 and "warning[TK408]" in validate.stdout
    result = runner.invoke(app, ["build", str(project.root), "-f", "html",
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(validate.stdout)  # quoted line, caret, hint, summary
    assert f"{ADDED} | # Title\n" in result.stderr
    assert result.stderr.count("warning[TK408]") == 1
    quiet = runner.invoke(app, ["build", str(project.root), "-f", "html", "-q",
                                "-o", str(tmp_path / "out")])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def _build_options_seen(monkeypatch: pytest.MonkeyPatch) -> list[BuildOptions]:
    """The options each ``build_edition`` call gets from the command line, from now on."""
    import trainkit.commands.build as command

    seen: list[BuildOptions] = []
    real = command.build_edition

    def spy(project: Path, options: BuildOptions, *args: object,
            **kwargs: object) -> command.BuildResult:
        seen.append(options)
        return real(project, options, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "build_edition", spy)
    return seen


def test_docx_toc_reaches_the_build_options(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _build_options_seen(monkeypatch)
    result = CliRunner().invoke(app, ["build", str(tour), "-f", "html", "-o",
                                      str(tour / "out"), "--docx-toc", "fields"])
    assert result.exit_code == 0, result.output
    assert [options.docx_toc for options in seen] == ["fields"]
    bad = CliRunner().invoke(app, ["build", str(tour), "--docx-toc", "refresh"])
    assert bad.exit_code == 2
    assert "'refresh' is not one of 'update', 'fields'" in bad.output


def test_no_tags_reaches_the_build_options(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _build_options_seen(monkeypatch)
    for extra in ([], ["--no-tags"]):
        result = CliRunner().invoke(app, ["build", str(tour), "-f", "html", "-o",
                                          str(tour / "out"), *extra])
        assert result.exit_code == 0, result.output
    assert [options.untagged for options in seen] == [False, True]


def test_paths_print_as_written_whatever_they_hold(tour: Path) -> None:
    """Rich's markup and emoji codes are off: ``[bold]`` and ``:smile:`` in a folder name
    are printed, not interpreted (a script reading the path would get another one)."""
    out = tour / "x[bold]y" / ":smile:"
    result = runner.invoke(app, ["build", str(tour), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert len(written) == 1 and f"{written[0]}\n" in result.stdout
