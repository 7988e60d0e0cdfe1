"""Benchmark ``trainkit build --all`` on the shipped manual, against the single builds.

In one run, side by side, as whole processes (``subprocess``, output discarded):

- **single builds**: ``trainkit build DIR -r R -e E -f F`` for every region x edition x
  format the manifest defines, one after the other, each cold (the PDF chunk cache
  ``DIR/.trainkit-cache/pdf-chunks`` deleted first); their wall times are summed;
- **build --all, cold**: ``trainkit build DIR --all --force`` with the chunk cache deleted,
  which builds the same outputs in parallel worker processes (one per core);
- **build --all, no change**: the same command again without ``--force``: nothing is
  rebuilt (the script checks that it says so).

Goals: ``--all`` takes at most 0.6 x the sum of the single builds' wall times; a run with
no change finishes in under 1 s. Every process's CPU time (with its worker processes) is
printed too: the machine may be shared, and CPU times show what wall times hide. Runs
alternate the order of the two measurements, and before and after them the script
measures the machine's *parallel capacity*: how much pure-Python work one process per
CPU gets done at once, in cores (2.0 on two free cores), since no parallel build can beat
what the machine gives it.

The manual is copied to ``benchmarks/out/matrix-manual`` (git-ignored) so the repository's
``dist/`` and caches are left alone. The parsed-module cache is warmed once first, as it
is after any ``trainkit validate``.

    .venv/bin/python benchmarks/bench_matrix.py [--runs 1] [--format pdf] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
DEFAULT_OUT = HERE / "out"
PROJECT_FILES = ("trainkit.yaml", "regions", "modules", "images")
GOAL_RATIO = 0.6
GOAL_NO_CHANGE = 1.0


@dataclass(slots=True)
class Sample:
    """One process: wall and CPU seconds (CPU includes the workers it waited for)."""

    wall: float
    cpu: float
    output: str = ""


def environment(out: Path) -> dict[str, str]:
    """The measured processes keep their bytecode in ``out/pycache`` (see bench_validate)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    return env


def trainkit_command() -> list[str]:
    """The ``trainkit`` console script next to this interpreter, else ``python -m trainkit``."""
    script = Path(sys.executable).parent / "trainkit"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "trainkit"]


def run_timed(command: Sequence[str], env: dict[str, str]) -> Sample:
    """Run ``command``; its wall and CPU time and its standard output."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n"
                           f"{stderr.decode(errors='replace')}")
    return Sample(wall, 0.0, stdout.decode(errors="replace"))


def run_measured(command: Sequence[str], env: dict[str, str]) -> Sample:
    """``run_timed`` with the CPU time of the process and of every worker it waited for."""
    before = os.times()
    sample = run_timed(command, env)
    after = os.times()
    sample.cpu = ((after.children_user - before.children_user)
                  + (after.children_system - before.children_system))
    return sample


def _burn(loops: int) -> float:
    started = time.perf_counter()
    total = 0
    for value in range(loops):
        total += value * value
    return time.perf_counter() - started


def parallel_capacity(loops: int = 15_000_000) -> float:
    """How many cores' worth of pure-Python work the machine gives one process per CPU.

    One process runs a loop; then one process per CPU runs the same loop at once. On an
    idle machine with real cores the answer is close to the number of CPUs; on a shared
    or oversubscribed virtual machine it can be much lower, and no parallel build can be
    faster than that allows.
    """
    from concurrent.futures import ProcessPoolExecutor

    cpus = os.cpu_count() or 1
    alone = _burn(loops)
    with ProcessPoolExecutor(cpus) as pool:
        list(pool.map(_burn, [1000] * cpus))  # start the workers before timing
        started = time.perf_counter()
        list(pool.map(_burn, [loops] * cpus))
        together = time.perf_counter() - started
    return cpus * alone / together


def copy_manual(target: Path) -> Path:
    """A fresh copy of the shipped manual's project files."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def outputs(project: Path, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """The region ids and edition ids of the project, from ``trainkit list --format json``."""
    listing = json.loads(run_timed([*trainkit_command(), "list", str(project), "-f", "json"],
                                   env).output)
    return ([r["id"] for r in listing["regions"]], [e["id"] for e in listing["editions"]])


def clear_chunks(project: Path) -> None:
    shutil.rmtree(project / ".trainkit-cache" / "pdf-chunks", ignore_errors=True)


def single_builds(project: Path, formats: list[str], env: dict[str, str]) -> list[Sample]:
    regions, editions = outputs(project, env)
    samples = []
    for region in regions:
        for edition in editions:
            for fmt in formats:
                clear_chunks(project)
                samples.append(run_measured(
                    [*trainkit_command(), "build", str(project), "-r", region, "-e", edition,
                     "-f", fmt, "-o", str(project / "out-single"), "-q"], env))
    return samples


def matrix_build(project: Path, formats: list[str], jobs: int | None, env: dict[str, str],
                 *, force: bool) -> Sample:
    command = [*trainkit_command(), "build", str(project), "--all", "-o",
               str(project / "out-all"), "-q", *(f"-f{fmt}" for fmt in formats)]
    if force:
        clear_chunks(project)
        command.append("--force")
    if jobs:
        command += ["--jobs", str(jobs)]
    return run_measured(command, env)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--format", action="append", dest="formats",
                        help="formats to build (default: the manifest's output.formats)")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args(argv)
    env = environment(arguments.out)
    project = copy_manual(arguments.out / "matrix-manual")
    formats: list[str] = arguments.formats or []
    run_timed([*trainkit_command(), "validate", str(project)], env)  # warm the module cache
    load = os.getloadavg()[0]
    capacity = parallel_capacity()
    sums, singles_cpu, colds, nochanges = [], [], [], []
    count = 0
    for run in range(arguments.runs):
        if run % 2:  # alternate the order, so a change in the machine's load hits both
            colds.append(matrix_build(project, formats, arguments.jobs, env, force=True))
        singles = single_builds(project, formats or ["pdf"], env)
        count = len(singles)
        sums.append(sum(s.wall for s in singles))
        singles_cpu.append(sum(s.cpu for s in singles))
        if not run % 2:
            colds.append(matrix_build(project, formats, arguments.jobs, env, force=True))
        nochange = matrix_build(project, formats, arguments.jobs, env, force=False)
        if "Nothing to rebuild" not in nochange.output:
            raise RuntimeError(f"the second build --all rebuilt something:\n{nochange.output}")
        nochanges.append(nochange)
        print(f"run {run + 1}: single builds {sums[-1]:.2f} s, build --all {colds[-1].wall:.2f} s"
              f" (ratio {colds[-1].wall / sums[-1]:.2f}), no change {nochange.wall:.3f} s, "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    report(count, sums, singles_cpu, colds, nochanges, load, os.getloadavg()[0])
    print(f"parallel capacity before the runs: {capacity:.2f} cores' worth of work "
          f"from {os.cpu_count()} processes; after: {parallel_capacity():.2f}")
    ratio = statistics.median(c.wall for c in colds) / statistics.median(sums)
    fast = statistics.median(n.wall for n in nochanges) < GOAL_NO_CHANGE
    return 0 if ratio <= GOAL_RATIO and fast else 1


def report(count: int, sums: list[float], singles_cpu: list[float], colds: list[Sample],
           nochanges: list[Sample], load_before: float, load_after: float) -> None:
    median = statistics.median
    total, cold = median(sums), median(c.wall for c in colds)
    nochange = median(n.wall for n in nochanges)
    ratio = cold / total
    print(f"{os.cpu_count()} CPUs, load average {load_before:.2f} before, "
          f"{load_after:.2f} after; {len(sums)} run(s), medians; {count} outputs\n")
    print("| measurement | wall (s) | CPU (s) | goal | met |")
    print("|---|---:|---:|---|:---:|")
    print(f"| {count} single builds, one after the other (sum) | {total:.2f} | "
          f"{median(singles_cpu):.2f} |  |  |")
    print(f"| `build --all --force`, cold | {cold:.2f} | {median(c.cpu for c in colds):.2f} | "
          f"<= {GOAL_RATIO} x sum = {GOAL_RATIO * total:.2f} | "
          f"{'yes' if ratio <= GOAL_RATIO else '**no**'} |")
    print(f"| `build --all`, no change | {nochange:.3f} | "
          f"{median(n.cpu for n in nochanges):.2f} | < {GOAL_NO_CHANGE} | "
          f"{'yes' if nochange < GOAL_NO_CHANGE else '**no**'} |")
    print(f"\nratio build --all / sum of single builds: {ratio:.2f} (wall), "
          f"{median(c.cpu for c in colds) / median(singles_cpu):.2f} (CPU)")


if __name__ == "__main__":
    sys.exit(main())
