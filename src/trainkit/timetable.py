"""``trainkit agenda`` as a library call: a region's modules packed into days, as rows.

The packing rules live in ``agenda.py``; this module feeds them a validated project's
modules and turns the plan into the rows every output shows (terminal, Markdown, HTML,
PDF, DOCX), with the fixed words from ``labels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.agenda import (
    Agenda, AgendaModule, AgendaSettings, Day, Slot, format_clock, plan_agenda,
)
from trainkit.checked import (
    checked_project, manifest_of, meta_of, region_modules, region_or_default,
)
from trainkit.assemble import EditionRequest, check_request, edition_language
from trainkit.labels import format_minutes, labels
from trainkit.output import project_out_dir
from trainkit.parsing import slugify
from trainkit.resolver import ProjectResolver


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

    @property
    def words(self) -> dict[str, str]:
        return labels(self.language)

    def file_stem(self) -> str:
        """``<slug>-<region>-agenda``."""
        return f"{self.slug}-{self.region_id}-agenda"

    def heading(self) -> str:
        """``Agenda: <manual title>``."""
        return f"{self.words['agenda']}: {self.manual_title}"

    def facts(self) -> str:
        """``North Africa · 7 days · Teaching time: 38 h 30 min``."""
        words = self.words
        days = self.agenda.days_needed
        parts = [self.region_name or self.region_id,
                 words["one-day"] if days == 1 else words["days"].format(n=days),
                 f"{words['teaching-time']}: "
                 f"{format_minutes(self.agenda.total_minutes, self.language)}"]
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One printed line of a day: ``09:00–10:30 | Module 3: Routes | 1 h 30 min``."""

    time: str
    what: str
    duration: str
    kind: str


def plan_for_region(project_dir: Path, region: str | None,
                    settings: AgendaSettings, language: str | None = None) -> Timetable:
    """Validate the project and pack ``region``'s modules (default: the manifest's region),
    with titles and headings in ``language`` (default: the region's first language)."""
    validation = checked_project(project_dir)
    source = manifest_of(validation)
    region_id = region_or_default(validation, region)
    project = validation.project
    check_request(project, EditionRequest(region_id, next(iter(source.editions)),
                                          language=language))
    chosen = edition_language(project, EditionRequest(region_id, "", language=language))
    manifest = source.in_language(chosen)
    placed = region_modules(validation, region_id)
    modules = [AgendaModule(meta.id, project.title_in(chosen, meta.id, meta.title), meta.minutes,
                            tuple(meta.prerequisites), number)
               for number, meta in enumerate((meta_of(p) for p in placed), start=1)]
    profile = project.region_models().get(region_id)
    local = profile.localized.get(chosen) if profile else None
    name = (local.name if local and local.name else profile.name) if profile else ""
    slug = source.slug or slugify(source.title)[:60] or "manual"
    return Timetable(plan_agenda(modules, settings), manifest.title, region_id,
                     name, chosen, slug,
                     manifest.output.page_size, validation.project.resolver,
                     project_out_dir(validation.project.root, manifest.output.out_dir))


def day_title(timetable: Timetable, day: Day) -> str:
    """``Day 2 (09:00–16:30)``."""
    slots = day.slots
    span = f"{format_clock(slots[0].start)}–{format_clock(slots[-1].end)}" if slots else ""
    return f"{timetable.words['day']} {day.number}" + (f" ({span})" if span else "")


def day_rows(timetable: Timetable, day: Day) -> list[Row]:
    """The printed lines of one day."""
    return [_row(timetable, slot) for slot in day.slots]


def _row(timetable: Timetable, slot: Slot) -> Row:
    words, language = timetable.words, timetable.language
    time = f"{format_clock(slot.start)}–{format_clock(slot.end)}"
    duration = format_minutes(slot.minutes, language)
    if slot.module is None:
        return Row(time, words[slot.kind], duration, slot.kind)
    what = f"{words['module']} {slot.module.number}: {slot.module.title}"
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

