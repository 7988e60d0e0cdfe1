"""DOCX build benchmark: ``trainkit build -f docx`` against pandoc, side by side in one run.

Generates synthetic manuals (``generate.py``) of 15, 100 and 1,000 modules into
``benchmarks/out/docx-<n>/`` (git-ignored), then times whole processes, alternating the
two tools so that both see the same machine load:

- ``trainkit build DIR -f docx`` with its validation cache deleted before each run
  (``cold``), and again right after with the cache it wrote (``warm``);
- ``pandoc -o out.docx modules/*.md`` on the same module files (their YAML front-matter
  becomes pandoc metadata; pandoc does no validation, filtering or numbering).

Median of ``--runs`` runs (``--large-runs`` for sizes of 1,000 and more). It prints a
Markdown table with the medians, the ratio, the time per module and peak memory, the cost
of each extra module between sizes (constant when the build scales linearly), and the
time and peak memory of ``write_docx`` alone in one process (after validation and
assembly).

These builds leave the contents' page numbers to Word (``TRAINKIT_SOFFICE`` set empty:
what pandoc does too). Then, for sizes up to ``--toc-sizes``, it times what filling them
in costs: ``trainkit build -f docx`` with LibreOffice found (``update``, the default when
it is installed) against the same build without (``fields``), alternated, whole
processes; peak memory is the largest of trainkit's and LibreOffice's.

    .venv/bin/python benchmarks/bench_docx.py [--runs 3] [--large-runs 1] [--sizes 15 100 1000]
        [--toc-sizes 15 100] [--toc-runs 1]

pandoc is only needed here: ``apt-get install pandoc``; LibreOffice for the contents:
``apt-get install libreoffice-writer-nogui``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

DEFAULT_OUT = HERE / "out"
CACHE_DIR = ".trainkit-cache"
ENVIRONMENT: dict[str, str] = dict(os.environ)


@dataclass(slots=True)
class Sample:
    """One process: wall seconds and peak resident memory in MiB."""

    seconds: float
    max_rss_mib: float


@dataclass(slots=True)
class Size:
    """The samples of one manual size."""

    modules: int
    cold: list[Sample] = field(default_factory=list)
    warm: list[Sample] = field(default_factory=list)
    pandoc: list[Sample] = field(default_factory=list)
    docx_bytes: int = 0
    pandoc_bytes: int = 0


def median(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def peak(samples: Sequence[Sample]) -> float:
    return max(s.max_rss_mib for s in samples)


def child_environment(out: Path) -> dict[str, str]:
    """Bytecode cached (outside the source tree), as when trainkit is installed."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    environment["TRAINKIT_SOFFICE"] = ""  # contents left to Word, as pandoc leaves them
    return environment


def trainkit_command() -> list[str]:
    script = Path(sys.executable).parent / "trainkit"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "trainkit"]


def run_timed(command: Sequence[str], cwd: Path | None = None,
              environment: dict[str, str] | None = None) -> Sample:
    """Run ``command`` with its output discarded; wall time and peak memory (of the
    process, or of a child it waited for if that was larger)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=environment or ENVIRONMENT)
    assert process.stderr is not None
    errors = process.stderr.read().decode(errors="replace")  # pandoc warns a lot
    process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(command[:4])}... exited {code}: {errors[-2000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024)


def trainkit_build(project: Path, out_dir: Path) -> list[str]:
    return [*trainkit_command(), "build", str(project), "-f", "docx", "-o", str(out_dir), "-q"]


def pandoc_build(project: Path, target: Path) -> list[str]:
    modules = sorted(str(p.relative_to(project)) for p in (project / "modules").rglob("*.md"))
    return ["pandoc", "-f", "markdown", "-o", str(target), *modules]


def measure(project: Path, size: int, runs: int, out: Path) -> Size:
    """Alternate trainkit (cold, then warm) and pandoc, ``runs`` times."""
    result = Size(size)
    docx_dir = out / f"docx-{size}-build"
    pandoc_target = out / f"docx-{size}-pandoc.docx"
    for _ in range(runs):
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
        result.cold.append(run_timed(trainkit_build(project, docx_dir)))
        result.warm.append(run_timed(trainkit_build(project, docx_dir)))
        result.pandoc.append(run_timed(pandoc_build(project, pandoc_target.resolve()),
                                       cwd=project))
    result.docx_bytes = sum(p.stat().st_size for p in docx_dir.glob("*.docx"))
    result.pandoc_bytes = pandoc_target.stat().st_size
    return result


def table(sizes: Sequence[Size], runs: dict[int, int]) -> str:
    lines = [
        "| modules | runs | trainkit cold (s) | trainkit warm (s) | pandoc (s) "
        "| pandoc / trainkit cold | trainkit ms per module | pandoc ms per module "
        "| trainkit peak RSS (MiB) | pandoc peak RSS (MiB) | trainkit DOCX | pandoc DOCX |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        cold, warm, pandoc = median(size.cold), median(size.warm), median(size.pandoc)
        lines.append(
            f"| {size.modules:,} | {runs[size.modules]} | {cold:.2f} | {warm:.2f} "
            f"| {pandoc:.2f} | {pandoc / cold:.1f}x | {cold / size.modules * 1000:.0f} "
            f"| {pandoc / size.modules * 1000:.0f} | {peak(size.cold + size.warm):.0f} "
            f"| {peak(size.pandoc):.0f} | {size.docx_bytes / 2**20:.1f} MiB "
            f"| {size.pandoc_bytes / 2**20:.1f} MiB |")
    return "\n".join(lines)


def scaling(sizes: Sequence[Size]) -> str:
    """The cost of each extra module between successive sizes: constant means linear."""
    parts = []
    for small, large in zip(sizes, sizes[1:]):
        for name, samples in (("trainkit cold", lambda s: s.cold), ("pandoc", lambda s: s.pandoc)):
            extra = (median(samples(large)) - median(samples(small))) / (
                large.modules - small.modules)
            parts.append(f"{name} {small.modules:,}->{large.modules:,}: {extra * 1000:.1f} ms")
    return "time per extra module: " + "; ".join(parts) if parts else ""


_WRITER_ALONE = """
import resource, statistics, sys, time
from pathlib import Path
from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.commands.build import BuildOptions, edition_request
from trainkit.writers.docx import write_docx
valid = validate_project(Path(sys.argv[1])).valid()
edition = assemble(valid, edition_request(valid, BuildOptions()))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_docx(edition, valid.resolver, Path(sys.argv[2]), toc="fields")  # imports, caches
times = []
for run in range(int(sys.argv[3])):
    started = time.perf_counter()
    write_docx(edition, valid.resolver, Path(sys.argv[2]), toc="fields")
    times.append(time.perf_counter() - started)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(statistics.median(times), before / 1024, after / 1024)
"""


def writer_alone(project: Path, target: Path, runs: int) -> tuple[float, float, float]:
    """Median seconds of ``write_docx`` alone, in one process, after one unmeasured run;
    the process's peak memory (MiB) before writing and at the end."""
    output = subprocess.run([sys.executable, "-c", _WRITER_ALONE, str(project), str(target),
                             str(runs)], capture_output=True, text=True, check=True,
                            env=ENVIRONMENT).stdout
    seconds, before, after = output.strip().splitlines()[-1].split()
    return float(seconds), float(before), float(after)


def toc_cost(project: Path, out: Path, runs: int, office: str) -> tuple[Sample, Sample]:
    """Median whole-process samples of ``build -f docx`` with the contents' page numbers
    filled in by LibreOffice, and without (alternated)."""
    filled, left = [], []
    with_office = dict(ENVIRONMENT, TRAINKIT_SOFFICE=office)
    for _ in range(runs):
        filled.append(run_timed(trainkit_build(project, out), environment=with_office))
        left.append(run_timed(trainkit_build(project, out)))
    middle = len(filled) // 2
    by_time = sorted(filled, key=lambda s: s.seconds), sorted(left, key=lambda s: s.seconds)
    return by_time[0][middle], by_time[1][middle]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs for sizes of 1,000 modules and more (default 1)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[15, 100, 1000],
                        help="manual sizes in modules (default 15 100 1000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to generate the manuals (default benchmarks/out)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated prose")
    parser.add_argument("--toc-sizes", type=int, nargs="*", default=[15, 100],
                        help="sizes at which to time filling in the contents' page numbers "
                             "with LibreOffice (default 15 100; none: skip)")
    parser.add_argument("--toc-runs", type=int, default=1,
                        help="runs of each contents measurement (default 1)")
    args = parser.parse_args(argv)
    if shutil.which("pandoc") is None:
        print("pandoc is not installed (apt-get install pandoc)", file=sys.stderr)
        return 2
    ENVIRONMENT.clear()
    ENVIRONMENT.update(child_environment(args.out))
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.platform()}; {version}")
    print("load average before the runs: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))

    results: list[Size] = []
    runs: dict[int, int] = {}
    for size in sorted(args.sizes):
        project = args.out / f"docx-{size}"
        started = time.perf_counter()
        generate(project, size, seed=args.seed)
        print(f"generated {size} modules in {project} ({time.perf_counter() - started:.1f} s)",
              flush=True)
        runs[size] = args.large_runs if size >= 1000 else args.runs
        run_timed(trainkit_build(project, args.out / f"docx-{size}-build"))  # warm-up
        results.append(measure(project, size, runs[size], args.out))
        print(f"  measured {size} modules", flush=True)

    print("\n" + table(results, runs) + "\n")
    print(scaling(results))
    alone = [(size.modules, writer_alone(args.out / f"docx-{size.modules}",
                                         args.out / f"docx-{size.modules}-alone.docx",
                                         runs[size.modules])) for size in results]
    print("DOCX writer alone (write_docx in-process, after validate and assemble): " + "; ".join(
        f"{modules:,} modules {seconds:.2f} s ({seconds / modules * 1000:.1f} ms per module, "
        f"peak RSS {before:.0f} MiB before writing, {after:.0f} MiB after)"
        for modules, (seconds, before, after) in alone))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    toc_sizes = [size for size in results if size.modules in args.toc_sizes]
    if toc_sizes and office is None:
        print("LibreOffice is not installed: the contents' cost is not measured")
    elif toc_sizes and office is not None:
        print("\n| modules | build, contents filled in by LibreOffice (s) | build, left to Word "
              "(s) | cost (s) | peak RSS, filled in (MiB) | peak RSS, left (MiB) |\n"
              "|---:|---:|---:|---:|---:|---:|")
        for size in toc_sizes:
            filled, left = toc_cost(args.out / f"docx-{size.modules}",
                                    args.out / f"docx-{size.modules}-toc", args.toc_runs, office)
            print(f"| {size.modules:,} | {filled.seconds:.2f} | {left.seconds:.2f} "
                  f"| {filled.seconds - left.seconds:.2f} | {filled.max_rss_mib:.0f} "
                  f"| {left.max_rss_mib:.0f} |", flush=True)
    slower = [s for s in results if s.modules <= 100 and median(s.cold) > median(s.pandoc)]
    for size in slower:
        print(f"goal missed: trainkit is slower than pandoc at {size.modules} modules")
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main())
