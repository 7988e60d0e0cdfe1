"""Benchmark ``trainkit --help`` and ``trainkit validate`` as whole processes.

Generates synthetic manuals (``generate.py``) of 100 and 1,000 modules into
``benchmarks/out/`` (git-ignored), then times, as separate processes, several runs each:

- ``trainkit --help`` (start-up);
- ``trainkit validate DIR`` cold: ``DIR/.trainkit-cache`` deleted before each run;
- ``trainkit validate DIR`` warm: run again right after, with the cache the cold run wrote.

It prints a Markdown table of medians (with min, max and peak memory), compares them with
the goals of issue 2, and checks in fresh interpreters that ``--help`` and ``validate`` do
not import WeasyPrint or python-docx, that a warm ``validate`` does not import markdown-it
either (and how long importing ``trainkit.cli.app`` takes alone and with WeasyPrint and
python-docx).

    .venv/bin/python benchmarks/bench_validate.py [--runs 5] [--sizes 100 1000] [--stages]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
CACHE_DIR = ".trainkit-cache"
HEAVY = ("weasyprint", "docx")
#: What a warm ``validate`` must not import: every module comes from the cache.
PARSER = ("markdown_it", "mdit_py_plugins")

#: Goals of issue 2, in seconds of wall time on a 2-core machine.
GOALS: dict[tuple[str, int | None], float] = {
    ("trainkit --help", None): 0.3,
    ("validate, cold", 1000): 3.0,
    ("validate, warm", 1000): 0.5,
}


@dataclass(slots=True)
class Sample:
    """One process run: wall time and CPU time (its own and its workers') in seconds, and
    peak resident memory in MiB. On a busy machine wall time grows, CPU time much less."""

    seconds: float
    cpu_seconds: float
    max_rss_mib: float


@dataclass(slots=True)
class Row:
    """The runs of one measurement."""

    what: str
    modules: int | None
    samples: list[Sample]

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def goal(self) -> float | None:
        return GOALS.get((self.what, self.modules))


def child_environment(out: Path) -> dict[str, str]:
    """The environment of every measured process: bytecode is cached, as when installed.

    ``PYTHONDONTWRITEBYTECODE`` (set in some sandboxes and CI images) would make every run
    compile trainkit's sources again; the bytecode goes to ``OUT/pycache`` instead of the
    source tree.
    """
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    return environment


ENVIRONMENT: dict[str, str] = dict(os.environ)


def trainkit_command() -> list[str]:
    """The ``trainkit`` console script next to this interpreter, else ``python -m trainkit``."""
    script = Path(sys.executable).parent / "trainkit"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "trainkit"]


def run_timed(command: Sequence[str], *, expect: int = 0) -> Sample:
    """Run ``command`` with output discarded; its wall time and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=ENVIRONMENT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != expect:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {errors}")
    # ru_maxrss is in KiB on Linux; the usage includes the worker processes it waited for
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def measure_help(runs: int) -> Row:
    command = [*trainkit_command(), "--help"]
    run_timed(command)  # warm the file-system cache
    return Row("trainkit --help", None, [run_timed(command) for _ in range(runs)])


def measure_validate(project: Path, modules: int, runs: int) -> tuple[Row, Row]:
    """Cold and warm ``trainkit validate`` of ``project``, ``runs`` pairs."""
    command = [*trainkit_command(), "validate", str(project)]
    cold, warm = Row("validate, cold", modules, []), Row("validate, warm", modules, [])
    for _ in range(runs):
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
        cold.samples.append(run_timed(command))
        warm.samples.append(run_timed(command))
    return cold, warm


def check_strict(project: Path) -> None:
    """The generated project must validate with no findings, even with ``--strict``."""
    command = [*trainkit_command(), "validate", str(project), "--strict", "--no-cache"]
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            env=ENVIRONMENT)
    if result.returncode != 0 or "no problems found" not in result.stdout:
        raise RuntimeError(f"{project} does not validate cleanly:\n{result.stdout}{result.stderr}")


_IMPORT_PROBE = """
import json, sys, time
start = time.perf_counter()
import trainkit.cli.app
cli = time.perf_counter() - start
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps({"cli": cli, "total": time.perf_counter() - start}))
"""

_MODULES_PROBE = """
import json, sys
import trainkit.cli.app
sys.argv = ["trainkit", *sys.argv[1:]]
try:
    trainkit.cli.app.main()
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "heavy": sorted(
    m for m in sys.modules if m.split(".")[0] in %r)}), file=sys.stderr)
""" % ((*HEAVY, *PARSER),)


_STAGES_PROBE = """
import json, os, sys, time

def now():
    times = os.times()
    return (time.perf_counter(),
            times.user + times.system + times.children_user + times.children_system)

start = now()
from pathlib import Path
import trainkit.cli.app
from trainkit.checks.validate import validate_project
from trainkit.loading.project import load_project
from trainkit.checks.structure import check_structure
from trainkit.checks.content import check_content
from trainkit.diagnostics import finalize
marks = [("imports (trainkit.cli.app, then validate's)", now())]
project = load_project(Path(sys.argv[1]))
marks.append(("load_project (read, hash; cache or parse)", now()))
findings = [*project.all_diagnostics(), *check_structure(project)]
marks.append(("checks.structure", now()))
findings += check_content(project)
marks.append(("checks.content (with selection.regions_by_module)", now()))
finalize(findings)
previous, stages = start, {}
for name, moment in marks:
    stages[name] = [moment[0] - previous[0], moment[1] - previous[1]]
    previous = moment
stages["total"] = [previous[0] - start[0], previous[1] - start[1]]
print(json.dumps(stages))
"""


def stage_times(project: Path, runs: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Median (wall, CPU) seconds of each validate stage, in one process, cold and warm.

    CPU includes the worker processes, which a cold run waits for in ``load_project``.
    """
    found: dict[str, dict[str, list[list[float]]]] = {"cold": {}, "warm": {}}
    for _ in range(runs):
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
        for state in ("cold", "warm"):
            output = subprocess.run([sys.executable, "-c", _STAGES_PROBE, str(project)],
                                    capture_output=True, text=True, check=True,
                                    env=ENVIRONMENT).stdout
            for name, seconds in json.loads(output).items():
                found[state].setdefault(name, []).append(seconds)
    return {state: {name: (statistics.median(v[0] for v in values),
                           statistics.median(v[1] for v in values))
                    for name, values in stages.items()}
            for state, stages in found.items()}


def stage_table(stages: dict[str, dict[str, tuple[float, float]]], modules: int,
                runs: int) -> str:
    lines = [f"| stage, {modules} modules, one process ({runs} runs) | cold wall (s) "
             "| cold CPU (s) | warm wall (s) | warm CPU (s) |", "|---|---:|---:|---:|---:|"]
    for name, (cold, cold_cpu) in stages["cold"].items():
        warm, warm_cpu = stages["warm"].get(name, (float("nan"), float("nan")))
        lines.append(f"| {name} | {cold:.3f} | {cold_cpu:.2f} | {warm:.3f} | {warm_cpu:.2f} |")
    return "\n".join(lines)


def import_times(runs: int) -> tuple[float, float]:
    """Median seconds to import ``trainkit.cli.app`` alone, and with weasyprint and docx."""
    alone: list[float] = []
    heavy: list[float] = []
    for _ in range(runs):
        for extra, into in (((), alone), (HEAVY, heavy)):
            output = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, *extra],
                                    capture_output=True, text=True, check=True,
                                    env=ENVIRONMENT).stdout
            into.append(json.loads(output)["total"])
    return statistics.median(alone), statistics.median(heavy)


def heavy_modules_after(arguments: Sequence[str]) -> list[str]:
    """The weasyprint/docx/markdown-it modules in ``sys.modules`` after ``trainkit.cli.app.main()``."""
    result = subprocess.run([sys.executable, "-c", _MODULES_PROBE, *arguments],
                            capture_output=True, text=True, check=True, env=ENVIRONMENT)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    heavy: list[str] = report["heavy"]
    return heavy


def table(rows: Sequence[Row], runs: int) -> str:
    lines = ["| command | modules | runs | median (s) | min (s) | max (s) | CPU median (s) "
             "| peak RSS (MiB) | goal (s) | met |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|"]
    for row in rows:
        seconds = [s.seconds for s in row.samples]
        goal = row.goal
        met = "" if goal is None else ("yes" if row.median < goal else "**no**")
        lines.append(
            f"| {row.what} | {row.modules if row.modules else ''} | {runs} "
            f"| {row.median:.3f} | {min(seconds):.3f} | {max(seconds):.3f} "
            f"| {statistics.median(s.cpu_seconds for s in row.samples):.2f} "
            f"| {statistics.median(s.max_rss_mib for s in row.samples):.0f} "
            f"| {'' if goal is None else f'< {goal}'} | {met} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000],
                        help="manual sizes in modules (default 100 1000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to generate the manuals (default benchmarks/out)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated prose")
    parser.add_argument("--stages", action="store_true",
                        help="also time validate's stages in one process (largest size)")
    args = parser.parse_args(argv)
    ENVIRONMENT.clear()
    ENVIRONMENT.update(child_environment(args.out))

    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"trainkit: {' '.join(trainkit_command())}; {args.runs} runs per measurement")
    print("load average before the runs: {:.2f} {:.2f} {:.2f} (other processes slow the "
          "wall times; CPU times hardly change)\n".format(*os.getloadavg()))

    rows = [measure_help(args.runs)]
    for size in args.sizes:
        project = args.out / f"validate-{size}"
        started = time.perf_counter()
        generate(project, size, seed=args.seed)
        print(f"generated {size} modules in {project} "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
        check_strict(project)
        rows.extend(measure_validate(project, size, args.runs))

    print("\n" + table(rows, args.runs) + "\n")
    if args.stages:
        largest = max(args.sizes)
        stages = stage_times(args.out / f"validate-{largest}", args.runs)
        print(stage_table(stages, largest, args.runs) + "\n")

    alone, heavy = import_times(args.runs)
    print(f"import trainkit.cli.app: {alone * 1000:.0f} ms (median of {args.runs}); "
          f"with weasyprint and docx as well: {heavy * 1000:.0f} ms")
    failures = 0
    probes = [["--help"], *(["validate", str(args.out / f"validate-{size}")]
                            for size in args.sizes)]
    for arguments in probes:  # validate's caches are warm: measure_validate wrote them
        shown = " ".join(["trainkit", *arguments])
        found = heavy_modules_after(arguments)
        if found:
            failures += 1
            print(f"FAIL: `{shown}` imported {', '.join(found[:5])}")
        else:
            print(f"ok: `{shown}` imports neither weasyprint, docx nor markdown-it")

    missed = [row for row in rows if row.goal is not None and row.median >= row.goal]
    for row in missed:
        print(f"goal missed: {row.what} ({row.modules or '-'} modules) "
              f"median {row.median:.3f} s, goal < {row.goal} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
