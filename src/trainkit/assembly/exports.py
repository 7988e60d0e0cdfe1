"""The two editions an export of questions is made from (Moodle, GIFT, SCORM).

Both are the region's participant edition (``handout.participant_edition``: the edition
that hides trainer notes and answers), assembled through ``assemble`` so its conditional
blocks, variables and adaptations apply as in the participant's manual:

- ``text``: exactly what participants read, trainer notes and answers hidden even if the
  chosen edition forgot one of them (the SCORM package's module text);
- ``keyed``: the same edition, trainer notes still hidden, but the answers of the
  questions kept, because a learning platform marks them: the correct options, accepted
  answers, feedback and model answers. Nothing inside a trainer note (nested in a
  question, an option's feedback or an ``::: answer`` block) survives either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from trainkit.assembly.edition import assemble
from trainkit.assembly.handout import participant_edition
from trainkit.checks.validate import ValidProject
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.schemas import Manifest

TRAINER_ONLY = "trainer-note"
ANSWERS = "answer"


@dataclass(frozen=True, slots=True)
class ExportEditions:
    """The participant text and the same edition with the questions' answers."""

    text: AssembledEdition
    keyed: AssembledEdition


def _with_hidden(manifest: Manifest, edition_id: str, hide: set[str],
                 keep: set[str]) -> Manifest:
    definition = manifest.editions[edition_id]
    hidden = sorted((set(definition.hide) | hide) - keep)
    changed = definition.model_copy(update={"hide": hidden})
    return manifest.model_copy(update={"editions": {**manifest.editions, edition_id: changed}})


def export_editions(valid: ValidProject, region: str, language: str | None = None,
                    today: datetime.date | None = None) -> ExportEditions:
    """The participant edition of ``region`` as text, and with its answers (``keyed``)."""
    edition_id = participant_edition(valid.manifest)
    request = EditionRequest(region, edition_id, language=language)
    text_project = replace(valid, manifest=_with_hidden(
        valid.manifest, edition_id, {TRAINER_ONLY, ANSWERS}, set()))
    keyed_project = replace(valid, manifest=_with_hidden(
        valid.manifest, edition_id, {TRAINER_ONLY}, {ANSWERS}))
    return ExportEditions(assemble(text_project, request, today),
                          assemble(keyed_project, request, today))
