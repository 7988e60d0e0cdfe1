"""The ``coverage`` and ``test`` commands (issue 17) and how their results print.

``app.py`` registers them like its own commands (``command("coverage")(coverage)``). The
library is imported inside the functions, so ``trainkit --help`` loads none of it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from trainkit.cli import display
from trainkit.cli.options import HERE, EditionOption, Lang, Out, ProjectArg, Quiet, Region

if TYPE_CHECKING:
    from trainkit.commands.coverage import CoverageReport


class CoverageFormat(str, Enum):
    """How ``coverage`` reports."""

    text = "text"
    json = "json"


class PaperFormat(str, Enum):
    """The formats of test papers and forms."""

    pdf = "pdf"
    docx = "docx"


class Draw(str, Enum):
    """Which test to draw from the question pool."""

    pre = "pre"
    post = "post"


CoverageFormatOption = Annotated[CoverageFormat, typer.Option(
    "--format", "-f", help="A text report, or JSON for scripts.")]
PaperFormatOption = Annotated[PaperFormat, typer.Option(
    "--format", "-f", help="pdf or docx.")]
ModulesOption = Annotated[Optional[str], typer.Option(
    "--modules", "-m", help="Module ids, separated by commas (default: every module).")]
SeedOption = Annotated[int, typer.Option(
    "--seed", help="Seed of the shuffle and the draw: the same seed gives the same papers.")]
DrawOption = Annotated[Optional[Draw], typer.Option(
    "--draw", help="Draw a pre-test or a post-test from the pool; the two never overlap.")]
CountOption = Annotated[Optional[int], typer.Option(
    "--count", "-n", min=1, help="How many questions to draw (with --draw).")]
EvaluationOption = Annotated[bool, typer.Option(
    "--evaluation", help="Write the course evaluation form instead of a test.")]


def coverage(project: ProjectArg = HERE, region: Region = None, edition: EditionOption = None,
             output: CoverageFormatOption = CoverageFormat.text) -> None:
    """Show, per module, each learning objective and what assesses it; exit 1 if any
    objective is assessed by no question, exercise or case study."""
    from trainkit.commands.coverage import coverage_report

    report = coverage_report(project, region, edition)
    if output is CoverageFormat.json:
        display.write_json(report.to_data())
    else:
        show_coverage(report)
    raise typer.Exit(1 if report.uncovered else 0)


def show_coverage(report: CoverageReport) -> None:
    """The report as text: a module per paragraph, an objective per line."""
    lines: list[str] = []
    for module in report.modules:
        lines.append(f"Module {module.number}: {module.title} ({module.id})")
        for item in module.objectives:
            what = [f"question {q.number} {q.question.id} ({q.question.kind})"
                    for q in item.questions]
            what += [f"{x.kind} {x.number}" + (f" {x.title}" if x.title else "")
                     for x in item.activities]
            mark = "✓" if item.covered else "✗"
            lines.append(f"  {mark} {item.objective.number}. {item.objective.text}")
            lines.append("      " + ("; ".join(what) if what else "NOT ASSESSED"))
        lines.append("")
    count = report.uncovered
    total = sum(len(module.objectives) for module in report.modules)
    lines.append(f"{count} of {total} objective{'s' if total != 1 else ''} assessed by "
                 f"nothing ({report.region}, {report.edition} edition).")
    display.write_out("\n".join(lines) + "\n")


def test_paper(project: ProjectArg = HERE, region: Region = None, lang: Lang = None,
               modules: ModulesOption = None, output: PaperFormatOption = PaperFormat.pdf,
               seed: SeedOption = 1, draw: DrawOption = None, count: CountOption = None,
               evaluation: EvaluationOption = False, out: Out = None,
               quiet: Quiet = False) -> None:
    """Write a participant test paper and its answer key (or, with --evaluation, the
    course evaluation form) from the typed questions of a region's edition."""
    from trainkit.commands.testpaper import PaperOptions, write_papers
    from trainkit.errors import UsageError

    if (draw is None) != (count is None):
        raise UsageError("--draw and --count go together: e.g. --draw pre --count 10")
    ids = tuple(part.strip() for part in (modules or "").split(",") if part.strip())
    options = PaperOptions(region=region, language=lang, modules=ids, output_format=output.value,
                           seed=seed, draw=draw.value if draw else None, count=count,
                           evaluation=evaluation, out_dir=out)
    with display.progress(quiet) as progress:
        result = write_papers(project, options, progress)
    display.files(result.files, result.failures, quiet)
    raise typer.Exit(0 if not result.failures else 1)
