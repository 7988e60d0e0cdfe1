"""Every word trainkit itself prints, by language.

Writers never hard-code text: they look it up here, so an edition in another language
gets its own words (catalogues for more languages are added the same way).
"""

from __future__ import annotations

import datetime

ENGLISH: dict[str, str] = {
    "contents": "Contents",
    "module": "Module",
    "page": "Page",
    "part": "Part",
    "case-study": "Case study",
    "exercise": "Exercise",
    "trainer-note": "Trainer note",
    "key-points": "Key points",
    "question": "Question",
    "answer": "Answer",
    "draft": "Draft",
    "region": "Region",
    "edition": "Edition",
    "version": "Version",
    "date": "Date",
    "publisher": "Publisher",
    "duration": "Duration",
    "audiences": "Audiences",
    "learning-objectives": "Learning objectives",
    "prerequisites": "Prerequisites",
    "legal-index": "Index of legal instruments",
    "legal-index-intro": "The provisions cited by the modules of this edition.",
    "instrument": "Instrument",
    "article": "Article",
    "cited-in": "Cited in",
    "durations": "Module durations",
    "total": "Total",
    "notes": "Notes",
    "not-in-edition": "not included in this edition",
    "status": "Status",
    "reviewers": "Reviewers",
    "last-reviewed": "Last reviewed",
    "summary": "Summary",
    "image-not-embedded": "Image not included in this format",
    # handouts (trainkit handout)
    "handout": "Participant handout",
    "handout-notes": "My notes",
    "review-questions": "Check your understanding",
    # agendas (trainkit agenda)
    "agenda": "Agenda",
    "day": "Day",
    "one-day": "1 day",
    "days": "{n} days",
    "time": "Time",
    "break": "Break",
    "lunch": "Lunch",
    "continued": "continued",
    "teaching-time": "Teaching time",
    # review copies (trainkit build --review)
    "review": "Review",
    "not-reviewed": "not reviewed yet",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": ENGLISH}

_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]


def labels(language: str) -> dict[str, str]:
    """The catalogue for ``language``, English where the language has none."""
    return CATALOGUES.get(language, ENGLISH)


def format_date(value: datetime.date, language: str) -> str:
    """A date as people write it: 22 November 2026."""
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_minutes(minutes: int, language: str) -> str:
    """90 -> '1 h 30 min'."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest:02d} min"
    return f"{hours} h" if hours else f"{rest} min"
