"""A region's national law profiles: ``regions/<region id>/national-law.yaml``.

One entry per country of the region: its offence of smuggling of migrants, penalties,
treaty status and the authorities that cooperate, each with the date it was last checked
and the sources it was checked against. What nobody verified is left out: the printed
annex says "not verified" for it. The text is English; ``localized`` gives its
translations, field by field, which the editions in those languages print.
"""

from __future__ import annotations

import datetime

from pydantic import Field

from trainkit.schemas.common import LanguageCode, StrictModel, Text

#: The language of an entry's own text; ``localized`` holds the others.
LAW_LANGUAGE = "en"

#: The optional fields of an entry, in the order the annex prints them, with the key of
#: their label in trainkit's catalogue.
LAW_FIELDS: tuple[tuple[str, str], ...] = (
    ("smuggling_offence", "law-offence"),
    ("penalty", "law-penalty"),
    ("aggravating", "law-aggravating"),
    ("migrants_penalised", "law-migrants-penalised"),
    ("untoc", "law-untoc"),
    ("smuggling_protocol", "law-smuggling-protocol"),
    ("central_authority", "law-central-authority"),
    ("specialised_units", "law-specialised-units"),
    ("notes", "law-notes"),
)


class LawText(StrictModel):
    """The text fields of an entry (in English, or translated under ``localized``)."""

    smuggling_offence: Text | None = Field(
        default=None, description="The law and articles that make smuggling of migrants an "
                                  "offence (official title, number, date).")
    penalty: Text | None = Field(default=None,
                                 description="The penalty range for the basic offence.")
    aggravating: Text | None = Field(
        default=None, description="Aggravating circumstances and their penalties.")
    migrants_penalised: Text | None = Field(
        default=None, description="Whether migrants themselves are penalised for irregular "
                                  "entry or exit, and how.")
    untoc: Text | None = Field(
        default=None, description="Status of the Convention against Transnational Organized "
                                  "Crime, with its date.")
    smuggling_protocol: Text | None = Field(
        default=None, description="Status of the Smuggling of Migrants Protocol, with its "
                                  "date.")
    central_authority: Text | None = Field(
        default=None, description="The central authority for mutual legal assistance.")
    specialised_units: Text | None = Field(
        default=None, description="Specialised police or prosecution units.")
    notes: Text | None = Field(default=None,
                               description="Recent reforms, caveats.")


class CountryLaw(LawText):
    """What one country's law says on the smuggling of migrants, as verified."""

    country: Text = Field(description="The country, as named in the region's `countries`.")
    last_checked: datetime.date = Field(
        description="When the entry was last checked against its sources (YYYY-MM-DD).")
    localized: dict[LanguageCode, LawText] = Field(
        default_factory=dict,
        description="Translations of the text fields, by language code (a field left out "
                    "prints in English).")
    sources: list[Text] = Field(
        description="Every web address the entry was checked against (at least one).")


class NationalLaw(StrictModel):
    """The national law profiles of a region's countries."""

    countries: list[CountryLaw] = Field(
        description="One entry per country of the region (a country may be left out).")
