"""The front-matter of a module file."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import Discriminator, Field, Tag

from trainkit.schemas.common import Duration, Slug, StrictModel, Text, Version, parse_duration
from trainkit.model.status import Status

__all__ = ["LearningObjective", "LegalReference", "ModuleMeta", "Status"]


class LegalReference(StrictModel):
    """A provision of a legal instrument that the module relies on."""

    instrument: Slug = Field(description="Id of the instrument, from the manifest's `instruments`.")
    article: Text = Field(description='The article, e.g. "6" or "6(3)(a)"; quote it in YAML.')


class LearningObjective(StrictModel):
    """A learning objective with a stable id, which questions can name (``objectives=``)."""

    id: Slug = Field(description="Id of the objective, unique in the module.")
    text: Text = Field(description="What participants can do after the module.")


def _objective_kind(value: object) -> str:
    return "objective-entry" if isinstance(value, dict) else "objective-text"


#: A learning objective as written: a text, or ``{id, text}``.
Objective = Annotated[
    Annotated[Text, Tag("objective-text")] | Annotated[LearningObjective, Tag("objective-entry")],
    Discriminator(_objective_kind),
]


class ModuleMeta(StrictModel):
    """Front-matter of a module: who it is for, what it teaches, how long it takes."""

    id: Slug = Field(description="Unique id of the module, lower-case words joined by hyphens.")
    title: Text = Field(description="Title of the module as printed.")
    version: Version = Field(description='Version of the module text, e.g. "1.2"; quote it.')
    status: Status = Field(description="Review status: draft, in-review or approved.")
    summary: Text = Field(description="One or two sentences on what the module covers.")
    duration: Duration = Field(description="Teaching time, written like 90m, 2h or 1h30m.")
    audiences: list[Slug] = Field(
        min_length=1, description="Audience ids from the manifest's `audiences`.")
    learning_objectives: list[Objective] = Field(
        min_length=1, description="What participants can do after the module; at least one. "
                                  "Each is a text, or {id, text} to give it a stable id.")
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
    def objective_texts(self) -> list[str]:
        """The text of each learning objective."""
        return [o if isinstance(o, str) else o.text for o in self.learning_objectives]

    @property
    def objective_ids(self) -> list[str | None]:
        """The id of each learning objective, None where it has none."""
        return [None if isinstance(o, str) else o.id for o in self.learning_objectives]

    def with_objective_texts(self, texts: list[str]) -> list[str | LearningObjective]:
        """The learning objectives with ``texts`` (a translation, typeset words) instead of
        their own, keeping their ids."""
        return [text if isinstance(old, str) else LearningObjective(id=old.id, text=text)
                for old, text in zip(self.learning_objectives, texts, strict=False)
                ] + list(texts[len(self.learning_objectives):])

    @property
    def minutes(self) -> int:
        """The duration in minutes."""
        return parse_duration(self.duration)
