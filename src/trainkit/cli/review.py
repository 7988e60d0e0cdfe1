"""``trainkit review``: export a copy for reviewers, import their comments and changes,
apply the plain-text ones, approve a module.

The sub-app is added to the main app in ``app.py``; every command runs inside
``errors.handled`` like the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer

from trainkit.cli import display
from trainkit.cli.errors import handled
from trainkit.cli.options import (
    HERE, AudienceOption, EditionOption, Lang, Out, ProjectArg, Region, ReportFormat,
    ReportFormatOption,
)
from trainkit.errors import UsageError

if TYPE_CHECKING:
    from trainkit.commands.review_apply import ApplyResult

review_app = typer.Typer(
    name="review",
    help="Expert review through Word: export a copy, import comments and changes, approve.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Command = TypeVar("Command", bound=Callable[..., None])


def review_command(name: str) -> Callable[[Command], Command]:
    def register(function: Command) -> Command:
        wrapped = handled()(function)
        review_app.command(name)(wrapped)
        return wrapped
    return register


ReviewModules = Annotated[Optional[list[str]], typer.Option(
    "--module", "-m", metavar="ID", help="Only this module; repeat for several (default: all).")]
ReviewFiles = Annotated[list[Path], typer.Argument(
    metavar="[DIR] FILE.docx...", show_default=False,
    help="The project folder (default: the current folder), then the reviewed copies.")]
Apply = Annotated[bool, typer.Option(
    "--apply", help="Write tracked changes in plain text back into the Markdown source.")]
NoLog = Annotated[bool, typer.Option("--no-log", help="Write no review log to reviews/.")]
ApproveArgs = Annotated[list[str], typer.Argument(
    metavar="[DIR] MODULE_ID", show_default=False,
    help="The project folder (default: the current folder), then the module's id.")]
Reviewer = Annotated[str, typer.Option("--reviewer", help="Who approves the module.")]
ReviewDate = Annotated[Optional[str], typer.Option(
    "--date", metavar="YYYY-MM-DD", help="The date of the review (default: today).")]


def _is_project(path: Path) -> bool:
    return (path / "trainkit.yaml").is_file()


@review_command("export")
def export(project: ProjectArg = HERE, region: Region = None, edition: EditionOption = None,
           audience: AudienceOption = None, lang: Lang = None, modules: ReviewModules = None,
           out: Out = None) -> None:
    """Write a DOCX for reviewers: review facts per module, numbered lines, source anchors."""
    from trainkit.commands.review_export import ExportOptions, export_review

    result = export_review(project, ExportOptions(region, edition, audience, lang,
                                                  tuple(modules or ()), out))
    display.paths([result.path])


@review_command("import")
def import_command(files: ReviewFiles, report_format: ReportFormatOption = ReportFormat.text,
                   apply: Apply = False, no_log: NoLog = False) -> None:
    """Report the comments and tracked changes of reviewed copies at their source lines."""
    from trainkit.commands.review_import import (
        format_github, format_json, format_text, import_reviews,
    )
    from trainkit.commands.review_log import write_log

    project, docx = (files[0], files[1:]) if files and files[0].is_dir() else (HERE, files)
    if not _is_project(project):
        raise UsageError(f"no trainkit.yaml in {project}; give the project folder first")
    result = import_reviews(project, docx)
    if report_format is ReportFormat.json:
        display.write_json_text(format_json(result) + "\n")
    elif report_format is ReportFormat.github:
        display.write_out(format_github(result.items) + ("\n" if result.items else ""))
    else:
        display.write_out(format_text(result.items) + ("\n" if result.items else ""))
    machine = report_format is not ReportFormat.text
    if not no_log:
        _note(f"Review log: {write_log(project, result)}", machine)
    _note(_counts(result.items), machine)
    if apply:
        from trainkit.commands.review_apply import apply_changes

        _applied(apply_changes(project, result), machine)


def _note(message: str, machine: bool) -> None:
    (display.errors_console if machine else display.console).print(message)


def _counts(items: Sequence[object]) -> str:
    kinds = [getattr(item, "kind", "") for item in items]
    comments = sum(kind in ("comment", "reply") for kind in kinds)
    return f"{comments} comment{'s' if comments != 1 else ''} and " \
           f"{len(kinds) - comments} tracked change{'s' if len(kinds) - comments != 1 else ''}."


def _applied(outcome: ApplyResult, machine: bool) -> None:
    for edit in outcome.applied:
        item = edit.item
        what = {"insert": f'inserted "{item.suggestion}"', "delete": f'deleted "{item.text}"',
                "replace": f'replaced "{item.text}" with "{item.suggestion}"'}[item.kind]
        _note(f"applied {item.path}:{edit.line}:{edit.start + 1}: {what}", machine)
    for item, reason in outcome.skipped:
        _note(f"not applied {item.where()}: {item.kind} \"{item.text or item.suggestion}\": "
              f"{reason}", machine)
    files = len(outcome.files)
    _note(f"Applied {len(outcome.applied)} change{'s' if len(outcome.applied) != 1 else ''} "
          f"to {files} file{'s' if files != 1 else ''}; {len(outcome.skipped)} left to do "
          "by hand.", machine)


@review_command("approve")
def approve(arguments: ApproveArgs, reviewer: Reviewer, date: ReviewDate = None) -> None:
    """Record a reviewer's approval in a module's front-matter (status, reviewers, date)."""
    from trainkit.commands.review_approve import approve as approve_module

    if len(arguments) > 2 or (len(arguments) == 2 and not Path(arguments[0]).is_dir()):
        raise UsageError("give [DIR] MODULE_ID: one module to approve")
    project = Path(arguments[0]) if len(arguments) == 2 else HERE
    try:
        day = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        raise UsageError(f"--date {date}: write the date as YYYY-MM-DD") from None
    approval = approve_module(project, arguments[-1], reviewer, day)
    display.console.print(f"{approval.path}: {'; '.join(approval.changed)}")
