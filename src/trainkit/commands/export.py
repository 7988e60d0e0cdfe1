"""``trainkit export moodle`` and ``trainkit export scorm`` as library calls.

Both validate the project and assemble the region's participant edition twice
(``assembly/exports.py``): the text participants read, and the same edition with the
answers of its typed questions, which a learning platform needs to mark them. Moodle gets
a question bank (Moodle XML and GIFT), a SCORM 1.2 LMS one zip per module or one for the
whole edition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from trainkit.assembly.exports import ExportEditions, export_editions
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.errors import ContentError, RenderError, UsageError
from trainkit.files import describe_os_error, output_path
from trainkit.model.edition import AssembledEdition

if TYPE_CHECKING:
    from trainkit.writers.exports.scorm import ScormPackage

Progress = Callable[[str], None]
Per = Literal["module", "edition"]
PER_CHOICES: tuple[Per, ...] = ("module", "edition")
MOODLE_FORMATS = ("xml", "gift")
#: The mastery score when none is given: a common pass mark in LMS courses.
DEFAULT_MASTERY = 80.0


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What the user asked for; None means the manifest's default."""

    region: str | None = None
    language: str | None = None
    out_dir: Path | None = None
    formats: tuple[str, ...] = MOODLE_FORMATS
    per: Per = "module"
    mastery: float = DEFAULT_MASTERY


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """One file written and how many questions it carries."""

    path: Path
    questions: int


@dataclass(slots=True)
class ExportResult:
    files: list[ExportedFile] = field(default_factory=list)


def _editions(project_dir: Path, options: ExportOptions,
              progress: Progress) -> tuple[ValidProject, str, ExportEditions]:
    progress("Validating the project")
    valid = require_valid(project_dir)
    region = valid.region_or_default(options.region)
    progress("Assembling the participant edition")
    return valid, region, export_editions(valid, region, options.language)


def file_stem(edition: AssembledEdition, what: str) -> str:
    """``<manual>-<region>-<what>``, with ``-<language>`` after it off the source language."""
    suffix = f"-{edition.language}" if edition.language != edition.source_language else ""
    return f"{edition.slug}-{edition.request.region}-{what}{suffix}"


def _question_count(edition: AssembledEdition) -> int:
    from trainkit.writers.exports.content import edition_questions

    return sum(len(group.questions) for group in edition_questions(edition))


def export_moodle(project_dir: Path, options: ExportOptions,
                  progress: Progress = lambda step: None) -> ExportResult:
    """Write the question bank of the region's participant edition as Moodle XML and GIFT."""
    for chosen in options.formats:
        if chosen not in MOODLE_FORMATS:
            raise UsageError(f"unknown question bank format `{chosen}` "
                             f"(known: {', '.join(MOODLE_FORMATS)})")
    valid, region, editions = _editions(project_dir, options, progress)
    keyed = editions.keyed
    if not _question_count(keyed):
        raise ContentError(f"the {region} edition has no questions to export; write them as "
                           "`::: question` blocks (docs/format.md, Typed questions)")
    from trainkit.writers.exports.gift import write_gift
    from trainkit.writers.exports.moodle import write_moodle_xml

    writers = {"xml": (write_moodle_xml, "moodle.xml"), "gift": (write_gift, "gift.txt")}
    out_dir = valid.out_dir(options.out_dir)
    result = ExportResult()
    for chosen in dict.fromkeys(options.formats):
        writer, ending = writers[chosen]
        what, extension = ending.split(".")
        target = output_path(out_dir, f"{file_stem(keyed, what)}.{extension}")
        progress(f"Writing {target.name}")
        count = _guarded(lambda: writer(keyed, valid.resolver, target), target)
        result.files.append(ExportedFile(target, count))
    return result


def _guarded(write: Callable[[], int], target: Path) -> int:
    """``write()``, with a file-system error as a ``RenderError`` naming ``target``."""
    try:
        return write()
    except OSError as error:
        raise RenderError(describe_os_error(error, target)) from error


def export_scorm(project_dir: Path, options: ExportOptions,
                 progress: Progress = lambda step: None) -> ExportResult:
    """Write SCORM 1.2 packages of the region's participant edition: one per module, or
    one for the edition."""
    if not 0 <= options.mastery <= 100:
        raise UsageError(f"the mastery score must be between 0 and 100, not {options.mastery:g}")
    if options.per not in PER_CHOICES:
        raise UsageError(f"unknown package split `{options.per}` (known: module, edition)")
    valid, _, editions = _editions(project_dir, options, progress)
    from trainkit.writers.exports.scorm import write_scorm

    out_dir = valid.out_dir(options.out_dir)
    result = ExportResult()
    for name, package in scorm_packages(editions, options):
        target = output_path(out_dir, name)
        progress(f"Writing {target.name}")
        _guarded(lambda: write_scorm(editions.text, package, valid.resolver, target), target)
        questions = sum(len(unit.questions.gradable) for unit in package.modules)
        result.files.append(ExportedFile(target, questions))
    return result


def scorm_packages(editions: ExportEditions,
                   options: ExportOptions) -> list[tuple[str, ScormPackage]]:
    """Each package to write, with its file name."""
    from trainkit.writers.exports.content import edition_questions
    from trainkit.writers.exports.scorm import ScormModule, ScormPackage

    text = editions.text
    by_id = {group.module.meta.id: group for group in edition_questions(editions.keyed)}
    units = [ScormModule(module, by_id[module.meta.id]) for module in text.modules]
    manual = f"trainkit-{text.slug}-{text.request.region}-{text.language}"
    if options.per == "edition":
        title = text.manifest.title
        package = ScormPackage(manual, title, tuple(units), options.mastery)
        return [(f"{file_stem(text, 'scorm')}.zip", package)]
    return [(f"{file_stem(text, 'scorm-' + unit.folder)}.zip",
             ScormPackage(f"{manual}-{unit.folder}", unit.questions.title, (unit,),
                          options.mastery))
            for unit in units]
