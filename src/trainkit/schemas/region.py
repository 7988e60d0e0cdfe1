"""A region profile: ``regions/<id>.yaml``."""

from __future__ import annotations

from pydantic import Field

from trainkit.schemas.common import Digits, LanguageCode, Slug, StrictModel, Text, VariableName


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
        min_length=1, description="Languages editions for the region are delivered in.")
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
