"""The review workflow: build only from approved modules, and review copies.

- ``trainkit build --status approved`` fails, naming every module of the edition whose
  status is not ``approved`` (and its status), and builds nothing: a release is never
  silently missing a module. ``--drop-others`` leaves those modules out instead.
- ``trainkit build --review`` writes a review copy (``<stem>-review.<ext>``): at the
  start of each module, before its first section, a table gives the module's version,
  status, reviewers and last review date. It is added to the document model, so every
  format (PDF, HTML, DOCX) shows it.
"""

from __future__ import annotations

from dataclasses import replace

from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.errors import ContentError
from trainkit.labels import format_date
from trainkit.schemas import Status

#: Appended to the file name of a review copy.
REVIEW_SUFFIX = "-review"


def modules_not_in_status(edition: AssembledEdition, status: Status) -> list[EditionModule]:
    """The modules of ``edition`` whose status is not ``status``."""
    return [module for module in edition.modules if module.meta.status is not status]


def require_status(edition: AssembledEdition, status: Status) -> None:
    """``ContentError`` naming each module whose status is not ``status``."""
    others = modules_not_in_status(edition, status)
    if others:
        where = f"the {edition.request.region} {edition.request.edition} edition"
        raise status_error(others, status, where)


def status_error(others: list[EditionModule], status: Status, where: str) -> ContentError:
    """The error listing ``others``, the modules of ``where`` not in ``status``."""
    listed = "; ".join(f"{m.meta.id} is {m.meta.status.value} ({m.path})" for m in others)
    count = len(others)
    return ContentError(
        f"{count} module{'s' if count != 1 else ''} of {where} "
        f"{'are' if count != 1 else 'is'} not {status.value}: {listed}; nothing was built "
        f"(set their status to {status.value}, or pass --drop-others to leave them out)")


def _cell(text: str) -> tuple[d.Inline, ...]:
    return (d.Text(text),)


def review_table(module: EditionModule, words: dict[str, str], language: str) -> d.Table:
    """Version, status, reviewers and last review date of one module, as a table."""
    meta = module.meta
    reviewed = (format_date(meta.last_reviewed, language) if meta.last_reviewed
                else words["not-reviewed"])
    header = tuple(_cell(words[key]) for key in ("version", "status", "reviewers",
                                                 "last-reviewed"))
    row = (_cell(meta.version), _cell(meta.status.value),
           _cell(", ".join(meta.reviewers) or "—"), _cell(reviewed))
    return d.Table(header, (row,), ("", "", "", ""))


def with_review_tables(edition: AssembledEdition) -> AssembledEdition:
    """``edition`` with a review table at the start of every module."""
    words = edition.labels
    modules = tuple(
        replace(module, blocks=(review_table(module, words, edition.language), *module.blocks))
        for module in edition.modules)
    return replace(edition, modules=modules)
