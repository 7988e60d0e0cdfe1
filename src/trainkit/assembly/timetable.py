"""A timetable: an agenda of one region's modules, with the rows every output prints.

The packing rules live in ``agenda.py``; this module turns a plan into the rows every
output shows (terminal, Markdown, HTML, PDF, DOCX), with the fixed words from
``labels.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from trainkit.assembly.agenda import Agenda, Day, Slot, format_clock
from trainkit.labels import format_days, format_minutes, labels, module_title, numbered, titled
from trainkit.loading.resolver import ProjectResolver


@dataclass(frozen=True, slots=True)
class Timetable:
    """An agenda for one region of one manual, with what its outputs print around it."""

    agenda: Agenda
    manual_title: str
    region_id: str
    region_name: str
    language: str
    slug: str
    page_size: str
    resolver: ProjectResolver
    out_dir: Path
    #: The project's own words for the language (``labels/<language>.yaml``).
    project_words: Mapping[str, str] = field(default_factory=dict)
    #: The manifest's language: an agenda in another one says so in its file name.
    source_language: str = ""

    @property
    def words(self) -> dict[str, str]:
        return {**labels(self.language), **self.project_words}

    def file_stem(self) -> str:
        """``<slug>-<region>-agenda``, with ``-<language>`` when it is not the manifest's
        (as an edition's file name): the agendas of one region never overwrite each other."""
        stem = f"{self.slug}-{self.region_id}-agenda"
        if self.source_language and self.language != self.source_language:
            stem += f"-{self.language}"
        return stem

    def heading(self) -> str:
        """``Agenda: <manual title>``."""
        return titled(self.words["agenda"], self.manual_title, self.language, self.words)

    def facts(self) -> str:
        """``North Africa · 7 days · Teaching time: 38 h 30 min``."""
        words = self.words
        days = self.agenda.days_needed
        parts = [self.region_name or self.region_id,
                 format_days(days, self.language),
                 titled(words["teaching-time"],
                        format_minutes(self.agenda.total_minutes, self.language, words=words),
                        self.language, words)]
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One printed line of a day: ``09:00–10:30 | Module 3: Routes | 1 h 30 min``."""

    time: str
    what: str
    duration: str
    kind: str


def day_title(timetable: Timetable, day: Day) -> str:
    """``Day 2 (09:00–16:30)``."""
    slots = day.slots
    span = f"{format_clock(slots[0].start)}–{format_clock(slots[-1].end)}" if slots else ""
    return numbered(timetable.words["day"], day.number) + (f" ({span})" if span else "")


def day_rows(timetable: Timetable, day: Day) -> list[Row]:
    """The printed lines of one day."""
    return [_row(timetable, slot) for slot in day.slots]


def _row(timetable: Timetable, slot: Slot) -> Row:
    words, language = timetable.words, timetable.language
    time = f"{format_clock(slot.start)}–{format_clock(slot.end)}"
    duration = format_minutes(slot.minutes, language, words=words)
    if slot.module is None:
        return Row(time, words[slot.kind], duration, slot.kind)
    what = module_title(language, slot.module.number, slot.module.title, words)
    if slot.continued:
        what += f" ({words['continued']})"
    return Row(time, what, duration, slot.kind)


def overflow_message(timetable: Timetable) -> str:
    """Why the agenda does not fit, and how many days it needs."""
    agenda = timetable.agenda
    late = ", ".join(f"{m.id} ({format_minutes(m.minutes, timetable.language)})"
                     for m in agenda.overflow)
    count = len(agenda.overflow)
    return (f"the modules of {timetable.region_id} do not fit in {agenda.settings.days} "
            f"day{'s' if agenda.settings.days != 1 else ''}: {agenda.minutes_over} minutes "
            f"({format_minutes(agenda.minutes_over, timetable.language)}) are over, in "
            f"{count} module{'s' if count != 1 else ''} that do{'es' if count == 1 else ''} "
            f"not fit: {late}. They need {agenda.days_needed} days: use --days "
            f"{agenda.days_needed}, or a longer --day-length")
