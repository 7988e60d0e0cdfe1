"""Pack modules into training days: the pure scheduling logic behind ``trainkit agenda``.

Nothing here reads files. The rules, which ``docs/workflow.md`` states for trainers:

- Modules keep the edition's order, except that a module never comes before one of its
  prerequisites (a stable topological order: the earliest module whose prerequisites are
  all placed goes next). Prerequisites outside the edition are ignored.
- A day has ``day_minutes`` of teaching time, starting at ``start``; the breaks are clock
  times and do not count as teaching time. A break that starts before the day starts is
  ignored; breaks after the last teaching minute of a day are not shown.
- A module may continue after a break, but it does not continue on the next day: a
  module that does not fit in what is left of a day starts the next day. Only a module
  longer than a whole teaching day runs over several days, starting on a fresh day.
- No sliver: a module split by a break has at least ``min_session`` minutes on each side
  (the break starts early rather than leave 15 minutes of a module before it), unless
  the day's modules cannot fit otherwise.
- Days are balanced: the fewest days, then the fewest slivers, then days as even as the
  order allows (``packing.py``).
- A break of ``LUNCH_MINUTES`` or more is shown as lunch.
- When the modules need more days than asked, the plan still holds every day needed:
  ``overflow`` names the modules that (partly) fall after the last day asked for,
  ``minutes_over`` the teaching minutes there, and ``days_needed`` the days to ask for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from trainkit.assembly.agenda_defaults import (
    DEFAULT_BREAKS, DEFAULT_DAY_LENGTH, DEFAULT_MIN_SESSION, DEFAULT_START,
)
from trainkit.assembly.packing import DayPlan, Window, plan_days
from trainkit.errors import UsageError
from trainkit.schemas.common import DurationError, parse_duration

#: A break at least this long is lunch.
LUNCH_MINUTES = 45
MINUTES_PER_DAY = 24 * 60

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class Break:
    """A break at a clock time: ``start`` in minutes after midnight, ``minutes`` long."""

    start: int
    minutes: int

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def is_lunch(self) -> bool:
        return self.minutes >= LUNCH_MINUTES


@dataclass(frozen=True, slots=True)
class AgendaSettings:
    """How long the course is and how its days are laid out."""

    days: int
    day_minutes: int = 360
    start: int = 9 * 60
    breaks: tuple[Break, ...] = ()
    #: The shortest piece of a module on either side of a break (no 15-minute slivers).
    min_session: int = DEFAULT_MIN_SESSION


@dataclass(frozen=True, slots=True)
class AgendaModule:
    """What packing needs to know about a module."""

    id: str
    title: str
    minutes: int
    prerequisites: tuple[str, ...] = ()
    number: int = 0


SlotKind = Literal["module", "break", "lunch"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One line of a day's timetable, in minutes after midnight."""

    start: int
    end: int
    kind: SlotKind
    module: AgendaModule | None = None
    continued: bool = False

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Day:
    """One training day: its slots in time order."""

    number: int
    slots: tuple[Slot, ...]

    @property
    def teaching_minutes(self) -> int:
        return sum(slot.minutes for slot in self.slots if slot.kind == "module")


@dataclass(frozen=True, slots=True)
class Agenda:
    """Every day the modules need; ``fits`` says whether that is within ``settings.days``."""

    settings: AgendaSettings
    days: tuple[Day, ...]
    order: tuple[AgendaModule, ...]

    @property
    def days_needed(self) -> int:
        return len(self.days)

    @property
    def fits(self) -> bool:
        return self.days_needed <= self.settings.days

    @property
    def total_minutes(self) -> int:
        return sum(module.minutes for module in self.order)

    @property
    def overflow(self) -> tuple[AgendaModule, ...]:
        """The modules with teaching time after the last day asked for, in order."""
        late = {slot.module.id for day in self.days[self.settings.days:] for slot in day.slots
                if slot.module is not None}
        return tuple(module for module in self.order if module.id in late)

    @property
    def minutes_over(self) -> int:
        return sum(day.teaching_minutes for day in self.days[self.settings.days:])


@dataclass(frozen=True, slots=True)
class _Window:
    """A stretch of teaching time in a day, and the break just before it (if any)."""

    start: int
    end: int
    after: Break | None


# -- parsing options -------------------------------------------------------------------


def parse_clock(text: str) -> int:
    """``"09:00"`` -> 540 minutes after midnight; ``UsageError`` otherwise."""
    match = _CLOCK.match(text.strip())
    if match is None:
        raise UsageError(f"`{text}` is not a time of day; write it like 09:00 or 13:30")
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_length(text: str, what: str) -> int:
    """A duration written like ``6h``, ``45m`` or ``5h30m``, in minutes."""
    try:
        return parse_duration(text)
    except DurationError as error:
        raise UsageError(f"{what}: {error}") from None


def parse_breaks(text: str) -> tuple[Break, ...]:
    """``"10:30+15m,12:30+1h"`` -> breaks in time order; an empty text means no breaks."""
    breaks: list[Break] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        clock, plus, length = item.partition("+")
        if not plus:
            raise UsageError(f"break `{item}`: write it as a time and a length, like 10:30+15m")
        breaks.append(Break(parse_clock(clock), parse_length(length, f"break `{item}`")))
    return tuple(sorted(breaks, key=lambda b: b.start))


def format_clock(minutes: int) -> str:
    """540 -> ``"09:00"``; times past midnight wrap (``settings`` checks forbid them)."""
    hours, rest = divmod(minutes % MINUTES_PER_DAY, 60)
    return f"{hours:02d}:{rest:02d}"


def check_settings(settings: AgendaSettings) -> None:
    """``UsageError`` for settings no timetable can follow."""
    if settings.days < 1:
        raise UsageError("--days must be at least 1")
    if settings.day_minutes < 1:
        raise UsageError("--day-length must be longer than zero")
    if settings.min_session < 1:
        raise UsageError("--min-session must be longer than zero")
    breaks = sorted(settings.breaks, key=lambda b: b.start)
    for earlier, later in zip(breaks, breaks[1:]):
        if later.start < earlier.end:
            raise UsageError(f"the breaks at {format_clock(earlier.start)} and "
                             f"{format_clock(later.start)} overlap")
    windows = teaching_windows(settings)
    if windows and windows[-1].end > MINUTES_PER_DAY:
        raise UsageError(f"a day of {settings.day_minutes} minutes starting at "
                         f"{format_clock(settings.start)} would end after midnight")


# -- packing ---------------------------------------------------------------------------


def prerequisite_order(modules: Sequence[AgendaModule]) -> list[AgendaModule]:
    """``modules`` in their order, moved only as far as their prerequisites require.

    A prerequisite cycle (which validation reports) is broken by taking the first
    remaining module.
    """
    known = {module.id for module in modules}
    placed: set[str] = set()
    pending = list(modules)
    ordered: list[AgendaModule] = []
    while pending:
        index = next((i for i, module in enumerate(pending)
                      if all(p in placed or p not in known for p in module.prerequisites)), 0)
        module = pending.pop(index)
        ordered.append(module)
        placed.add(module.id)
    return ordered


def teaching_windows(settings: AgendaSettings) -> list[_Window]:
    """The stretches of teaching time of a full day, between the breaks."""
    windows: list[_Window] = []
    clock, left, previous = settings.start, settings.day_minutes, None
    for pause in sorted(settings.breaks, key=lambda b: b.start):
        if pause.start < clock:
            continue  # before the day starts (or inside a break already taken)
        span = min(pause.start - clock, left)
        if span > 0:
            windows.append(_Window(clock, clock + span, previous))
            left -= span
        if left == 0:
            return windows
        clock, previous = pause.end, pause
    windows.append(_Window(clock, clock + left, previous))
    return windows


def _day(number: int, plan: DayPlan, order: list[AgendaModule],
         windows: list[_Window]) -> Day:
    """The slots of one planned day: module pieces, and the breaks between them. A break
    after a module that stopped early starts when the module stops."""
    module_slots = []
    for piece in plan.pieces:
        index = plan.first + piece.index
        continued = (piece.index == 0 and plan.head > 0) or any(
            p.index == piece.index and p.start < piece.start for p in plan.pieces)
        module_slots.append(Slot(piece.start, piece.end, "module", order[index], continued))
    last_end = module_slots[-1].end if module_slots else 0
    break_slots = []
    for window in windows:
        pause = window.after
        if pause is None or window.start >= last_end:
            continue
        before = [slot.end for slot in module_slots if slot.end <= pause.start]
        start = max(before) if before else pause.start
        kind: SlotKind = "lunch" if pause.is_lunch else "break"
        break_slots.append(Slot(start, pause.end, kind))
    slots = sorted([*module_slots, *break_slots], key=lambda slot: slot.start)
    return Day(number, tuple(slots))


def plan_agenda(modules: Sequence[AgendaModule], settings: AgendaSettings) -> Agenda:
    """The timetable of ``modules`` under ``settings``, over as many days as they need."""
    check_settings(settings)
    order = prerequisite_order(modules)
    windows = teaching_windows(settings)
    clock = [Window(w.start, w.end) for w in windows]
    plans = plan_days(order, clock, settings.day_minutes, settings.min_session)
    days = tuple(_day(number, plan, order, windows)
                 for number, plan in enumerate(plans, start=1))
    return Agenda(settings, days, tuple(order))
