"""``trainkit export``: the questions for a learning platform, as a Moodle question bank
(Moodle XML and GIFT) or as SCORM 1.2 packages.

The sub-app is added to the main app in ``app.py``; every command runs inside
``errors.handled`` (exit 0 written, 1 project errors or a failed write, 2 usage errors).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer
from rich.text import Text

from trainkit.cli import display
from trainkit.cli.errors import handled
from trainkit.cli.examples import epilog
from trainkit.cli.options import HERE, Lang, Out, ProjectArg, Quiet, Region

if TYPE_CHECKING:
    from trainkit.commands.export import ExportedFile

export_app = typer.Typer(
    name="export",
    help="Questions for a learning platform: a Moodle question bank, SCORM 1.2 packages.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Command = TypeVar("Command", bound=Callable[..., None])


def export_command(name: str) -> Callable[[Command], Command]:
    def register(function: Command) -> Command:
        wrapped = handled()(function)
        export_app.command(name, epilog=epilog(name))(wrapped)
        return wrapped
    return register


class BankFormat(str, Enum):
    """The files of a Moodle question bank."""

    xml = "xml"
    gift = "gift"


class Per(str, Enum):
    """What one SCORM package holds."""

    module = "module"
    edition = "edition"


BankFormats = Annotated[Optional[list[BankFormat]], typer.Option(
    "--format", "-f", help="xml (Moodle XML) or gift; repeat for both (default: both).")]
PerOption = Annotated[Per, typer.Option(
    "--per", help="One package per module, or one for the whole edition.")]


def _percentage(value: float) -> float:
    """A score from 0 to 100, refused in plain words otherwise."""
    if not 0 <= value <= 100:
        raise typer.BadParameter(f"{value:g} is not allowed: it must be between 0 and 100.")
    return value


Mastery = Annotated[float, typer.Option(
    "--mastery", metavar="SCORE", callback=_percentage,
    help="The score (0-100 %) that passes a quiz; the LMS may set its own.")]


def _written(files: Sequence[ExportedFile], quiet: bool, what: str) -> None:
    for exported in files:
        display.console.print(str(exported.path))
        if not quiet:
            display.errors_console.print(Text(f"  {exported.questions} {what}", style="dim"))


@export_command("moodle")
def moodle(project: ProjectArg = HERE, region: Region = None, lang: Lang = None,
           formats: BankFormats = None, out: Out = None, quiet: Quiet = False) -> None:
    """Write the participant edition's questions as a Moodle question bank.

    A category per module; every typed question with its answers and feedback, images
    embedded. Trainer notes never reach the bank.
    """
    from trainkit.commands.export import MOODLE_FORMATS, ExportOptions, export_moodle

    chosen = tuple(f.value for f in formats) if formats else MOODLE_FORMATS
    options = ExportOptions(region=region, language=lang, out_dir=out, formats=chosen)
    with display.progress(quiet) as progress:
        result = export_moodle(project, options, progress)
    _written(result.files, quiet, "questions")


@export_command("scorm")
def scorm(project: ProjectArg = HERE, region: Region = None, lang: Lang = None,
          per: PerOption = Per.module, mastery: Mastery = 80.0, out: Out = None,
          quiet: Quiet = False) -> None:
    """Write SCORM 1.2 packages: each module's participant text and a quiz of its
    questions that reports score and pass/fail to the LMS. Nothing loads from the network.
    """
    from trainkit.commands.export import ExportOptions, export_scorm

    options = ExportOptions(region=region, language=lang, out_dir=out, per=per.value,
                            mastery=mastery)
    with display.progress(quiet) as progress:
        result = export_scorm(project, options, progress)
    _written(result.files, quiet, "quiz questions")
