"""Review logs (``reviews/*.md``, written by ``trainkit review import``), validated.

A log is project data like a module: its front-matter must match the ``ReviewLog``
schema, and every problem is a located finding, so a hand-edited log that ``trainkit
list`` could no longer read is reported by ``validate`` instead of silently ignored.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.loading.module_file import read_text, split_front_matter
from trainkit.loading.schema_messages import validate_model
from trainkit.loading.strict_yaml import load
from trainkit.schemas.review_log import ReviewLog

REVIEWS_DIR = "reviews"


def check_review_logs(root: Path) -> list[Diagnostic]:
    """The findings about every review log of the project at ``root``."""
    folder = root / REVIEWS_DIR
    if not folder.is_dir():
        return []
    findings: list[Diagnostic] = []
    for path in sorted(folder.glob("*.md")):
        findings.extend(_check_log(path, f"{REVIEWS_DIR}/{path.name}"))
    return findings


def _check_log(path: Path, relative: str) -> list[Diagnostic]:
    text, findings = read_text(path, relative)
    if text is None:
        return findings
    split = split_front_matter(text, relative)
    if isinstance(split, Diagnostic):  # notes kept beside the logs: said, not read
        return [*findings, Diagnostic(
            relative, 1, 1, "TK314",
            f"`{relative}` is not a review log (it has no front-matter), so it is not read",
            "review logs are written by `trainkit review import`; keep other notes elsewhere")]
    loaded = load(split[0], first_line=2)
    findings.extend(Diagnostic(relative, p.pos.line, p.pos.column, p.code, p.message, p.hint)
                    for p in loaded.problems)
    if loaded.failed:
        return findings
    if not isinstance(loaded.value, dict):
        return [*findings, Diagnostic(relative, 2, 1, "TK105",
                                      "the front-matter of a review log must be a mapping")]
    _, problems = validate_model(ReviewLog, loaded, relative)
    return [*findings, *problems]
