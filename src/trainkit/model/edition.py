"""The assembled edition: what every writer walks, already filtered and numbered.

``trainkit.assembly`` builds it; writers only read it. Nothing a region, an edition or an
audience drops is in it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from trainkit.diagnostics import Diagnostic
from trainkit.fonts import is_rtl
from trainkit.labels import labels, language_name, localize_digits, module_title
from trainkit.model import document as d
from trainkit.model.status import Status
from trainkit.schemas import Edition as EditionDefinition
from trainkit.schemas import Manifest, ModuleMeta
from trainkit.text import audience_list, manual_slug


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One term as printed in an edition's language."""

    term: str
    definition: str


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """An abbreviation the edition's text uses, and the term it stands for."""

    abbreviation: str
    term: str


@dataclass(frozen=True, slots=True)
class LawRow:
    """One field of a country's national law table, labelled in the edition's language.

    ``text`` is the verified text (in ``language``: the edition's when the profile
    translates the field, else English), or the edition's words for "not verified"
    (``verified`` False); the sources row has ``links`` instead.
    """

    label: str
    text: str
    verified: bool = True
    #: The language of ``text`` (None: the edition's, as for "not verified").
    language: str | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CountryLawTable:
    """A country's table in the national law annex."""

    country: str
    #: "Last checked: 5 December 2026", in the edition's language and digits.
    checked: str
    rows: tuple[LawRow, ...]


@dataclass(frozen=True, slots=True)
class EditionRequest:
    """What to build: a region, an edition and optionally an audience."""

    region: str
    edition: str
    audience: str | None = None
    status: Status | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class EditionModule:
    """One module as it appears in an edition."""

    number: int
    meta: ModuleMeta
    path: str
    part: str | None
    blocks: tuple[d.Block, ...]
    #: The language the module's text is in: the edition's, or the source language for a
    #: module without a translation (a fallback), which keeps its own direction, labels
    #: and variable values.
    language: str = "en"
    #: True when the module has no translation into the edition's language.
    fallback: bool = False

    @property
    def anchor(self) -> str:
        return f"module-{self.meta.id}"

    @property
    def direction(self) -> str:
        """``rtl`` for a module in a right-to-left language, else ``ltr``."""
        return "rtl" if is_rtl(self.language) else "ltr"


@dataclass(frozen=True, slots=True)
class Citation:
    """One article of one instrument, with the modules of the edition that cite it."""

    instrument: str
    article: str
    modules: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AssembledEdition:
    """Everything a writer needs, already filtered for the region, edition and audience."""

    request: EditionRequest
    manifest: Manifest
    region_name: str
    edition: EditionDefinition
    language: str
    modules: tuple[EditionModule, ...]
    date: datetime.date
    glossary: tuple[GlossaryEntry, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    #: The glossary's abbreviations that the edition's text uses, sorted.
    abbreviations: tuple[Abbreviation, ...] = ()
    #: A handout: one module, without cover, contents or back matter.
    compact: bool = False
    #: A compact edition that is a test paper, answer key or form (``assembly/testpaper.py``):
    #: no module facts or notes area; answer lines under questions that hide their answers.
    paper: bool = False
    #: Label catalogues the project provides (``labels/<language>.yaml``), by language,
    #: laid over trainkit's own.
    project_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: How trainkit writes its own numbers: ``western`` (0-9) or ``eastern`` (Arabic-Indic).
    digits: str = "western"
    #: The manifest in the source language (``manifest`` is in the edition's).
    original: Manifest | None = None
    #: Each module's title in the source language, by id (for fallback modules' links).
    source_titles: Mapping[str, str] = field(default_factory=dict)
    #: The national law annex: a table per country of the region (none without a
    #: ``regions/<id>/national-law.yaml``).
    national_law: tuple[CountryLawTable, ...] = ()

    @property
    def source_manifest(self) -> Manifest:
        return self.original if self.original is not None else self.manifest

    @property
    def direction(self) -> str:
        """``rtl`` for right-to-left languages, else ``ltr``."""
        return "rtl" if is_rtl(self.language) else "ltr"

    @property
    def draft(self) -> bool:
        return any(m.meta.status is not Status.APPROVED for m in self.modules)

    @property
    def slug(self) -> str:
        return manual_slug(self.manifest.slug, self.manifest.title)

    @property
    def total_minutes(self) -> int:
        return sum(module.meta.minutes for module in self.modules)

    @property
    def labels(self) -> dict[str, str]:
        return self.words_for(self.language)

    def words_for(self, language: str) -> dict[str, str]:
        """trainkit's words in ``language``: its catalogue with the project's over it."""
        return {**labels(language), **self.project_labels.get(language, {})}

    def numeral(self, value: int | str) -> str:
        """A number trainkit prints (module number, page label, date) in the edition's digits."""
        return localize_digits(str(value), self.digits)

    @property
    def back_prefix(self) -> str:
        """The back matter's page-label prefix: "A–" ("A" for annex), in the edition's
        words, so an Arabic edition's reads "ملحق–", not a Latin letter."""
        return self.labels["back-prefix"] + "\u2013"

    def module_words(self, module: EditionModule) -> dict[str, str]:
        """trainkit's words inside ``module``: in its own language (English in a fallback)."""
        return self.words_for(module.language)

    def module_title(self, module: EditionModule, within: EditionModule | None = None) -> str:
        """``Module 3: The legal framework`` in the edition's language and digits: the
        contents line, running head and bookmark (the apparatus); ``within`` a module in
        another language (a fallback), in that module's words and digits. Typeset as every
        format prints it: a no-break space after the word, the language's title separator."""
        language, words, title = self.language, self.labels, module.meta.title
        number: int | str = self.numeral(module.number)
        if within is not None and within.language != self.language:
            language, words, number = within.language, self.module_words(within), module.number
            if within.language == self.source_language:
                title = self.source_titles.get(module.meta.id, title)
        return module_title(language, number, title, words)

    def fallback_notice(self, module: EditionModule) -> str:
        """What opens a module without a translation, in the edition's language."""
        return self.labels["fallback-notice"].format(
            language=language_name(self.language, self.language),
            source=language_name(module.language, self.language))

    def fallback_mark(self, module: EditionModule) -> str:
        """How the contents mark a module without a translation: 'in English'."""
        return self.labels["fallback-mark"].format(
            source=language_name(module.language, self.language))

    def audiences_of(self, module: EditionModule) -> str:
        """The module's audiences as a list in prose, in the module's own language:
        "Prosecutors, judges and coast guards"."""
        manifest = (self.manifest if module.language == self.language
                    else self.source_manifest.in_language(module.language))
        names = [manifest.audiences.get(a, a) for a in module.meta.audiences]
        return audience_list(names, module.language)

    def file_stem(self) -> str:
        """``<slug>-<region>-<edition>[-<audience>]``; every part is a validated slug."""
        parts = [self.slug, self.request.region, self.request.edition]
        if self.request.audience:
            parts.append(self.request.audience)
        if self.language != self.source_language:
            parts.append(self.language)
        return "-".join(parts)

    @property
    def source_language(self) -> str:
        return self.manifest.language

    def citations(self) -> list[Citation]:
        """The legal index: instruments in manifest order, articles in natural order."""
        cited: dict[tuple[str, str], list[int]] = {}
        for module in self.modules:
            for reference in module.meta.legal_references:
                numbers = cited.setdefault((reference.instrument, reference.article), [])
                if module.number not in numbers:
                    numbers.append(module.number)
        order = list(self.manifest.instruments)
        keys = sorted(cited, key=lambda k: (_index(order, k[0]), _article_key(k[1])))
        return [Citation(self.manifest.instruments.get(k[0], k[0]), k[1], tuple(cited[k]))
                for k in keys]


def _index(order: list[str], item: str) -> int:
    return order.index(item) if item in order else len(order)


def _article_key(article: str) -> tuple[int, str]:
    digits = "".join(ch for ch in article.split("(")[0] if ch.isdigit())
    return (int(digits) if digits else 10_000, article)
