"""The project manifest: ``trainkit.yaml``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag

from trainkit.model.document import BlockKind
from trainkit.model.formats import OutputFormat
from trainkit.text import ascii_slug
from trainkit.schemas.theme import Theme
from trainkit.schemas.common import Digits, LanguageCode, Slug, StrictModel, Text, VariableName, Version


class Part(StrictModel):
    """A titled group of modules."""

    part: Text = Field(description="Title of the part.")
    modules: list[Text] = Field(min_length=1, description="Module files in the part, in order.")


def _entry_kind(value: object) -> str:
    return "part" if isinstance(value, dict) else "file"


ModuleEntry = Annotated[
    Annotated[Text, Tag("file")] | Annotated[Part, Tag("part")],
    Discriminator(_entry_kind),
]


class VariableDeclaration(StrictModel):
    """What a {{ region.<name> }} variable means, and whether every region must set it."""

    description: Text = Field(description="What the variable holds, for the adapters.")
    required: bool = Field(
        default=False, description="Every region (after inheritance) must give a value.")


class Edition(StrictModel):
    """An edition of the manual, such as the trainer's or the participant's."""

    title: Text = Field(description="Title of the edition as printed, e.g. Trainer's manual.")
    hide: list[BlockKind] = Field(
        default_factory=list, description="Named blocks the edition leaves out.")
    answer_lines: int = Field(
        default=4, ge=0, le=30,
        description="Ruled lines left under each question for the answer in PDF editions "
                    "that hide answers; 0 for none.")


def _default_formats() -> list[OutputFormat]:
    return ["pdf"]


class ManifestLocalization(StrictModel):
    """The manifest's printed words in one of the edition languages."""

    title: Text | None = Field(default=None, description="Title of the manual.")
    subtitle: str | None = Field(default=None, description="Subtitle printed on the cover.")
    publisher: str | None = Field(default=None, description="Publisher printed on the cover.")
    copyright: str | None = Field(default=None, description="Copyright line of the imprint.")
    licence: str | None = Field(default=None, description="Licence text of the imprint.")
    disclaimer: str | None = Field(default=None, description="Disclaimer of the imprint.")
    parts: dict[str, Text] = Field(
        default_factory=dict, description="Part titles: source title -> translated title.")
    editions: dict[Slug, Text] = Field(
        default_factory=dict, description="Edition titles, by edition id.")
    audiences: dict[Slug, Text] = Field(
        default_factory=dict, description="Audience names, by audience id.")
    instruments: dict[Slug, Text] = Field(
        default_factory=dict, description="Legal instrument titles, by instrument id.")
    digits: Digits | None = Field(
        default=None, description="Digits of trainkit's own numbers (page numbers, module "
                                  "numbers, dates) in this language: western (0-9, the "
                                  "default) or eastern (Arabic-Indic).")


PrintLength = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(?:\.\d{1,2})?(?:mm|cm|in|pt)$")]


class OutputDefaults(StrictModel):
    """Defaults for ``trainkit build`` options."""

    region: Slug | None = Field(default=None, description="Default --region.")
    edition: Slug | None = Field(default=None, description="Default --edition.")
    formats: list[OutputFormat] = Field(
        default_factory=_default_formats, min_length=1, description="Default --format list.")
    page_size: Literal["A4", "A5", "letter", "legal"] = Field(
        default="A4", description="Paper size of PDF editions.")
    out_dir: Text = Field(default="dist", description="Default --out folder.")
    duplex: bool = Field(
        default=False,
        description="PDF editions printed on both sides: mirrored margins with a binding "
                    "gutter, each module and part on a right-hand page, blank pages without "
                    "running heads or page numbers.")
    gutter: PrintLength = Field(
        default="10mm", description="Binding gutter added to the inner margin when duplex, "
                                    'e.g. "10mm", "0.5in".')
    page_numbers: Literal["per-module", "continuous"] = Field(
        default="per-module",
        description='PDF page numbers: per module ("3\u201312") or continuous (1 to N, from the '
                    "first module to the end).")
    tagged_pdf: bool = Field(
        default=True,
        description="Tagged PDF (PDF/UA-1: headings, lists, tables, figures with their alt "
                    "text, the language and title, for screen readers and reflow); false "
                    "builds a little faster (build --no-tags does the same once).")


class Manifest(StrictModel):
    """The manual: its title, its modules in order, its vocabularies and editions."""

    title: Text = Field(description="Title of the manual.")
    subtitle: str = Field(default="", description="Subtitle printed on the cover.")
    publisher: str = Field(default="", description="Publisher printed on the cover.")
    copyright: str = Field(
        default="", description="Copyright line printed on the imprint page (the back of the "
                                "cover), e.g. \u00a9 2026 Regional Training Programme.")
    licence: str = Field(default="", description="Licence printed on the imprint page.")
    disclaimer: str = Field(
        default="", description="Disclaimer printed on the imprint page, e.g. that the manual "
                                "is not an official publication.")
    version: Version = Field(description='Version of the manual, e.g. "1.0"; quote it.')
    language: LanguageCode = Field(default="en", description="Language of the source text.")
    languages: list[LanguageCode] = Field(
        default_factory=list,
        description="Other languages editions may be built in; translations live in "
                    "modules/<language>/.")
    slug: Slug | None = Field(
        default=None, description="Short name used in output file names; default from title.")
    modules: list[ModuleEntry] = Field(
        min_length=1, description="Module files in reading order, or parts grouping them.")
    audiences: dict[Slug, Text] = Field(
        min_length=1, description="Audience ids and their printed names.")
    instruments: dict[Slug, Text] = Field(
        default_factory=dict, description="Legal instrument ids and their full titles.")
    editions: dict[Slug, Edition] = Field(
        min_length=1, description="Editions the manual is built in, by id.")
    variables: dict[VariableName, Text] = Field(
        default_factory=dict, description="Default values for {{ region.<name> }} variables.")
    declared_variables: dict[VariableName, VariableDeclaration] = Field(
        default_factory=dict,
        description="Variables described for adapters; required ones must be set by every "
                    "region (or have a default under `variables`).")
    output: OutputDefaults = Field(
        default_factory=OutputDefaults, description="Defaults for trainkit build.")
    theme: Theme = Field(
        default_factory=Theme,
        description="Logo, colours, fonts, cover image and extra CSS of every output.")
    localized: dict[LanguageCode, ManifestLocalization] = Field(
        default_factory=dict,
        description="Title, parts, editions, audiences and instruments in other languages.")

    @property
    def edition_languages(self) -> list[str]:
        """The source language first, then the other languages editions may use."""
        return [self.language, *(code for code in self.languages if code != self.language)]

    def in_language(self, language: str) -> Manifest:
        """This manifest with its printed words in ``language`` where it has them."""
        words = self.localized.get(language)
        if words is None or language == self.language:
            return self
        modules: list[str | Part] = [
            entry.model_copy(update={"part": words.parts.get(entry.part, entry.part)})
            if isinstance(entry, Part) else entry for entry in self.modules]
        editions = {eid: edition.model_copy(update={"title": words.editions.get(eid,
                                                                                 edition.title)})
                    for eid, edition in self.editions.items()}
        return self.model_copy(update={
            # File names follow the source title, whatever the edition's language.
            "slug": self.slug or ascii_slug(self.title)[:60].strip("-") or None,
            "title": words.title or self.title,
            "subtitle": self.subtitle if words.subtitle is None else words.subtitle,
            "publisher": self.publisher if words.publisher is None else words.publisher,
            "copyright": self.copyright if words.copyright is None else words.copyright,
            "licence": self.licence if words.licence is None else words.licence,
            "disclaimer": self.disclaimer if words.disclaimer is None else words.disclaimer,
            "modules": modules, "editions": editions,
            "audiences": {**self.audiences, **words.audiences},
            "instruments": {**self.instruments, **words.instruments},
        })

    def module_files(self) -> list[tuple[str, str | None]]:
        """Each module file with the title of its part (None outside parts), in order."""
        files: list[tuple[str, str | None]] = []
        for entry in self.modules:
            if isinstance(entry, Part):
                files.extend((path, entry.part) for path in entry.modules)
            else:
                files.append((entry, None))
        return files
