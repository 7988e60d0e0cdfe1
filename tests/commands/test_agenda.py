"""``trainkit agenda``: the packing rules (pure) and the command (table, exports, overflow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainkit.assembly.agenda import (
    Agenda, AgendaModule, AgendaSettings, Break, format_clock, parse_breaks, parse_clock,
    parse_length, plan_agenda, prerequisite_order,
)
from trainkit.cli.app import app
from trainkit.errors import UsageError

runner = CliRunner()

STANDARD = (Break(10 * 60 + 30, 15), Break(12 * 60 + 30, 60), Break(15 * 60, 15))


def mod(identifier: str, minutes: int, *prerequisites: str) -> AgendaModule:
    return AgendaModule(identifier, identifier.title(), minutes, prerequisites)


def timetable(agenda: Agenda) -> list[list[tuple[str, str, str]]]:
    """Each day as (start, end, module id or break kind), for readable assertions."""
    return [[(format_clock(s.start), format_clock(s.end), s.module.id if s.module else s.kind)
             for s in day.slots] for day in agenda.days]


# -- packing ---------------------------------------------------------------------------


def test_modules_that_fit_are_packed_in_order_around_the_breaks() -> None:
    agenda = plan_agenda([mod("a", 120), mod("b", 90), mod("c", 150)],
                         AgendaSettings(days=1, breaks=STANDARD))
    assert agenda.fits and agenda.days_needed == 1 and agenda.overflow == ()
    assert timetable(agenda) == [[
        ("09:00", "10:30", "a"), ("10:30", "10:45", "break"), ("10:45", "11:15", "a"),
        ("11:15", "12:30", "b"), ("12:30", "13:30", "lunch"), ("13:30", "13:45", "b"),
        ("13:45", "15:00", "c"), ("15:00", "15:15", "break"), ("15:15", "16:30", "c"),
    ]]
    continued = [slot.continued for slot in agenda.days[0].slots if slot.module]
    assert continued == [False, True, False, True, False, True]


def test_breaks_after_the_last_teaching_minute_are_not_shown() -> None:
    agenda = plan_agenda([mod("a", 60)], AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda) == [[("09:00", "10:00", "a")]]
    agenda = plan_agenda([mod("a", 100)], AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda) == [[("09:00", "10:30", "a"), ("10:30", "10:45", "break"),
                                  ("10:45", "10:55", "a")]]


def test_a_module_that_does_not_fit_the_rest_of_a_day_starts_the_next_day() -> None:
    agenda = plan_agenda([mod("a", 240), mod("b", 180)],
                         AgendaSettings(days=2, day_minutes=360, breaks=()))
    assert timetable(agenda) == [[("09:00", "13:00", "a")], [("09:00", "12:00", "b")]]


def test_a_module_longer_than_a_day_starts_a_fresh_day_and_continues() -> None:
    agenda = plan_agenda([mod("a", 60), mod("long", 300), mod("b", 30)],
                         AgendaSettings(days=3, day_minutes=240, breaks=()))
    assert timetable(agenda) == [
        [("09:00", "10:00", "a")],
        [("09:00", "13:00", "long")],
        [("09:00", "10:00", "long"), ("10:00", "10:30", "b")],
    ]
    assert agenda.days[2].slots[0].continued


def test_overflow_names_the_modules_the_minutes_and_the_days_needed() -> None:
    modules = [mod("a", 300), mod("b", 300), mod("c", 120), mod("d", 90)]
    agenda = plan_agenda(modules, AgendaSettings(days=2, day_minutes=360, breaks=STANDARD))
    assert not agenda.fits
    assert agenda.days_needed == 3
    assert [m.id for m in agenda.overflow] == ["c", "d"]
    assert agenda.minutes_over == 210
    assert agenda.total_minutes == 810


def test_prerequisites_come_first_otherwise_the_order_is_kept() -> None:
    modules = [mod("intro", 60), mod("advanced", 60, "basics"), mod("other", 60),
               mod("basics", 60, "intro"), mod("outside", 60, "not-in-this-edition")]
    assert [m.id for m in prerequisite_order(modules)] == [
        "intro", "other", "basics", "advanced", "outside"]
    agenda = plan_agenda(modules, AgendaSettings(days=1, breaks=()))
    order = [slot.module.id for slot in agenda.days[0].slots if slot.module]
    assert order.index("basics") < order.index("advanced")


def test_a_prerequisite_cycle_does_not_hang() -> None:
    ordered = prerequisite_order([mod("a", 60, "b"), mod("b", 60, "a")])
    assert [m.id for m in ordered] == ["a", "b"]


def test_day_length_and_start_time() -> None:
    agenda = plan_agenda([mod("a", 120), mod("b", 120), mod("c", 60)],
                         AgendaSettings(days=2, day_minutes=240, start=8 * 60 + 30,
                                        breaks=(Break(10 * 60 + 30, 30),)))
    assert timetable(agenda) == [
        [("08:30", "10:30", "a"), ("10:30", "11:00", "break"), ("11:00", "13:00", "b")],
        [("08:30", "09:30", "c")],
    ]


def test_a_break_before_the_start_is_ignored() -> None:
    agenda = plan_agenda([mod("a", 60)], AgendaSettings(days=1, start=11 * 60,
                                                        breaks=STANDARD))
    assert timetable(agenda) == [[("11:00", "12:00", "a")]]


@pytest.mark.parametrize("settings, message", [
    (AgendaSettings(days=0), "--days must be at least 1"),
    (AgendaSettings(days=1, breaks=(Break(600, 60), Break(630, 15))), "overlap"),
    (AgendaSettings(days=1, start=22 * 60, day_minutes=180), "after midnight"),
])
def test_impossible_settings_are_usage_errors(settings: AgendaSettings, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_agenda([mod("a", 60)], settings)


def test_parsing_times_lengths_and_breaks() -> None:
    assert parse_clock("9:05") == 545 and parse_clock("13:30") == 810
    assert parse_length("5h30m", "--day-length") == 330
    assert parse_breaks("15:00+15m, 10:30+15m,12:30+1h") == (
        Break(630, 15), Break(750, 60), Break(900, 15))
    assert parse_breaks("") == ()
    assert Break(750, 60).is_lunch and not Break(630, 15).is_lunch
    for bad, call in [("25:00", parse_clock), ("noon", parse_clock),
                      ("10:30", parse_breaks), ("10:30+soon", parse_breaks)]:
        with pytest.raises(UsageError):
            call(bad)
    with pytest.raises(UsageError, match="--day-length"):
        parse_length("6 hours", "--day-length")


# -- the command -----------------------------------------------------------------------


def test_agenda_prints_a_timetable(tour: Path) -> None:
    result = runner.invoke(app, ["agenda", str(tour), "--region", "coastal", "--days", "1",
                                 "--day-length", "3h", "--breaks", "10:30+15m"])
    assert result.exit_code == 0, result.output
    for expected in ("Agenda: Feature Tour of trainkit", "Coastal States · 1 day",
                     "Day 1 (09:00–12:00)", "Module 1: Everything a module can hold",
                     "10:30–10:45", "Break", "Module 2: Patrolling the Inner Sea",
                     "Module 3: A second module"):
        assert expected in result.stdout


def test_agenda_overflow_exits_1_naming_modules_minutes_and_days(tour: Path) -> None:
    result = runner.invoke(app, ["agenda", str(tour), "-r", "coastal", "--days", "1",
                                 "--day-length", "1h30m", "-f", "md", "-o", str(tour / "out")])
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "do not fit in 1 day: 75 minutes (1 h 15 min) are over" in message
    assert "coastal-extra (30 min), second (45 min)" in message
    assert "use --days 2" in message
    assert not (tour / "out").exists()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_agenda_exports(tour: Path, fmt: str) -> None:
    out = tour / "out"
    result = runner.invoke(app, ["agenda", str(tour), "-r", "inland", "--days", "1",
                                 "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out / f"feature-tour-inland-agenda.{fmt}"
    assert str(written) in result.stdout
    if fmt == "md":
        text = written.read_text(encoding="utf-8")
        assert "| 09:00–10:30 | Module 1: Everything a module can hold | 1 h 30 min |" in text
        assert text.startswith("# Agenda: Feature Tour of trainkit\n")
    elif fmt == "html":
        import lxml.html

        page = lxml.html.fromstring(written.read_bytes())
        cells = [td.text_content() for td in page.xpath("//tbody/tr/td")]
        assert cells == ["09:00–10:30", "Module 1: Everything a module can hold", "1 h 30 min"]
    else:
        import docx

        table = docx.Document(str(written)).tables[0]
        assert [c.text for c in table.rows[0].cells] == ["Time", "Module", "Duration"]
        assert table.rows[1].cells[1].text == "Module 1: Everything a module can hold"


@pytest.mark.slow
def test_agenda_pdf(tour: Path) -> None:
    from pypdf import PdfReader

    result = runner.invoke(app, ["agenda", str(tour), "-r", "coastal", "--days", "2",
                                 "-f", "pdf", "-o", str(tour / "out")])
    assert result.exit_code == 0, result.output
    text = PdfReader(tour / "out" / "feature-tour-coastal-agenda.pdf").pages[0].extract_text()
    assert "Module 3: A second module" in text and "Day 1" in text


@pytest.mark.parametrize("args, message", [
    (["--days", "1", "--start", "9h"], "not a time of day"),
    (["--days", "1", "--breaks", "10:30"], "write it as a time and a length"),
    (["--days", "1", "--region", "coastl"], "did you mean `coastal`?"),
    (["--days", "0"], "must be at least 1"),
])
def test_agenda_usage_errors_exit_2(tour: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["agenda", str(tour), *args])
    assert result.exit_code == 2
    assert message in result.output
