"""What ``init``, ``new module``, ``matrix``, ``preview`` and ``--preflight`` print
(``display.py`` holds the rest, and the consoles)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from trainkit.cli.display import (
    _WARNING, DOCUMENT_FORMATS, _here, _machine_report, console, errors_console,
)
from trainkit.cli.display import findings, write_json, write_out

if TYPE_CHECKING:
    from trainkit.commands.preview import PreviewBuild
    from trainkit.commands.scaffold import NewModule
    from trainkit.writers.pdf.preflight import LayoutFinding


def initialised(target: Path, written: Sequence[Path]) -> None:
    """What ``init`` wrote, and what to run next."""
    for path in written:
        console.print(str(path))
    folder = "" if target == Path(".") else f" {target}"
    console.print(f"\nA new trainkit project: {len(written)} files. Next:\n"
                  f"  trainkit validate{folder} --strict\n"
                  f"  trainkit build{folder} --format pdf\n"
                  f"  trainkit new module \"Title\"{folder}")


def new_module(made: NewModule) -> None:
    """The module file ``new module`` wrote and the manifest line it added."""
    console.print(str(made.path))
    console.print(f"added to the manifest at line {made.manifest_line} "
                  f"(module id: {made.module_id})")


def ci_matrix(matrix: dict[str, object], output: str) -> None:
    """The build matrix: pretty JSON, or one ``matrix=<json>`` line for $GITHUB_OUTPUT."""
    if output == "github":
        write_out("matrix=" + json.dumps(matrix, separators=(",", ":")) + "\n")
    else:
        write_json(matrix)


def preview_built(build: PreviewBuild) -> None:
    """One preview build: what changed, and whether the page shows the edition or errors."""
    changed = f" ({', '.join(build.changed)})" if build.changed else ""
    if build.error is None:
        errors_console.print(Text(f"built in {build.seconds:.1f} s{changed}", style="dim"))
    else:
        errors_console.print(Text(f"the project has errors{changed}; the page lists them",
                                  style=_WARNING))


def serving(url: str) -> None:
    """Where the preview is served."""
    console.print(f"Preview at {url} (Ctrl-C stops)")


def layout(found: dict[Path, list[LayoutFinding]], root: Path | None, report: str) -> None:
    """The ``--preflight`` findings of each PDF checked, located to its page (the PDF's
    path, the page's position in it as the line); "no layout findings" when clean. A
    ``report`` that is one JSON document (json, sarif) is printed even when nothing was
    checked."""
    if not found:
        if report in DOCUMENT_FORMATS:
            _machine_report([], report)
        return
    from trainkit.writers.pdf.preflight import layout_diagnostics

    within = {_within(path, root): findings for path, findings in found.items()}
    diagnostics = _here(layout_diagnostics(within), {}, root)[0]
    if report != "text":
        _machine_report(diagnostics, report)
    elif diagnostics:
        findings(diagnostics, {}, errors_console)
    else:
        errors_console.print(Text(f"preflight: no layout findings in {len(found)} PDF(s)",
                                  style="green"))



def _within(path: Path, root: Path | None) -> Path:
    """``path`` relative to the project ``root`` when it is inside it, as the paths of
    diagnostics are; else as it is."""
    if root is None:
        return path
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path
