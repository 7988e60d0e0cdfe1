"""The front-matter of a translated module: ``modules/<lang>/<file>.md``."""

from __future__ import annotations

import datetime

from pydantic import Field

from trainkit.schemas.common import Slug, StrictModel, Text, Version
from trainkit.schemas.module import Status


class TranslationMeta(StrictModel):
    """What a translation says about itself; the rest comes from its source module."""

    translation_of: Slug = Field(description="Id of the source module this file translates.")
    source_version: Version = Field(
        description='The `version` of the source module this translation follows, e.g. "1.2".')
    title: Text = Field(description="Translated title.")
    short_title: Text | None = Field(
        default=None, description="Translated short title for the running head (see the "
        "module's `short_title`); the source's is never used for a translation.")
    summary: Text = Field(description="Translated summary.")
    learning_objectives: list[Text] = Field(
        min_length=1, description="Translated learning objectives, in the source's order.")
    keywords: list[Text] = Field(default_factory=list, description="Translated keywords.")
    translators: list[Text] = Field(default_factory=list, description="Who translated it.")
    reviewers: list[Text] = Field(default_factory=list, description="Who reviewed it.")
    status: Status = Field(description="Review status of the translation.")
    last_reviewed: datetime.date | None = Field(
        default=None, description="Date of the last review of the translation, YYYY-MM-DD.")
