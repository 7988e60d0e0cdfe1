"""A/B of two trainkit source trees and pandoc: whole ``build -f docx`` processes, alternated.

Each round runs a cold build (validation cache deleted) with the ``--base`` sources, one
with the ``--new`` sources (through ``PYTHONPATH``; export a commit with ``git archive
<commit> src | tar -x -C DIR``), then pandoc on the same modules, and prints each one's
wall time, CPU time (with the worker processes it waited for) and peak memory. On a
shared machine CPU time moves much less than wall time: compare both.

    .venv/bin/python benchmarks/ab_docx.py PROJECT --base OLD/src --new src [--rounds 2]

PROJECT is a manual made by ``generate.py``; the contents' page numbers are left to Word
(``TRAINKIT_SOFFICE`` empty), as pandoc does.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def run(command: Sequence[str], environment: dict[str, str],
        cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the process and the children it waited for), peak MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.run(command, env=environment, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(process.stderr.decode(errors="replace")[-2000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("project", type=Path)
    parser.add_argument("--base", type=Path, required=True, help="the old sources (src/)")
    parser.add_argument("--new", type=Path, required=True, help="the new sources (src/)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    environment = dict(os.environ, TRAINKIT_SOFFICE="")
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    modules = sorted(str(p.relative_to(args.project))
                     for p in (args.project / "modules").rglob("*.md"))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        builds = {name: ([sys.executable, "-m", "trainkit", "build", str(args.project),
                          "-f", "docx", "-o", str(out), "-q"],
                         dict(environment, PYTHONPATH=str(source.resolve()),
                              PYTHONPYCACHEPREFIX=str(out / f"pycache-{name}")))
                  for name, source in (("base", args.base), ("new", args.new))}
        for command, own in builds.values():  # unmeasured: compiles each tree's bytecode
            run(command, own)
        for round_number in range(args.rounds):
            for name, (command, own) in builds.items():
                shutil.rmtree(args.project / ".trainkit-cache", ignore_errors=True)
                report(round_number, name, run(command, own))
            sample = run(["pandoc", "-f", "markdown", "-o", str(out / "pandoc.docx"), *modules],
                         environment, cwd=args.project)
            report(round_number, "pandoc", sample)
    return 0


def report(round_number: int, name: str, sample: tuple[float, float, float]) -> None:
    wall, cpu, peak = sample
    # ru_maxrss of the children is the largest any of them reached so far
    print(f"round {round_number} {name:7s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
          f"peak so far {peak:6.0f} MiB  load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
