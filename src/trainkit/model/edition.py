"""The assembled edition: what every writer walks, already filtered and numbered.

``trainkit.assembly`` builds it; writers only read it. Nothing a region, an edition or an
audience drops is in it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from trainkit.diagnostics import Diagnostic
from trainkit.fonts import is_rtl
from trainkit.labels import labels
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

    @property
    def anchor(self) -> str:
        return f"module-{self.meta.id}"


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
        return labels(self.language)

    def audiences_of(self, module: EditionModule) -> str:
        """The module's audiences as a list in prose: "Prosecutors, judges and coast guards"."""
        names = [self.manifest.audiences.get(a, a) for a in module.meta.audiences]
        return audience_list(names, self.language)

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
