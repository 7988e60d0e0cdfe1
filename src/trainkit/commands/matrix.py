"""``trainkit matrix``: the build matrix as data, for CI systems that fan out jobs.

Each entry is one output ``build --all`` would write: region, edition, language and
format, with its file name. ``ci_matrix`` gives it in the shape of a GitHub Actions job
matrix (``{"include": [...]}``), or as ``{"shard": ["1/N", ..., "N/N"]}`` for N
machines that each run ``trainkit build --all --shard I/N``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainkit.checks.validate import require_valid
from trainkit.commands.build import BuildOptions
from trainkit.commands.build_all import OutputJob, plan_outputs
from trainkit.commands.build_record import load_record
from trainkit.commands.shards import split


@dataclass(frozen=True, slots=True)
class MatrixEntry:
    """One output of the matrix."""

    region: str
    edition: str
    language: str
    format: str
    name: str

    def as_json(self) -> dict[str, str]:
        return {"region": self.region, "edition": self.edition, "language": self.language,
                "format": self.format, "name": self.name}


def list_matrix(project_dir: Path, options: BuildOptions = BuildOptions(),
                all_languages: bool = False) -> list[MatrixEntry]:
    """Every output of the project's matrix, in ``build --all``'s order."""
    valid = require_valid(project_dir, strict=options.strict)
    return [_entry(job) for job in plan_outputs(valid, options, all_languages)]


def _entry(job: OutputJob) -> MatrixEntry:
    return MatrixEntry(job.region, job.edition, job.language, job.format, job.name)


def list_shards(project_dir: Path, count: int, options: BuildOptions = BuildOptions(),
                all_languages: bool = False) -> list[list[MatrixEntry]]:
    """The outputs each of ``count`` machines builds with ``--shard I/count``."""
    valid = require_valid(project_dir, strict=options.strict)
    jobs = plan_outputs(valid, options, all_languages)
    record = load_record(valid.out_dir(options.out_dir).resolve())
    return [[_entry(job) for job in share] for share in split(jobs, count, record.seconds([j.name for j in jobs]))]


def ci_matrix(entries: list[MatrixEntry], shards: int | None = None) -> dict[str, object]:
    """A GitHub Actions ``strategy.matrix``: one job per output, or one per shard."""
    if shards is not None:
        return {"shard": [f"{index}/{shards}" for index in range(1, shards + 1)]}
    return {"include": [entry.as_json() for entry in entries]}
