"""PDF build benchmark: trainkit against one WeasyPrint process, side by side in one run.

For the shipped manual and a generated manual it measures, as whole processes (median of
``--runs``):

- ``weasyprint``: one WeasyPrint process rendering the whole edition's print HTML;
- ``cold``: ``trainkit build -f pdf`` with every cache deleted;
- ``edit``: the same build after a one-sentence edit to one module (warm caches);
- ``watch``: ``trainkit build --watch`` running, the time from appending a sentence to
  one module to the new PDF being written (as printed on its standard output);
- ``overhead``: trainkit's own work in-process, imports excluded (load, parse, validate,
  assemble, HTML), with no cache.

With ``--memory N`` it also builds a generated N-module manual once and reports the peak
resident memory of the trainkit process and of its largest worker.

    python benchmarks/bench_pdf.py --runs 3 --generated 50 --memory 100
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
TRAINKIT = [PYTHON, "-m", "trainkit"]

_WRITE_HTML = """
import sys, time
from pathlib import Path
from trainkit.checks.validate import validate_project
from trainkit.assembly.edition import assemble
from trainkit.model.edition import EditionRequest
from trainkit.writers.html.render import render_html
from trainkit.writers.pdf.edition import asset_url
started = time.perf_counter()
validation = validate_project(Path(sys.argv[1]), use_cache=False)
edition = assemble(validation.valid(), EditionRequest(sys.argv[2], sys.argv[3]))
html = render_html(edition, "print", asset_url)
elapsed = time.perf_counter() - started
Path(sys.argv[4]).write_text(html, encoding="utf-8")
print(elapsed)
"""

_WEASYPRINT_ALONE = """
import sys, weasyprint
weasyprint.HTML(filename=sys.argv[1], base_url="trainkit:asset/").write_pdf(sys.argv[2])
"""

_PEAK_MEMORY = """
import os, resource, sys, threading, time
from pathlib import Path
from trainkit.commands.build import BuildOptions, build_edition

def tree(pid):
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid] + [p for child in children for p in tree(int(child))]

def field(pid, name):
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

peaks = {"Rss": 0, "Pss": 0}
done = threading.Event()
def sample():
    while not done.is_set():
        pids = tree(os.getpid())
        for name in peaks:
            peaks[name] = max(peaks[name], sum(field(pid, name) for pid in pids))
        time.sleep(0.05)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
result = build_edition(Path(sys.argv[1]), BuildOptions(formats=("pdf",), out_dir=Path(sys.argv[2])))
done.set(); sampler.join()
assert result.ok, result.failures
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{own:.0f} {workers:.0f} {result.files[0].pages} {peaks['Rss'] / 1024:.0f} {peaks['Pss'] / 1024:.0f}")
"""


def _clear_caches(project: Path) -> None:
    shutil.rmtree(project / ".trainkit-cache", ignore_errors=True)


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _build_command(project: Path, region: str, edition: str, out: Path) -> list[str]:
    return [*TRAINKIT, "build", str(project), "-r", region, "-e", edition, "-f", "pdf",
            "-o", str(out), "-q"]


def _edit_one_module(project: Path, run: int) -> None:
    modules = sorted((project / "modules").glob("*.md"))
    target = modules[len(modules) // 2]
    with target.open("a", encoding="utf-8") as stream:
        stream.write(f"\nAn edited sentence for run {run}.\n")


def _watch_rebuilds(project: Path, region: str, edition: str, out: Path, runs: int) -> float:
    """Median seconds from an edit to the rebuilt PDF, with ``build --watch`` running."""
    command = [*_build_command(project, region, edition, out), "--watch"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    assert process.stdout is not None
    try:
        process.stdout.readline()  # the first build
        times = []
        for run in range(runs):
            time.sleep(1.0)  # let the watcher settle into polling
            started = time.perf_counter()
            _edit_one_module(project, 100 + run)
            if not process.stdout.readline():
                raise RuntimeError("build --watch stopped")
            times.append(time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait()
    return _median(times)


def measure(name: str, project: Path, region: str, edition: str, runs: int,
            work: Path) -> dict[str, float | str | int]:
    html = work / f"{name}.html"
    out = work / f"{name}-out"
    overhead = [float(subprocess.run(
        [PYTHON, "-c", _WRITE_HTML, str(project), region, edition, str(html)],
        check=True, capture_output=True, text=True).stdout) for _ in range(runs)]
    alone = [_timed([PYTHON, "-c", _WEASYPRINT_ALONE, str(html), str(work / "alone.pdf")])
             for _ in range(runs)]
    cold: list[float] = []
    for _ in range(runs):
        _clear_caches(project)
        cold.append(_timed(_build_command(project, region, edition, out)))
    edits: list[float] = []
    for run in range(runs):
        _edit_one_module(project, run)
        edits.append(_timed(_build_command(project, region, edition, out)))
    watch = _watch_rebuilds(project, region, edition, out, runs)
    from pypdf import PdfReader

    pages = len(PdfReader(next(out.glob("*.pdf"))).pages)
    return {"name": name, "pages": pages, "weasyprint": _median(alone), "cold": _median(cold),
            "edit": _median(edits), "watch": watch, "overhead": _median(overhead)}


def peak_memory(modules: int, work: Path) -> tuple[float, float, int, float, float]:
    """Peak memory (MiB) of the trainkit process, of its largest worker, the page count,
    and the peak sums over all its processes, resident (RSS) and proportional (PSS: shared
    pages divided among the processes sharing them), sampled every 50 ms."""
    project = work / f"m{modules}"
    generate(project, modules)
    output = subprocess.run([PYTHON, "-c", _PEAK_MEMORY, str(project), str(work / "mem-out")],
                            check=True, capture_output=True, text=True).stdout.split()
    return (float(output[0]), float(output[1]), int(output[2]), float(output[3]),
            float(output[4]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generated", type=int, default=50, help="modules in the generated manual")
    parser.add_argument("--memory", type=int, default=0, help="modules for the memory run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shipped = work / "shipped"
        shutil.copytree(REPOSITORY, shipped, ignore=shutil.ignore_patterns(
            ".git", ".venv", "dist", ".trainkit-cache", "benchmarks", "tests", "__pycache__"))
        generated = work / f"m{args.generated}"
        generate(generated, args.generated)
        rows = [measure("shipped manual, north-africa trainer", shipped, "north-africa",
                        "trainer", args.runs, work),
                measure(f"generated {args.generated} modules", generated, "region-1", "trainer",
                        args.runs, work)]
        print("| manual | pages | WeasyPrint alone | trainkit cold | ratio | after one edit |"
              " edit / cold | edit, --watch | watch / cold | trainkit overhead |"
              " overhead / cold |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for row in rows:
            cold = float(row["cold"])
            print(f"| {row['name']} | {row['pages']} | {float(row['weasyprint']):.2f} s | "
                  f"{cold:.2f} s | {cold / float(row['weasyprint']):.2f}x | "
                  f"{float(row['edit']):.2f} s | {float(row['edit']) / cold:.2f} | "
                  f"{float(row['watch']):.2f} s | {float(row['watch']) / cold:.2f} | "
                  f"{float(row['overhead']):.3f} s | {float(row['overhead']) / cold:.1%} |")
        if args.memory:
            own, worker, pages, rss, pss = peak_memory(args.memory, work)
            print(f"\nPeak memory, {args.memory} modules ({pages} pages): trainkit process "
                  f"{own:.0f} MiB, largest worker {worker:.0f} MiB; all processes together "
                  f"{rss:.0f} MiB resident, {pss:.0f} MiB proportional (PSS)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
