"""``trainkit list``: modules x regions, status, version, durations; table and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app

TOUR = Path(__file__).resolve().parents[2] / "examples" / "feature-tour"
runner = CliRunner()


@pytest.fixture()
def tour(tmp_path: Path) -> Path:
    shutil.copytree(TOUR, tmp_path / "tour")
    second = tmp_path / "tour" / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "status: approved", "status: in-review"), encoding="utf-8")
    return tmp_path / "tour"


def test_list_json_has_modules_regions_and_editions(tour: Path) -> None:
    result = runner.invoke(app, ["list", str(tour), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "Feature Tour of trainkit"
    modules = {m["id"]: m for m in data["modules"]}
    assert list(modules) == ["first", "coastal-extra", "second"]
    assert modules["first"]["regions"] == ["coastal", "inland", "lemuria"]
    assert modules["coastal-extra"]["regions"] == ["coastal", "lemuria"]
    assert modules["second"] == {
        "id": "second", "title": "A second module", "path": "modules/second.md",
        "status": "in-review", "version": "1.0", "minutes": 45, "duration": "45m",
        "regions": ["coastal", "lemuria"], "last_reviewed": None, "reviewers": [],
        "open_comments": 0}
    assert data["regions"] == [
        {"id": "coastal", "name": "Coastal States", "extends": None, "modules": 3,
         "minutes": 165, "duration": "2h45m"},
        {"id": "lemuria", "name": "Lemuria", "extends": "coastal", "modules": 3,
         "minutes": 165, "duration": "2h45m"},
        {"id": "inland", "name": "Inland States", "extends": None, "modules": 1,
         "minutes": 90, "duration": "1h30m"}]
    editions = {e["id"]: e for e in data["editions"]}
    assert editions["participant"]["hides"] == ["trainer-note", "answer"]
    assert editions["participant"]["minutes"] == editions["trainer"]["minutes"] == {
        "coastal": 165, "inland": 90, "lemuria": 165}
    assert "editions only hide blocks" in data["note"]


def test_list_table_marks_the_regions_and_totals(tour: Path) -> None:
    result = runner.invoke(app, ["list", str(tour)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "module" in line and "status" in line)
    assert header.split() == ["module", "status", "version", "duration", "coastal", "lemuria",
                              "inland", "reviewed", "open"]
    rows = {line.split()[0]: line.split() for line in lines if line.strip()}
    assert rows["first"][:7] == ["first", "approved", "1.0", "1h30m", "✓", "✓", "✓"]
    assert rows["coastal-extra"][:7] == ["coastal-extra", "approved", "1.0", "30m", "✓", "✓",
                                         "·"]
    assert rows["second"] == ["second", "in-review", "1.0", "45m", "✓", "✓", "·", "—", "·"]
    assert rows["total"] == ["total", "2h45m", "2h45m", "1h30m"]
    tree = lines[lines.index("Regions:") + 1:lines.index("Regions:") + 4]
    assert tree == ["  coastal: Coastal States", "    lemuria: Lemuria (extends coastal)",
                    "  inland: Inland States"]
    assert "Editions trainer (Trainer's manual), participant (Participant's manual)" in (
        result.stdout)
    assert "every edition of a region has the region's total" in " ".join(result.stdout.split())


def test_list_of_a_project_with_errors_exits_1_with_diagnostics(tour: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("duration: 1h30m",
                                                               "duration: 1:30"),
                     encoding="utf-8")
    result = runner.invoke(app, ["list", str(tour)])
    assert result.exit_code == 1
    assert "--> modules/first.md:" in result.output


def test_list_without_a_project_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", str(tmp_path)])
    assert result.exit_code == 2
    assert "no trainkit.yaml" in result.output


def test_list_shows_the_review_state_and_open_comments(tour: Path) -> None:
    (tour / "reviews").mkdir()
    (tour / "reviews" / "2026-12-01-copy.md").write_text(
        "---\nimported: 2026-12-01T10:00:00Z\nfiles: [copy.docx]\nreviewers: [Ana]\n"
        "modules:\n  - {path: modules/second.md, comments: 3, open_comments: 2, changes: 1}\n"
        "---\n\n# Review of copy.docx\n", encoding="utf-8")
    (tour / "reviews" / "2026-11-01-old.md").write_text(
        "---\nimported: 2026-11-01T10:00:00Z\nfiles: [old.docx]\n"
        "modules:\n  - {path: modules/second.md, comments: 9, open_comments: 9, changes: 0}\n"
        "---\n", encoding="utf-8")
    (tour / "reviews" / "notes.md").write_text("not a log\n", encoding="utf-8")
    result = runner.invoke(app, ["list", str(tour), "--format", "json"])
    assert result.exit_code == 0, result.output
    modules = {m["id"]: m for m in json.loads(result.stdout)["modules"]}
    assert modules["second"]["open_comments"] == 2 and modules["first"]["open_comments"] == 0
    table = runner.invoke(app, ["list", str(tour)]).stdout
    second = next(row for line in table.splitlines() if (row := line.split())[:1] == ["second"])
    assert second[-2:] == ["—", "2"]

def test_list_adaptations_json_is_the_region_slot_matrix(tour: Path) -> None:
    result = runner.invoke(app, ["list", str(tour), "--adaptations", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["slots"] == ["central-authority", "national-law"]
    assert data["regions"] == [
        {"id": "coastal", "name": "Coastal States", "extends": None, "status": "complete",
         "last_reviewed": "2026-11-02",
         "slots": {"central-authority": "default", "national-law": "filled"}},
        {"id": "lemuria", "name": "Lemuria", "extends": "coastal", "status": "draft",
         "last_reviewed": "2026-11-20",
         "slots": {"central-authority": "filled", "national-law": "inherited"}},
        {"id": "inland", "name": "Inland States", "extends": None, "status": "draft",
         "last_reviewed": None, "slots": {"central-authority": "n/a", "national-law": "n/a"}}]


def test_list_adaptations_table_shows_missing_slots_and_the_tree(tour: Path) -> None:
    lemuria = tour / "regions" / "lemuria.yaml"
    lemuria.write_text(lemuria.read_text(encoding="utf-8").replace(
        "extends: coastal", "extends: coastal\nstatus: draft"), encoding="utf-8")
    coastal = tour / "regions" / "coastal.yaml"
    coastal.write_text(coastal.read_text(encoding="utf-8").replace(
        "status: complete", "status: draft").replace(
        "  national-law: national-law.md", "  national-law@first: x.md"), encoding="utf-8")
    (tour / "regions" / "coastal" / "national-law.md").rename(
        tour / "regions" / "coastal" / "x.md")
    result = runner.invoke(app, ["list", str(tour), "--adaptations"])
    assert result.exit_code == 1  # TK703: `first` has no slot `national-law`
    assert "module `first` has no adaptation slot `national-law`" in result.output
    coastal.write_text(coastal.read_text(encoding="utf-8").replace(
        "  national-law@first: x.md", "  national-law@second: x.md"), encoding="utf-8")
    result = runner.invoke(app, ["list", str(tour), "--adaptations"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert rows[0] == ["region", "status", "last", "reviewed", "central-authority",
                       "national-law"]
    assert ["coastal", "draft", "2026-11-02", "default", "filled"] in rows
    assert ["lemuria", "draft", "2026-11-20", "filled", "inherited"] in rows
    assert ["inland", "draft", "never", "n/a", "n/a"] in rows
    lines = result.stdout.splitlines()  # lemuria indented under the region it extends
    assert any(line.startswith(" coastal ") for line in lines)
    assert any(line.startswith("   lemuria ") for line in lines)
    (tour / "regions" / "coastal" / "x.md").unlink()
    coastal.write_text(coastal.read_text(encoding="utf-8").replace(
        "  national-law@second: x.md", "  central-authority@second: Ask the ministry. #"),
        encoding="utf-8")
    result = runner.invoke(app, ["list", str(tour), "--adaptations"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert ["coastal", "draft", "2026-11-02", "filled", "missing"] in rows
    assert ["lemuria", "draft", "2026-11-20", "filled", "missing"] in rows
    assert "2 missing adaptations." in result.stdout
