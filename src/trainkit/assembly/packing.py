"""Where modules go in a course: which day, and when on that day (``agenda.py``'s rules).

Days are chosen together, not filled one after the other: among the ways to cut the
ordered modules into days (a module never continues on the next day, unless it is longer
than a whole day), the plan takes, in this order of importance,

1. the fewest days;
2. the fewest *slivers*: pieces of a module shorter than ``min_session`` left on one side
   of a break ("15 minutes of module 4 before lunch");
3. the most even days: the least sum of the squares of each day's unused teaching time,
   so that no day ends at 12:15 while the next one is full.

On a day, a module starts as soon as the one before it ends. When it must be split by a
break, each piece lasts at least ``min_session``: the piece before the break may stop
early (the break then starts early: a longer break, never a hole in the day), and a module
that cannot have ``min_session`` before the break starts after it. A module shorter than
``min_session`` is never split. Only when that cannot fit the day's modules in the day are
slivers allowed, as few as possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Packable(Protocol):
    """What packing needs of a module."""

    @property
    def minutes(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of teaching time between breaks, in minutes after midnight."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a module on the clock of one day (``index`` in the day's modules)."""

    index: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day: its modules (a range of the ordered modules), their pieces and slivers.

    ``head`` is the minutes of a long module already taught on the days before (its
    first module continues), 0 otherwise.
    """

    first: int
    last: int
    pieces: tuple[Piece, ...]
    slivers: int
    head: int = 0


def place(minutes: Sequence[int], windows: Sequence[Window], min_session: int,
          strict: bool) -> tuple[list[Piece], int] | None:
    """``minutes`` (modules in order) on the clock of one day: the pieces and the number
    of slivers, or None when they do not fit. ``strict`` allows no sliver."""
    pieces: list[Piece] = []
    slivers = 0
    cursor = (0, windows[0].start) if windows else (0, 0)
    for index, length in enumerate(minutes):
        placed = _place_one(index, length, cursor, windows, min_session, strict)
        if placed is None:
            return None
        module_pieces, cursor = placed
        if len(module_pieces) > 1:
            slivers += sum(1 for p in module_pieces if p.minutes < min_session)
        pieces.extend(module_pieces)
    return pieces, slivers


def _place_one(index: int, length: int, cursor: tuple[int, int], windows: Sequence[Window],
               min_session: int, strict: bool) -> tuple[list[Piece], tuple[int, int]] | None:
    """One module from ``cursor`` (window number, clock time): its pieces and the cursor
    after it."""
    window, clock = cursor
    while window < len(windows):
        room = windows[window].end - clock
        if length <= room:
            end = clock + length
            return [Piece(index, clock, end)], (window, end)
        if not strict:
            return _split(index, length, window, clock, room, windows)
        if room >= min_session and length >= 2 * min_session:
            placed = _split(index, length, window, clock, room, windows)
            if placed is not None and placed[0][-1].minutes < min_session:
                shorter = room - (min_session - placed[0][-1].minutes)  # stop early
                placed = (_split(index, length, window, clock, shorter, windows)
                          if shorter >= min_session else None)
            if placed is not None and all(p.minutes >= min_session for p in placed[0]):
                return placed
        window += 1
        clock = windows[window].start if window < len(windows) else clock
    return None


def _split(index: int, length: int, window: int, clock: int, first: int,
           windows: Sequence[Window]) -> tuple[list[Piece], tuple[int, int]] | None:
    """``first`` minutes from ``clock``, the rest from the start of the next windows."""
    pieces = [Piece(index, clock, clock + first)] if first > 0 else []
    left = length - first
    while left > 0:
        window += 1
        if window >= len(windows):
            return None
        span = min(left, windows[window].minutes)
        start = windows[window].start
        pieces.append(Piece(index, start, start + span))
        left -= span
    end = pieces[-1].end
    return pieces, (window, end)


def plan_days(modules: Sequence[Packable], windows: Sequence[Window], day_minutes: int,
              min_session: int) -> list[DayPlan]:
    """The days of ``modules`` (in order), by the rules of the module docstring."""
    count = len(modules)
    # best[i]: (days, slivers, unevenness) of the best plan of the first i modules.
    best: list[tuple[int, int, int] | None] = [None] * (count + 1)
    choice: list[list[DayPlan]] = [[] for _ in range(count + 1)]
    best[0] = (0, 0, 0)
    for first in range(count):
        done = best[first]
        if done is None:
            continue
        long_days, head = _long_days(first, modules[first].minutes, windows, day_minutes)
        for last in range(first + 1, count + 1):
            if last > first + 1 and modules[last - 1].minutes > day_minutes:
                break
            lengths = [modules[first].minutes - head,
                       *(m.minutes for m in modules[first + 1:last])]
            if sum(lengths) > day_minutes:
                break
            placed = (place(lengths, windows, min_session, strict=True)
                      or _fewest_slivers(lengths, windows, min_session))
            if placed is None:
                continue
            pieces, slivers = placed
            idle = day_minutes - sum(lengths)
            score = (done[0] + len(long_days) + 1, done[1] + slivers,
                     done[2] + idle * idle)
            current = best[last]
            if current is None or score < current:
                best[last] = score
                day = DayPlan(first, last, tuple(pieces), slivers, head)
                choice[last] = [*choice[first], *long_days, day]
    return choice[count] if best[count] is not None else []


def _long_days(index: int, minutes: int, windows: Sequence[Window],
               day_minutes: int) -> tuple[list[DayPlan], int]:
    """A module longer than a day: the whole days it fills (it continues after each
    break), and the minutes they hold; none and 0 for other modules."""
    if minutes <= day_minutes:
        return [], 0
    full = (minutes - 1) // day_minutes
    placed = place([day_minutes], windows, day_minutes, strict=False)
    pieces = tuple(placed[0]) if placed else ()
    days = [DayPlan(index, index + 1, pieces, 0, head=day * day_minutes)
            for day in range(full)]
    return days, full * day_minutes


def _fewest_slivers(lengths: list[int], windows: Sequence[Window],
                    min_session: int) -> tuple[list[Piece], int] | None:
    """The day's modules with slivers only where the rest would not fit otherwise."""
    if place(lengths, windows, min_session, strict=False) is None:
        return None
    pieces: list[Piece] = []
    slivers = 0
    cursor = (0, windows[0].start)
    for index, length in enumerate(lengths):
        rest = lengths[index + 1:]
        for strict in (True, False):
            placed = _place_one(index, length, cursor, windows, min_session, strict)
            if placed is None:
                continue
            after = placed[1]
            if strict and not _fits(rest, after, windows, min_session):
                continue
            pieces.extend(placed[0])
            if len(placed[0]) > 1:
                slivers += sum(1 for p in placed[0] if p.minutes < min_session)
            cursor = after
            break
    return pieces, slivers


def _fits(lengths: list[int], cursor: tuple[int, int], windows: Sequence[Window],
          min_session: int) -> bool:
    for index, length in enumerate(lengths):
        placed = _place_one(index, length, cursor, windows, min_session, strict=False)
        if placed is None:
            return False
        cursor = placed[1]
    return True
