"""``--preflight`` on ``build``, ``handout`` and ``agenda``: located findings, exit codes.

The known defect: the learning objectives made a page of their own and hidden
(``DEFECT_CSS``, added to the stylesheet the writer uses), which leaves an empty page at
the start of each module (1–2, 2–2, 3–2 of the feature tour's trainer edition).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app

runner = CliRunner()

DEFECT_CSS = ".objectives { break-before: page; break-after: page; visibility: hidden; }"


@pytest.fixture()
def defect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every PDF written with ``DEFECT_CSS``: editions (the stylesheet of the pieces,
    made in this process) and handouts (their HTML, rendered in this process)."""
    from trainkit.writers.pdf import edition, single

    sheet: Callable[..., str] = edition.print_stylesheet
    render: Callable[..., int] = single.html_to_pdf
    monkeypatch.setattr(edition, "print_stylesheet",
                        lambda ed, *rest: sheet(ed, *rest) + DEFECT_CSS)
    monkeypatch.setattr(single, "html_to_pdf", lambda html, resolver, target: render(
        html.replace("</head>", f"<style>{DEFECT_CSS}</style></head>"), resolver, target))


@pytest.mark.slow
@pytest.mark.usefixtures("defect")
def test_build_reports_each_empty_page_and_exits_1(tour: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    result = runner.invoke(app, ["build", "-f", "pdf", "-o", "out", "--preflight"])
    assert result.exit_code == 1, result.output
    assert (tour / "out" / "feature-tour-coastal-trainer.pdf").is_file()  # still written
    for folio, page in (("1\u20132", 6), ("2\u20132", 10), ("3\u20132", 13)):
        assert (f"warning[TK713]: page {folio} (PDF page {page}): the page is empty\n"
                f"  --> out/feature-tour-coastal-trainer.pdf:{page}:1\n") in result.output
    assert "3 warnings in 1 file" in result.output


@pytest.mark.slow
def test_a_clean_build_says_so_and_exits_0(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    result = runner.invoke(app, ["build", "-f", "pdf", "-f", "html", "-o", "out",
                                 "--preflight"])
    assert result.exit_code == 0, result.output
    assert "preflight: no layout findings in 1 PDF(s)" in result.output


@pytest.mark.slow
@pytest.mark.usefixtures("defect")
def test_handout_findings_in_json_exit_1(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tour)
    result = runner.invoke(app, ["handout", "first", "-f", "pdf", "-o", "out", "--preflight",
                                 "--diagnostics-format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)  # the report alone: the paths go to stderr
    assert [(d["path"], d["line"], d["code"], d["message"]) for d in report["diagnostics"]] == [
        ("out/feature-tour-coastal-handout-first.pdf", 2, "TK713",
         "page 2 (PDF page 2): the page is empty")]


@pytest.mark.slow
def test_agenda_pdf_preflight_exits_0_when_clean(tour: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["agenda", str(tour), "-d", "2", "-f", "pdf", "-o",
                                 str(tmp_path), "--preflight"])
    assert result.exit_code == 0, result.output
    assert "preflight: no layout findings in 1 PDF(s)" in result.output


def test_preflight_is_not_for_build_all(tour: Path) -> None:
    result = runner.invoke(app, ["build", str(tour), "--all", "--preflight"])
    assert result.exit_code == 2
    assert "--preflight checks the PDF of one edition; leave out --all" in result.output
