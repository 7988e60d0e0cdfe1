"""A console that cannot print every character (issue 12, item 6).

With ``PYTHONIOENCODING=ascii`` (or an old code page) every command still runs: trainkit's
own marks get plain stand-ins (``✓`` -> ``x``, ``·`` -> ``.``, ``…`` -> ``...``), any
other missing character becomes ``?``, JSON is escaped, and nothing raises
``UnicodeEncodeError``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app

ascii_runner = CliRunner(charset="ascii")
TITLE = "A second module, café ✓ – notes…"


@pytest.fixture()
def unicode_tour(tour: Path) -> Path:
    """The tour with a module title and a warned-about heading beyond ASCII."""
    second = tour / "modules" / "second.md"
    text = second.read_text(encoding="utf-8").replace("title: A second module",
                                                      f'title: "{TITLE}"')
    second.write_text(text + "\n# Café ✓ heading\n\nText.\n", encoding="utf-8")
    return tour


def run(*args: str) -> Any:
    result = ascii_runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert result.output.isascii()
    return result


def test_list_table_marks_in_plain_characters(tour: Path) -> None:
    result = run("list", str(tour))
    assert result.exit_code == 0, result.output
    cells = [line.replace("|", " ").split() for line in result.stdout.splitlines()]
    rows = {row[0]: row for row in cells if row}
    assert rows["first"][4:7] == ["x", "x", "x"]  # then the last review, open comments
    assert rows["second"][4:] == ["x", "x", ".", "-", "."]


def test_list_json_is_escaped_not_mangled(unicode_tour: Path) -> None:
    result = run("list", str(unicode_tour), "-f", "json")
    assert result.exit_code == 0, result.output
    titles = {m["id"]: m["title"] for m in json.loads(result.stdout)["modules"]}
    assert titles["second"] == TITLE


def test_validate_quotes_the_line_with_stand_ins(unicode_tour: Path) -> None:
    result = run("validate", str(unicode_tour))
    assert result.exit_code == 0, result.output
    assert "| # Caf? x heading" in result.stdout
    assert "warning[TK408]" in result.stdout


def test_validate_json_is_escaped(unicode_tour: Path) -> None:
    result = run("validate", str(unicode_tour), "-f", "json")
    assert result.exit_code == 0, result.output
    assert [item["code"] for item in json.loads(result.stdout)["diagnostics"]] == ["TK408"]


def test_build_warnings_and_files(unicode_tour: Path) -> None:
    result = run("build", str(unicode_tour), "-r", "coastal", "-f", "html",
                 "-o", str(unicode_tour / "out"))
    assert result.exit_code == 0, result.output
    assert "| # Caf? x heading" in result.stderr
    assert (unicode_tour / "out" / "feature-tour-coastal-trainer.html").is_file()


@pytest.mark.parametrize("lang, facts", [("en", "Coastal States . 1 day . "),
                                         ("fr", "?tats c?tiers . 1 jour . ")])
def test_agenda_table(unicode_tour: Path, lang: str, facts: str) -> None:
    result = run("agenda", str(unicode_tour), "-r", "coastal", "--days", "1", "-l", lang)
    assert result.exit_code == 0, result.output
    assert facts in result.stdout
    assert "(09:00-12:00)" in result.stdout


def test_handout_and_schema(unicode_tour: Path) -> None:
    result = run("handout", str(unicode_tour), "second", "-r", "coastal", "-f", "html",
                 "-o", str(unicode_tour / "out"))
    assert result.exit_code == 0, result.output
    assert run("schema", "module").exit_code == 0


def test_errors_with_unicode_in_them(unicode_tour: Path) -> None:
    result = run("build", str(unicode_tour), "-r", "côte", "-f", "html")
    assert result.exit_code == 2
    assert "unknown region `c?te`" in result.output


def test_a_real_ascii_console(tour: Path) -> None:
    environment = {**os.environ, "PYTHONIOENCODING": "ascii"}
    completed = subprocess.run(
        [sys.executable, "-m", "trainkit", "list", str(tour)], capture_output=True,
        env=environment, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    assert b"UnicodeEncodeError" not in completed.stderr
    assert completed.stdout.isascii()
    cells = [line.replace("|", " ").split() for line in completed.stdout.decode().splitlines()]
    assert ["first", "approved", "1.0", "1h30m", "x", "x", "x"] in [row[:7] for row in cells]
