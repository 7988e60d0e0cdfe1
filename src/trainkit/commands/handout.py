"""``trainkit handout`` as a library call: a participant handout of one module.

The handout itself is assembled by ``trainkit.assembly.handout``; this module chooses the
region, edition and modules, and writes each handout in each format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trainkit.assembly.edition import assemble
from trainkit.assembly.handout import handout_edition, participant_edition
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.errors import RenderError, UsageError, unknown_choice
from trainkit.files import output_path
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.model.formats import EXTENSIONS, OutputFormat
from trainkit.writers.dispatch import BuiltFile, write_one

if TYPE_CHECKING:
    from trainkit.writers.pdf.preflight import LayoutFinding

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    """What the user asked for; None means the manifest's default."""

    modules: tuple[str, ...] = ()
    all_modules: bool = False
    region: str | None = None
    formats: tuple[OutputFormat, ...] | None = None
    out_dir: Path | None = None
    language: str | None = None
    #: Read each PDF written back and report its layout problems (``preflight``).
    preflight: bool = False


@dataclass(slots=True)
class HandoutResult:
    """The handouts written and the ones that failed to render."""

    files: list[BuiltFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: With ``HandoutOptions.preflight``: the layout findings of each PDF, by path.
    preflight: dict[Path, list[LayoutFinding]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def chosen_modules(valid: ValidProject, region: str, options: HandoutOptions) -> list[str]:
    """The module ids to make handouts of, checked against the region's edition."""
    in_region = [placed.meta.id for placed in valid.modules_of(region)]
    if options.all_modules:
        return in_region
    if not options.modules:
        raise UsageError("name the modules to make handouts of (their ids), or pass --all")
    everywhere = {m.meta.id for m in valid.project.modules.values() if m.meta}
    for module_id in options.modules:
        if module_id in everywhere and module_id not in in_region:
            raise UsageError(f"module `{module_id}` is not in the {region} edition "
                             f"(its modules: {', '.join(in_region)})")
        if module_id not in in_region:
            raise unknown_choice("module", module_id, in_region)
    return list(dict.fromkeys(options.modules))


# -- writing ---------------------------------------------------------------------------


def build_handouts(project_dir: Path, options: HandoutOptions,
                   progress: Progress = lambda step: None) -> HandoutResult:
    """Validate, assemble the region's participant-style edition, write each handout."""
    progress("Validating the project")
    valid = require_valid(project_dir)
    region = valid.region_or_default(options.region)
    module_ids = chosen_modules(valid, region, options)
    progress("Assembling the edition")
    request = EditionRequest(region, participant_edition(valid.manifest),
                             language=options.language)
    edition = assemble(valid, request)
    by_id = {module.meta.id: module for module in edition.modules}
    out_dir = valid.out_dir(options.out_dir)
    result = HandoutResult()
    for module_id in module_ids:
        for output_format in options.formats or tuple(valid.manifest.output.formats):
            progress(f"Writing the {output_format.upper()} handout of {module_id}")
            handout = handout_edition(edition, by_id[module_id])
            _write(handout, valid, output_format, out_dir, result, options.preflight)
    return result


def handout_file_name(edition: AssembledEdition, output_format: str) -> str:
    """``<slug>-<region>-handout-<module-id>.<ext>``."""
    module_id = edition.modules[0].meta.id
    extension = EXTENSIONS[output_format]
    suffix = f"-{edition.language}" if edition.language != edition.source_language else ""
    return f"{edition.slug}-{edition.request.region}-handout-{module_id}{suffix}{extension}"


def _write(handout: AssembledEdition, valid: ValidProject, output_format: str,
           out_dir: Path, result: HandoutResult, preflight: bool) -> None:
    target = output_path(out_dir, handout_file_name(handout, output_format))
    try:
        built = write_one(handout, valid.resolver, output_format, target)
    except RenderError as error:
        result.failures.append(str(error))
        return
    result.files.append(built)
    if preflight and output_format == "pdf":
        from trainkit.writers.pdf.preflight import check_pdf

        result.preflight[built.path] = check_pdf(built.path)
