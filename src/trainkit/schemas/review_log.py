"""The front-matter of a review log (``reviews/<date>-<name>.md``), one per import."""

from __future__ import annotations

import datetime

from pydantic import Field

from trainkit.schemas.common import StrictModel


class LoggedModule(StrictModel):
    """What one import found about one source file."""

    path: str = Field(description="The module file, relative to the project.")
    comments: int = Field(ge=0, description="Comments (replies not counted).")
    open_comments: int = Field(ge=0, description="Comments not marked done (resolved).")
    changes: int = Field(ge=0, description="Tracked insertions, deletions and replacements.")


class ReviewLog(StrictModel):
    """One `trainkit review import`: the reviewed files, the reviewers, counts per module."""

    imported: datetime.datetime = Field(description="When the import ran (UTC).")
    files: list[str] = Field(min_length=1, description="The reviewed .docx files, by name.")
    region: str | None = Field(default=None, description="The region the copy was made for.")
    edition: str | None = Field(default=None, description="The edition the copy was made of.")
    language: str | None = Field(default=None, description="The copy's language.")
    reviewers: list[str] = Field(default_factory=list, description="Everyone who commented "
                                 "or changed text.")
    modules: list[LoggedModule] = Field(default_factory=list,
                                        description="Counts for each module file reviewed.")
