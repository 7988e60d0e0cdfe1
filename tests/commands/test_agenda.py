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
    # 90 + 10 minutes would leave a 10-minute sliver after the break: the break starts
    # early instead, so that at least 30 minutes (``min_session``) come after it.
    agenda = plan_agenda([mod("a", 100)], AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda) == [[("09:00", "10:10", "a"), ("10:10", "10:45", "break"),
                                  ("10:45", "11:15", "a")]]
    agenda = plan_agenda([mod("a", 100)], AgendaSettings(days=1, breaks=STANDARD,
                                                         min_session=10))
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
    # Two days are needed; a and b on the first would leave one hour on the second:
    # the days are balanced instead.
    assert timetable(agenda) == [
        [("08:30", "10:30", "a")],
        [("08:30", "10:30", "b"), ("10:30", "11:00", "break"), ("11:00", "12:00", "c")],
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


def test_no_sliver_before_lunch_the_module_starts_after_it() -> None:
    agenda = plan_agenda([mod("a", 90), mod("b", 90), mod("c", 60)],
                         AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda) == [[
        ("09:00", "10:30", "a"), ("10:30", "10:45", "break"), ("10:45", "12:15", "b"),
        ("12:15", "13:30", "lunch"), ("13:30", "14:30", "c"),  # lunch starts early
    ]]


def test_no_sliver_after_lunch_the_module_before_it_stops_early() -> None:
    agenda = plan_agenda([mod("a", 90), mod("b", 60), mod("c", 60)],
                         AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda) == [[
        ("09:00", "10:30", "a"), ("10:30", "10:45", "break"), ("10:45", "11:45", "b"),
        ("11:45", "12:15", "c"), ("12:15", "13:30", "lunch"), ("13:30", "14:00", "c"),
    ]]
    assert [slot.minutes for slot in agenda.days[0].slots if slot.module] == [90, 60, 30, 30]


def test_a_module_shorter_than_two_sessions_is_not_split() -> None:
    agenda = plan_agenda([mod("a", 90), mod("b", 80), mod("c", 40)],
                         AgendaSettings(days=1, breaks=STANDARD))
    assert timetable(agenda)[0][-2:] == [("12:05", "13:30", "lunch"), ("13:30", "14:10", "c")]


def test_slivers_remain_only_where_the_day_needs_them() -> None:
    """A full day: 15 minutes of b after lunch cannot be avoided without a second day."""
    agenda = plan_agenda([mod("a", 120), mod("b", 90), mod("c", 150)],
                         AgendaSettings(days=1, breaks=STANDARD))
    assert agenda.days_needed == 1
    short = [s for s in agenda.days[0].slots if s.module and s.minutes < 30]
    assert [(format_clock(s.start), s.minutes, s.module.id if s.module else "") for s in short] \
        == [("13:30", 15, "b")]


def test_days_are_balanced_within_the_order() -> None:
    """Filled one after the other, day 2 would hold 1 hour while day 1 is full."""
    agenda = plan_agenda([mod("a", 60), mod("b", 240), mod("c", 60), mod("d", 60)],
                         AgendaSettings(days=2, breaks=()))
    days = [[s.module.id for s in day.slots if s.module] for day in agenda.days]
    assert days == [["a", "b"], ["c", "d"]]


def test_the_shipped_manual_fits_nine_days_with_one_unavoidable_sliver(
        ) -> None:
    from trainkit.commands.agenda import plan_for_region

    settings = AgendaSettings(days=9, breaks=parse_breaks("10:30+15m,12:30+60m,15:00+15m"))
    agenda = plan_for_region(Path(__file__).resolve().parents[2], "north-africa",
                             settings).agenda
    assert agenda.fits and agenda.days_needed == 9
    slivers = [(day.number, s.module.id) for day in agenda.days for s in day.slots
               if s.module is not None and s.minutes < 30]
    # One day holds two 3-hour modules (6 hours, the whole day): the second one must start
    # 15 minutes before lunch. Every other piece lasts at least 30 minutes.
    assert slivers == [(6, "smuggling-by-sea")]
    full = [day.number for day in agenda.days if day.teaching_minutes == 360]
    morning_only = [day.number for day in agenda.days if day.slots[-1].end <= 12 * 60 + 30]
    # The 3-hour day before the full one is as even as the reverse order (the same unused
    # time), so the packing rules keep the order in which they found it.
    assert full == [6] and morning_only == [5]


def test_min_session_must_be_positive() -> None:
    with pytest.raises(UsageError, match="--min-session"):
        plan_agenda([mod("a", 60)], AgendaSettings(days=1, min_session=0))


# -- the command -----------------------------------------------------------------------


def test_agenda_prints_a_timetable(tour: Path) -> None:
    result = runner.invoke(app, ["agenda", str(tour), "--region", "coastal", "--days", "1",
                                 "--day-length", "3h", "--breaks", "10:30+15m"])
    assert result.exit_code == 0, result.output
    printed = result.stdout.replace("\u00a0", " ")
    for expected in ("Agenda: Feature Tour of trainkit", "Coastal States · 1 day",
                     "Day 1 (09:00–12:00)", "Module 1: Everything a module can hold",
                     "10:30–10:45", "Break", "Module 2: Patrolling the Inner Sea",
                     "Module 3: A second module"):
        assert expected in printed


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
        assert ("| 09:00–10:30 | Module\u00a01: Everything a module can hold | "
                "1\u00a0h\u00a030\u00a0min |") in text
        assert text.startswith("# Agenda: Feature Tour of trainkit\n")
    elif fmt == "html":
        import lxml.html

        page = lxml.html.fromstring(written.read_bytes())
        cells = [td.text_content() for td in page.xpath("//tbody/tr/td")]
        assert cells == ["09:00–10:30", "Module\u00a01: Everything a module can hold",
                         "1\u00a0h\u00a030\u00a0min"]
    else:
        import docx

        table = docx.Document(str(written)).tables[0]
        assert [c.text for c in table.rows[0].cells] == ["Time", "Module", "Duration"]
        assert table.rows[1].cells[1].text == "Module\u00a01: Everything a module can hold"


def test_agendas_in_two_languages_do_not_overwrite_each_other(tour: Path) -> None:
    out = tour / "out"
    for language in ("en", "fr"):
        result = runner.invoke(app, ["agenda", str(tour), "-r", "inland", "--days", "1",
                                     "-l", language, "-f", "md", "-o", str(out)])
        assert result.exit_code == 0, result.output
    english = (out / "feature-tour-inland-agenda.md").read_text(encoding="utf-8")
    french = (out / "feature-tour-inland-agenda-fr.md").read_text(encoding="utf-8")
    assert english.startswith("# Agenda: ") and french.startswith("# Programme")


@pytest.mark.slow
def test_agenda_pdf(tour: Path) -> None:
    from pypdf import PdfReader

    result = runner.invoke(app, ["agenda", str(tour), "-r", "coastal", "--days", "2",
                                 "-f", "pdf", "-o", str(tour / "out")])
    assert result.exit_code == 0, result.output
    text = PdfReader(tour / "out" / "feature-tour-coastal-agenda.pdf").pages[0].extract_text()
    assert "Module\u00a03: A second module" in text and "Day\u00a01" in text
    assert "Page 1 of 1" in text


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


def test_min_session_reaches_the_plan_from_the_command_line(tour: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import trainkit.commands.agenda as command

    seen: list[AgendaSettings] = []
    real = command.plan_for_region

    def spy(project: Path, region: str | None, settings: AgendaSettings,
            language: str | None = None) -> object:
        seen.append(settings)
        return real(project, region, settings, language)

    monkeypatch.setattr(command, "plan_for_region", spy)
    result = runner.invoke(app, ["agenda", str(tour), "-d", "2", "--min-session", "45m"])
    assert result.exit_code == 0, result.output
    assert seen[0].min_session == 45
    bad = runner.invoke(app, ["agenda", str(tour), "-d", "2", "--min-session", "abc"])
    assert bad.exit_code == 2
    assert "--min-session: `abc` is not a duration" in bad.output
