"""The front-matter of a module file."""

from __future__ import annotations

import datetime

from pydantic import Field

from trainkit.schemas.common import Duration, Slug, StrictModel, Text, Version, parse_duration
from trainkit.model.status import Status

__all__ = ["LegalReference", "ModuleMeta", "Status"]


class LegalReference(StrictModel):
    """A provision of a legal instrument that the module relies on."""

    instrument: Slug = Field(description="Id of the instrument, from the manifest's `instruments`.")
    article: Text = Field(description='The article, e.g. "6" or "6(3)(a)"; quote it in YAML.')


class ModuleMeta(StrictModel):
    """Front-matter of a module: who it is for, what it teaches, how long it takes."""

    id: Slug = Field(description="Unique id of the module, lower-case words joined by hyphens.")
    title: Text = Field(description="Title of the module as printed.")
    short_title: Text | None = Field(
        default=None, description="Shorter title for the running head of the printed "
        "edition, which is one line; without it, a title too long for the head is cut "
        "at a word and ends with an ellipsis.")
    version: Version = Field(description='Version of the module text, e.g. "1.2"; quote it.')
    status: Status = Field(description="Review status: draft, in-review or approved.")
    summary: Text = Field(description="One or two sentences on what the module covers.")
    duration: Duration = Field(description="Teaching time, written like 90m, 2h or 1h30m.")
    audiences: list[Slug] = Field(
        min_length=1, description="Audience ids from the manifest's `audiences`.")
    learning_objectives: list[Text] = Field(
        min_length=1, description="What participants can do after the module; at least one.")
    prerequisites: list[Slug] = Field(
        default_factory=list, description="Ids of modules to take before this one.")
    regions: list[Slug] | None = Field(
        default=None, description="Region ids the module applies to; omit for every region.")
    keywords: list[Text] = Field(default_factory=list, description="Subject keywords.")
    legal_references: list[LegalReference] = Field(
        default_factory=list, description="Legal provisions the module cites.")
    authors: list[Text] = Field(default_factory=list, description="Who wrote the module.")
    reviewers: list[Text] = Field(default_factory=list, description="Who reviewed the module.")
    last_reviewed: datetime.date | None = Field(
        default=None, description="Date of the last expert review, YYYY-MM-DD.")

    @property
    def minutes(self) -> int:
        """The duration in minutes."""
        return parse_duration(self.duration)
