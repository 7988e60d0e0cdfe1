"""A region profile: ``regions/<id>.yaml``."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints

from trainkit.schemas.common import Digits, LanguageCode, Slug, StrictModel, Text, VariableName

#: An adaptation key: a slot id, or ``<slot>@<module id>`` for one module's occurrence.
SlotKey = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:@[a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=161)]
#: A fragment file (a name ending in .md, under ``regions/<id>/``) or inline Markdown; or
#: inline Markdown by language.
Adaptation = Text | dict[LanguageCode, Text]


class ModuleAddition(StrictModel):
    """A module that only this region's editions include."""

    file: Text = Field(description="Path of the module file, relative to the project folder.")
    after: Slug | None = Field(
        default=None, description="Id of the module it follows; omit to add it at the end.")


class RegionLocalization(StrictModel):
    """The region's name and variables in one of its languages."""

    name: Text | None = Field(default=None, description="Name of the region in this language.")
    countries: list[Text] | None = Field(
        default=None, description="Names of the countries in this language.")
    variables: dict[VariableName, Text] = Field(
        default_factory=dict, description="Values of {{ region.<name> }} in this language.")
    digits: Digits | None = Field(
        default=None, description="Digits of trainkit's own numbers (page numbers, module "
                                  "numbers, dates) in this region's editions in this "
                                  "language: western (0-9) or eastern (Arabic-Indic); "
                                  "overrides the manifest's.")


class RegionProfile(StrictModel):
    """How the manual is adapted for one region."""

    name: Text = Field(description="Name of the region as printed, e.g. North Africa.")
    countries: list[Text] = Field(default_factory=list, description="Countries of the region.")
    languages: list[LanguageCode] = Field(
        default_factory=list, min_length=1,
        description="Languages editions for the region are delivered in; required unless "
                    "the region extends another.")
    variables: dict[VariableName, Text] = Field(
        default_factory=dict,
        description="Values for {{ region.<name> }} in module text; override the manifest's.")
    localized: dict[LanguageCode, RegionLocalization] = Field(
        default_factory=dict,
        description="The name and variables in other languages, by language code.")
    add_modules: list[ModuleAddition] = Field(
        default_factory=list, description="Modules only this region includes.")
    omit_modules: list[Slug] = Field(
        default_factory=list, description="Ids of modules this region leaves out.")
    #: Ids of the regions it extends, parent first; set by ``loading/inheritance.py``.
    _ancestors: tuple[str, ...] = PrivateAttr(default=())

    @property
    def ancestors(self) -> tuple[str, ...]:
        """Ids of the regions this one extends, parent first (known after inheritance)."""
        return self._ancestors

    extends: Slug | None = Field(
        default=None,
        description="Id of the region this one adapts further (a country of a region): it "
                    "inherits countries, languages, variables, added and omitted modules and "
                    "adaptations, and overrides what it sets itself.")
    status: Literal["draft", "complete"] = Field(
        default="draft",
        description="complete: every required slot and variable must be filled (an error "
                    "otherwise); draft: missing ones are warnings.")
    last_reviewed: datetime.date | None = Field(
        default=None, description="When the region's adaptations were last reviewed.")
    adaptations: dict[SlotKey, Adaptation] = Field(
        default_factory=dict,
        description="Content of adaptation slots (`::: adapt <slot>`), by slot id or "
                    "<slot>@<module id>: a Markdown file under regions/<id>/ (a name ending "
                    "in .md), inline Markdown, or inline Markdown by language.")
