"""``trainkit test`` as a library call: a test paper and its answer key, or the course
evaluation form, for one region's edition.

Two editions are assembled: the participant-style one (``handout.participant_edition``)
gives the prompts and the objectives, and one that keeps answers (the default edition if
it does, else ``trainer``, else the first that does) gives the answers for the key. Both
papers go through ``writers.dispatch.write_one``, which writes each file atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from trainkit.assembly.assessment import edition_questions
from trainkit.assembly.edition import assemble
from trainkit.assembly.evaluation import evaluation_blocks
from trainkit.assembly.handout import participant_edition
from trainkit.assembly.testpaper import DrawKind, drawn, paper_blocks, paper_edition, pool_items
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.errors import RenderError, UsageError, unknown_choice
from trainkit.files import output_path
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.model.formats import EXTENSIONS
from trainkit.schemas import Manifest
from trainkit.writers.dispatch import BuiltFile, write_one

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PaperOptions:
    """What the user asked for; None means the manifest's default."""

    region: str | None = None
    language: str | None = None
    modules: tuple[str, ...] = ()
    output_format: str = "pdf"
    seed: int = 1
    draw: DrawKind | None = None
    count: int | None = None
    evaluation: bool = False
    out_dir: Path | None = None


@dataclass(slots=True)
class PaperResult:
    """The files written and the ones that failed to render."""

    files: list[BuiltFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def answer_edition(manifest: Manifest) -> str:
    """The edition whose questions keep their answers: the default, ``trainer``, or the
    first in manifest order that does not hide ``answer`` blocks."""
    for edition_id in (manifest.output.edition or "", "trainer", *manifest.editions):
        edition = manifest.editions.get(edition_id)
        if edition is not None and "answer" not in edition.hide:
            return edition_id
    raise UsageError("every edition hides the answers, so there is nothing to make an answer "
                     "key from; add an edition without `hide: [answer]` (e.g. `trainer`)")


def only_modules(edition: AssembledEdition, ids: tuple[str, ...]) -> AssembledEdition:
    """``edition`` with only the modules ``ids`` (all of them when empty)."""
    if not ids:
        return edition
    known = [module.meta.id for module in edition.modules]
    for module_id in ids:
        if module_id not in known:
            raise unknown_choice("module", module_id, known)
    return replace(edition, modules=tuple(m for m in edition.modules if m.meta.id in ids))


def write_papers(project_dir: Path, options: PaperOptions,
                 progress: Progress = lambda step: None) -> PaperResult:
    """Validate, assemble, and write the test paper and key (or the evaluation form)."""
    progress("Validating the project")
    valid = require_valid(project_dir)
    region = valid.region_or_default(options.region)
    progress("Assembling the edition")
    participant = only_modules(assemble(valid, EditionRequest(
        region, participant_edition(valid.manifest), language=options.language)),
        options.modules)
    summary = "; ".join(participant.module_title(m) for m in participant.modules)
    words = participant.labels
    result = PaperResult()
    if options.evaluation:
        form = paper_edition(participant, words["evaluation"], summary,
                             evaluation_blocks(participant), answers=False)
        _write(form, valid, "evaluation", options, result, progress)
        return result
    key_edition = only_modules(assemble(valid, EditionRequest(
        region, answer_edition(valid.manifest), language=options.language)), options.modules)
    items = pool_items(edition_questions(participant), edition_questions(key_edition))
    if not items:
        raise UsageError(f"the {region} edition has no questions to make a test of")
    if options.draw is not None:
        items = drawn(items, options.draw, options.count or len(items), options.seed)
    kind = f"{options.draw}-test" if options.draw else "test-paper"
    paper, key = paper_blocks(items, options.seed, words)
    title = words[kind]
    stem = f"{options.draw}-test" if options.draw else "test"
    _write(paper_edition(participant, title, summary, paper, answers=False), valid, stem,
           options, result, progress)
    _write(paper_edition(participant, f"{title}{words['title-separator']}{words['answer-key']}", summary, key,
                         answers=True), valid, f"{stem}-key", options, result, progress)
    return result


def paper_file_name(edition: AssembledEdition, stem: str, output_format: str) -> str:
    """``<slug>-<region>-<stem>[-<language>].<ext>``."""
    suffix = f"-{edition.language}" if edition.language != edition.source_language else ""
    return f"{edition.slug}-{edition.request.region}-{stem}{suffix}{EXTENSIONS[output_format]}"


def _write(edition: AssembledEdition, valid: ValidProject, stem: str, options: PaperOptions,
           result: PaperResult, progress: Progress) -> None:
    progress(f"Writing {stem}.{options.output_format}")
    out_dir = valid.out_dir(options.out_dir)
    target = output_path(out_dir, paper_file_name(edition, stem, options.output_format))
    try:
        result.files.append(write_one(edition, valid.resolver, options.output_format, target))
    except RenderError as error:
        result.failures.append(str(error))
