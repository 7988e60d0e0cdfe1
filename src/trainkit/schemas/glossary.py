"""The project glossary: ``glossary.yaml`` at the project root."""

from __future__ import annotations

from pydantic import Field

from trainkit.schemas.common import LanguageCode, Slug, StrictModel, Text


class Term(StrictModel):
    """One term, its definition, and the wordings to avoid, in each language."""

    id: Slug = Field(description="Unique id of the term.")
    term: dict[LanguageCode, Text] = Field(
        min_length=1, description="The preferred wording, by language code.")
    definition: dict[LanguageCode, Text] = Field(
        default_factory=dict,
        description="The definition, by language code; a term without one is not printed "
                    "in the glossary (it may still have an abbreviation or wordings to avoid).")
    abbreviation: dict[LanguageCode, Text] = Field(
        default_factory=dict,
        description="The term's abbreviation or acronym, by language (UNTOC, FIU; CRF in "
                    "French). Editions list those their text uses under Abbreviations.")
    avoid: dict[LanguageCode, list[Text]] = Field(
        default_factory=dict,
        description="Wordings not to use for this term, by language; validate warns on them.")


class Glossary(StrictModel):
    """The manual's terminology."""

    terms: list[Term] = Field(min_length=1, description="The terms, in the order printed.")
