"""``trainkit handout`` as a library call: a participant handout of one module.

A handout is built on the document model, like an edition. The participant-style edition
of the region is assembled through ``assemble`` (an edition of the manifest that hides
trainer notes and answers; when the manifest has none, its default edition filtered by
``EditionFilter`` with those two kinds hidden), so regional variables and conditional
blocks apply exactly as in the participant's manual. Then the handout transform keeps
only what a handout shows, in this order:

1. key points;
2. case studies and exercises, in module order;
3. questions, without their answers, under "Check your understanding" (a decision:
   participants can prepare them in the notes area; answers are never in a handout).

Everything else (body prose, trainer notes, answers, and anything nested in a trainer
note) is gone before any writer runs, so it cannot reach a header, a bookmark or the
document properties. Cross-references become plain text: their targets are not in the
handout. The title, summary and learning objectives come from the module's front-matter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from trainkit import document as d
from trainkit.assemble import AssembledEdition, EditionModule, EditionRequest, assemble
from trainkit.build import EXTENSIONS, BuiltFile, Format
from trainkit.checked import (
    checked_project, manifest_of, meta_of, region_modules, region_or_default,
)
from trainkit.errors import RenderError, UsageError
from trainkit.output import output_path, project_out_dir
from trainkit.parsing import suggestion
from trainkit.resolver import ProjectResolver
from trainkit.schemas import Edition, Manifest
from trainkit.schemas.manifest import BlockKind
from trainkit.transforms.base import Transform
from trainkit.transforms.passes import Audience, EditionFilter
from trainkit.validate import Validation

#: Named blocks no handout ever shows.
HIDDEN_KINDS: frozenset[BlockKind] = frozenset({"trainer-note", "answer"})
#: The named blocks a handout shows, by group, in the order the groups are printed.
SHOWN_GROUPS: tuple[tuple[str, ...], ...] = (("key-points",), ("case-study", "exercise"),
                                             ("question",))
SHOWN_KINDS = frozenset(kind for group in SHOWN_GROUPS for kind in group)
#: Ruled lines of the notes area in DOCX handouts (HTML and PDF draw their own).
DOCX_NOTE_LINES = 12

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    """What the user asked for; None means the manifest's default."""

    modules: tuple[str, ...] = ()
    all_modules: bool = False
    region: str | None = None
    formats: tuple[Format, ...] | None = None
    out_dir: Path | None = None
    language: str | None = None


@dataclass(slots=True)
class HandoutResult:
    """The handouts written and the ones that failed to render."""

    files: list[BuiltFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


# -- the model -------------------------------------------------------------------------


class _InsideShownBlock(Transform):
    """Inside a block a handout shows: drops hidden nested blocks, unlinks references."""

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.NamedBlock) and node.kind not in SHOWN_KINDS:
            return ()
        return (self.descend(node),)

    def inline(self, node: d.Inline) -> tuple[d.Inline, ...]:
        if isinstance(node, d.CrossRef):
            return self.inlines(node.children)
        return (self.descend(node),)


def _collect(blocks: tuple[d.Block, ...], found: dict[str, list[d.Block]]) -> None:
    for node in blocks:
        if isinstance(node, d.NamedBlock):
            if node.kind in found:
                found[node.kind].extend(_InsideShownBlock().block(node))
            continue  # a block a handout does not show: nothing inside it is shown either
        if isinstance(node, (d.BlockQuote, d.Conditional)):
            _collect(node.blocks, found)
        elif isinstance(node, (d.BulletList, d.OrderedList)):
            for item in node.items:
                _collect(item.blocks, found)


def handout_blocks(blocks: tuple[d.Block, ...], words: dict[str, str]) -> tuple[d.Block, ...]:
    """The blocks of an assembled module that a handout shows, grouped and ordered."""
    found: dict[str, list[d.Block]] = {kind: [] for kind in SHOWN_KINDS}
    _collect(blocks, found)
    shown: list[d.Block] = []
    for group in SHOWN_GROUPS:
        members = blocks_in_order(found, group)
        if group == ("question",) and members:
            title = words["review-questions"]
            shown.append(d.Heading(2, (d.Text(title),), "review-questions"))
        shown.extend(members)
    return tuple(shown)


def blocks_in_order(found: dict[str, list[d.Block]], kinds: tuple[str, ...]) -> list[d.Block]:
    """The blocks of ``kinds``, in module order (their numbers follow it)."""
    blocks = [block for kind in kinds for block in found[kind]]
    return sorted(blocks, key=lambda b: b.line if isinstance(b, d.NamedBlock) else 0)


def notes_blocks(words: dict[str, str], lines: int = DOCX_NOTE_LINES) -> tuple[d.Block, ...]:
    """A notes area as model blocks: a heading and ruled lines (for DOCX handouts)."""
    rule = d.Paragraph((d.Text("_" * 64),))
    return (d.Heading(2, (d.Text(words["handout-notes"]),), "handout-notes"), *([rule] * lines))


def handout_edition(edition: AssembledEdition, module: EditionModule) -> AssembledEdition:
    """``edition`` reduced to the handout of one of its modules."""
    words = edition.labels
    hidden = Audience(edition.request.region, edition.request.edition, None, HIDDEN_KINDS)
    blocks = handout_blocks(EditionFilter(hidden).blocks(module.blocks), words)
    definition = Edition(title=words["handout"],
                         hide=sorted(HIDDEN_KINDS | set(edition.edition.hide)))
    alone = replace(module, blocks=blocks, part=None)  # no part title page for one module
    return replace(edition, edition=definition, modules=(alone,), glossary=(), compact=True)


# -- choosing the edition and the modules ----------------------------------------------


def participant_edition(manifest: Manifest) -> str:
    """The edition to assemble: one that hides trainer notes and answers, if there is one.

    The default edition comes first, then ``participant``, then the others in manifest
    order. Without any, the default edition is used (``handout_edition`` hides the two
    kinds itself, so its ``only edition=`` blocks are those of the default edition).
    """
    preferred = [manifest.output.edition or "", "participant", *manifest.editions]
    for edition_id in preferred:
        edition = manifest.editions.get(edition_id)
        if edition is not None and HIDDEN_KINDS <= set(edition.hide):
            return edition_id
    return manifest.output.edition or next(iter(manifest.editions))


def chosen_modules(validation: Validation, region: str, options: HandoutOptions) -> list[str]:
    """The module ids to make handouts of, checked against the region's edition."""
    in_region = [meta_of(p).id for p in region_modules(validation, region)]
    if options.all_modules:
        return in_region
    if not options.modules:
        raise UsageError("name the modules to make handouts of (their ids), or pass --all")
    everywhere = {m.meta.id for m in validation.project.modules.values() if m.meta}
    for module_id in options.modules:
        if module_id not in in_region:
            raise UsageError(_unknown_module(module_id, region, in_region, everywhere))
    return list(dict.fromkeys(options.modules))


def _unknown_module(module_id: str, region: str, in_region: list[str],
                    everywhere: set[str]) -> str:
    if module_id in everywhere:
        return (f"module `{module_id}` is not in the {region} edition "
                f"(its modules: {', '.join(in_region)})")
    hint = suggestion(module_id, in_region)
    return (f"unknown module `{module_id}`" + (f"; {hint}" if hint else "")
            + f" (modules of {region}: {', '.join(in_region)})")


# -- writing ---------------------------------------------------------------------------


def build_handouts(project_dir: Path, options: HandoutOptions,
                   progress: Progress = lambda step: None) -> HandoutResult:
    """Validate, assemble the region's participant-style edition, write each handout."""
    progress("Validating the project")
    validation = checked_project(project_dir)
    manifest = manifest_of(validation)
    region = region_or_default(validation, options.region)
    module_ids = chosen_modules(validation, region, options)
    edition_id = participant_edition(manifest)
    progress("Assembling the edition")
    edition = assemble(validation.project, EditionRequest(region, edition_id,
                                                          language=options.language))
    by_id = {module.meta.id: module for module in edition.modules}
    out_dir = options.out_dir or project_out_dir(validation.project.root,
                                                 manifest.output.out_dir)
    result = HandoutResult()
    for module_id in module_ids:
        handout = handout_edition(edition, by_id[module_id])
        for output_format in options.formats or tuple(manifest.output.formats):
            progress(f"Writing the {output_format.upper()} handout of {module_id}")
            _write(handout, validation.project.resolver, output_format, out_dir, result)
    return result


def handout_file_name(edition: AssembledEdition, output_format: str) -> str:
    """``<slug>-<region>-handout-<module-id>.<ext>``."""
    module_id = edition.modules[0].meta.id
    extension = EXTENSIONS[output_format]
    suffix = f"-{edition.language}" if edition.language != edition.source_language else ""
    return f"{edition.slug}-{edition.request.region}-handout-{module_id}{suffix}{extension}"


def _write(handout: AssembledEdition, resolver: ProjectResolver, output_format: str,
           out_dir: Path, result: HandoutResult) -> None:
    target = output_path(out_dir, handout_file_name(handout, output_format))
    started = time.perf_counter()
    try:
        pages = _writer(output_format)(handout, resolver, target)
    except RenderError as error:
        result.failures.append(str(error))
        return
    result.files.append(BuiltFile(target, output_format, pages, target.stat().st_size,
                                  time.perf_counter() - started))


Writer = Callable[[AssembledEdition, ProjectResolver, Path], "int | None"]


def _writer(output_format: str) -> Writer:
    if output_format == "html":
        from trainkit.writers.handout import write_handout_html

        return write_handout_html
    if output_format == "pdf":
        from trainkit.writers.handout import write_handout_pdf

        return write_handout_pdf
    if output_format == "docx":
        return _write_docx
    raise RenderError(f"unknown output format `{output_format}`")


def _write_docx(handout: AssembledEdition, resolver: ProjectResolver, target: Path) -> int | None:
    from trainkit.writers.docx import write_docx

    module = handout.modules[0]
    with_notes = replace(module, blocks=(*module.blocks, *notes_blocks(handout.labels)))
    pages: int | None = write_docx(replace(handout, modules=(with_notes,)), resolver, target)
    return pages
