"""PDF build benchmark: trainkit against one WeasyPrint process, side by side in one run.

For the shipped manual (English and Arabic trainer editions) and a generated manual it
measures, as whole processes (median of ``--runs``, the variants interleaved run by run
so that a change in the machine's load touches them alike):

- ``weasyprint``: one WeasyPrint process rendering the whole edition's print HTML, untagged
  and tagged (``pdf_tags``, what trainkit's pieces are rendered with), through trainkit's
  fetcher (the packaged Arabic font);
- ``cold``: ``trainkit build -f pdf`` with every cache deleted, tagged (the default) and
  ``--no-tags``;
- file sizes: trainkit's PDF against WeasyPrint's, tagged and untagged;
- ``edit``: the same build after a one-sentence edit to one module (warm caches), with
  per-module and with continuous page numbers, and how many pieces the rebuild laid out
  (new entries in the piece cache: 1 means only the edited module);
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
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
edition = assemble(validation.valid(), EditionRequest(sys.argv[2], sys.argv[3],
                                                      language=sys.argv[5] or None))
html = render_html(edition, "print", asset_url)
elapsed = time.perf_counter() - started
Path(sys.argv[4]).write_text(html, encoding="utf-8")
print(elapsed)
"""

_WEASYPRINT_ALONE = """
import sys, weasyprint
from pathlib import Path
from trainkit.loading.resolver import ProjectResolver
from trainkit.writers.pdf.pieces import project_fetcher
fetcher = project_fetcher(ProjectResolver(Path(sys.argv[3])))
weasyprint.HTML(filename=sys.argv[1], base_url="trainkit:asset/", url_fetcher=fetcher).write_pdf(
    sys.argv[2], pdf_tags=sys.argv[4] == "tagged")
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


#: The CPU seconds (user and system, the process and its workers) of each ``_timed`` run.
CPU: list[float] = []


def _timed(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _build_command(project: Path, region: str, edition: str, out: Path,
                   language: str = "") -> list[str]:
    return [*TRAINKIT, "build", str(project), "-r", region, "-e", edition, "-f", "pdf",
            "-o", str(out), "-q", *(["-l", language] if language else [])]


def _edit_one_module(project: Path, run: int) -> None:
    modules = sorted((project / "modules").glob("*.md"))
    target = modules[len(modules) // 2]
    with target.open("a", encoding="utf-8") as stream:
        stream.write(f"\nAn edited sentence for run {run}.\n")


def _number_pages(project: Path, scheme: str) -> None:
    """Set ``output.page_numbers`` in the project's manifest."""
    manifest = project / "trainkit.yaml"
    text = manifest.read_text(encoding="utf-8")
    if re.search(r"^  page_numbers:", text, re.MULTILINE):
        text = re.sub(r"^  page_numbers: \S+", f"  page_numbers: {scheme}", text,
                      flags=re.MULTILINE)
    else:
        text = text.replace("\noutput:\n", f"\noutput:\n  page_numbers: {scheme}\n", 1)
    manifest.write_text(text, encoding="utf-8")


def _cached_pieces(project: Path) -> set[str]:
    return {path.name for path in (project / ".trainkit-cache" / "pdf-chunks").glob("*.chunk")}


def _edits(project: Path, command: list[str], runs: int, first: int) -> tuple[float, int]:
    """Median seconds of a rebuild after a one-sentence edit, and the most pieces one of
    them laid out (new cache entries)."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times, laid_out = [], 0
    for run in range(runs):
        before = _cached_pieces(project)
        _edit_one_module(project, first + run)
        times.append(_timed(command))
        laid_out = max(laid_out, len(_cached_pieces(project) - before))
    return _median(times), laid_out


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
            work: Path, language: str = "", watch: bool = True) -> dict[str, Any]:
    html = work / f"{name}.html"
    out = work / f"{name}-out"
    untagged_out = work / f"{name}-untagged"
    overhead = [float(subprocess.run(
        [PYTHON, "-c", _WRITE_HTML, str(project), region, edition, str(html), language],
        check=True, capture_output=True, text=True).stdout) for _ in range(runs)]
    times: dict[str, list[float]] = {key: [] for key in
                                     ("alone", "alone_tagged", "cold", "cold_untagged")}
    cpu: dict[str, list[float]] = {key: [] for key in times}
    build = _build_command(project, region, edition, out, language)
    for _ in range(runs):
        for variant, key in (("untagged", "alone"), ("tagged", "alone_tagged")):
            times[key].append(_timed([PYTHON, "-c", _WEASYPRINT_ALONE, str(html),
                                      str(work / f"alone-{variant}.pdf"), str(project),
                                      variant]))
            cpu[key].append(CPU[-1])
        _clear_caches(project)
        times["cold"].append(_timed(build))
        cpu["cold"].append(CPU[-1])
        _clear_caches(project)
        times["cold_untagged"].append(_timed(
            [*_build_command(project, region, edition, untagged_out, language), "--no-tags"]))
        cpu["cold_untagged"].append(CPU[-1])
    sizes = {"alone": (work / "alone-untagged.pdf").stat().st_size,
             "alone_tagged": (work / "alone-tagged.pdf").stat().st_size,
             "cold": next(out.glob("*.pdf")).stat().st_size,
             "cold_untagged": next(untagged_out.glob("*.pdf")).stat().st_size}
    from pypdf import PdfReader

    pages = len(PdfReader(next(out.glob("*.pdf"))).pages)
    edit, laid_out = _edits(project, build, runs, 0)
    _number_pages(project, "continuous")
    edit_continuous, laid_out_continuous = _edits(project, build, runs, 50)
    _number_pages(project, "per-module")
    row: dict[str, Any] = {"name": name, "pages": pages, "overhead": _median(overhead),
                           "edit": edit, "laid_out": laid_out,
                           "edit_continuous": edit_continuous,
                           "laid_out_continuous": laid_out_continuous,
                           "sizes": sizes, **{key: _median(v) for key, v in times.items()},
                           "cpu": {key: _median(v) for key, v in cpu.items()}}
    row["watch"] = _watch_rebuilds(project, region, edition, out, runs) if watch else None
    return row


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


def _print_rows(rows: list[dict[str, Any]]) -> None:
    print("| manual | pages | WeasyPrint alone (tagged) | trainkit cold (tagged) | ratio |"
          " WeasyPrint untagged | trainkit --no-tags | ratio | tagged / untagged, trainkit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['name']} | {row['pages']} | {row['alone_tagged']:.2f} s | "
              f"{row['cold']:.2f} s | {row['cold'] / row['alone_tagged']:.2f}x | "
              f"{row['alone']:.2f} s | {row['cold_untagged']:.2f} s | "
              f"{row['cold_untagged'] / row['alone']:.2f}x | "
              f"{row['cold'] / row['cold_untagged']:.2f}x |")
    print("\nCPU seconds (user + system, all processes; medians):\n")
    print("| manual | WeasyPrint tagged | trainkit tagged | WeasyPrint untagged |"
          " trainkit untagged | tagged / untagged, trainkit |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        cpu = row["cpu"]
        print(f"| {row['name']} | {cpu['alone_tagged']:.2f} | {cpu['cold']:.2f} | "
              f"{cpu['alone']:.2f} | {cpu['cold_untagged']:.2f} | "
              f"{cpu['cold'] / cpu['cold_untagged']:.2f}x |")
    print("\n| manual | WeasyPrint tagged | trainkit tagged | ratio | WeasyPrint untagged |"
          " trainkit untagged | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        size = {key: value / 1024 for key, value in row["sizes"].items()}
        print(f"| {row['name']} | {size['alone_tagged']:.0f} KiB | {size['cold']:.0f} KiB | "
              f"{size['cold'] / size['alone_tagged']:.2f}x | {size['alone']:.0f} KiB | "
              f"{size['cold_untagged']:.0f} KiB | "
              f"{size['cold_untagged'] / size['alone']:.2f}x |")
    print("\n| manual | after one edit | edit / cold | pieces laid out | same, continuous"
          " numbers | edit / cold | pieces laid out | edit, --watch | watch / cold |"
          " trainkit overhead | overhead / cold |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        cold, watch = row["cold"], row["watch"]
        watched = f"{watch:.2f} s | {watch / cold:.2f}" if watch is not None else " | "
        print(f"| {row['name']} | {row['edit']:.2f} s | {row['edit'] / cold:.2f} | "
              f"{row['laid_out']} | {row['edit_continuous']:.2f} s | "
              f"{row['edit_continuous'] / cold:.2f} | {row['laid_out_continuous']} | "
              f"{watched} | {row['overhead']:.3f} s | {row['overhead'] / cold:.1%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generated", type=int, default=50, help="modules in the generated manual")
    parser.add_argument("--memory", type=int, default=0, help="modules for the memory run")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shipped = work / "shipped"
        shutil.copytree(REPOSITORY, shipped, ignore=shutil.ignore_patterns(
            ".git", ".venv", "dist", ".trainkit-cache", "benchmarks", "tests", "__pycache__"))
        generated = work / f"m{args.generated}"
        generate(generated, args.generated)
        rows = [measure("shipped manual, north-africa trainer", shipped, "north-africa",
                        "trainer", args.runs, work),
                measure("shipped manual, north-africa trainer, Arabic", shipped,
                        "north-africa", "trainer", args.runs, work, language="ar",
                        watch=False),
                measure(f"generated {args.generated} modules", generated, "region-1", "trainer",
                        args.runs, work)]
        _print_rows(rows)
        if args.memory:
            own, worker, pages, rss, pss = peak_memory(args.memory, work)
            print(f"\nPeak memory, {args.memory} modules ({pages} pages): trainkit process "
                  f"{own:.0f} MiB, largest worker {worker:.0f} MiB; all processes together "
                  f"{rss:.0f} MiB resident, {pss:.0f} MiB proportional (PSS)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
