"""Cut the build matrix into N shares for N machines: ``build --all --shard I/N``.

The cut is deterministic (every machine computes the same one from the same project)
and balanced: outputs are dealt, heaviest first, to the share with the least work so far
(longest-processing-time first). An output weighs the seconds its last build took when
the build record (``<out>/.trainkit-build.json``) has it, else a typical time for its
format. The shares partition the matrix: every output is in exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from trainkit.errors import UsageError

#: Typical seconds to write one output of each format, for outputs not yet in the record.
TYPICAL_SECONDS = {"pdf": 10.0, "docx": 2.0, "html": 1.0}


class Sharded(Protocol):
    """What sharding needs of an output: its file name and its format."""

    @property
    def name(self) -> str: ...

    @property
    def format(self) -> str: ...


Job = TypeVar("Job", bound=Sharded)


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; ``UsageError`` unless 1 <= I <= N."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise UsageError(f"--shard takes I/N, e.g. --shard 1/4, not {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text}: I must be between 1 and N (here 1 to {count})")
    return index, count


def weight(job: Sharded, seconds: Mapping[str, float]) -> float:
    """The expected seconds of an output: measured last time, else typical."""
    measured = seconds.get(job.name)
    return measured if measured and measured > 0 else TYPICAL_SECONDS.get(job.format, 1.0)


def split(jobs: Sequence[Job], count: int,
          seconds: Mapping[str, float] | None = None) -> list[list[Job]]:
    """The ``count`` shares of ``jobs``, each in the matrix's order."""
    seconds = seconds or {}
    order = {id(job): position for position, job in enumerate(jobs)}
    shares: list[list[Job]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for job in sorted(jobs, key=lambda j: (-weight(j, seconds), j.name)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        shares[lightest].append(job)
        loads[lightest] += weight(job, seconds)
    return [sorted(share, key=lambda j: order[id(j)]) for share in shares]


def shard(jobs: Sequence[Job], index: int, count: int,
          seconds: Mapping[str, float] | None = None) -> list[Job]:
    """Share ``index`` (1-based) of ``count``."""
    return split(jobs, count, seconds)[index - 1]
