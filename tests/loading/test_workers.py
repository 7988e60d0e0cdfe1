"""Loading modules in worker processes: the parent's ``meanwhile`` work, and the chunks it
takes for itself when no worker has started them."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from conftest import ProjectDir
from trainkit.loading import workers
from trainkit.loading.module_cache import Encoded, LazyBodies, encode
from trainkit.loading.module_file import ModuleSource, load_module_file
from trainkit.loading.workers import PARALLEL_THRESHOLD, load_modules
from trainkit.runtime import usable_cores

from loading.test_module_cache import many_modules

needs_two_cores = pytest.mark.skipif(usable_cores() < 2,
                                     reason="one core: modules are parsed in this process")


def module_paths(project: ProjectDir) -> list[str]:
    return sorted(str(path.relative_to(project.root))
                  for path in (project.root / "modules").rglob("*.md"))


def as_loaded_here(project: ProjectDir, relatives: list[str]) -> list[object]:
    return [load_module_file(project.path(relative), relative).body for relative in relatives]


@needs_two_cores
def test_meanwhile_runs_once_while_workers_parse(project: ProjectDir) -> None:
    many_modules(project, PARALLEL_THRESHOLD + 8)
    relatives = module_paths(project)
    seen: list[int] = []

    def meanwhile() -> None:
        seen.append(len(multiprocessing.active_children()))

    loaded = load_modules(project.root, relatives, None, meanwhile)
    assert len(seen) == 1 and seen[0] >= 1  # called once, with the workers running
    assert list(loaded) == relatives
    assert [module.body for module in loaded.values()] == as_loaded_here(project, relatives)


def test_meanwhile_runs_once_without_workers(project: ProjectDir) -> None:
    relatives = module_paths(project)
    assert len(relatives) < PARALLEL_THRESHOLD
    calls: list[None] = []
    loaded = load_modules(project.root, relatives, None, lambda: calls.append(None))
    assert calls == [None] and list(loaded) == relatives


@needs_two_cores
def test_this_process_takes_the_chunks_no_worker_has_started(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    many_modules(project, PARALLEL_THRESHOLD + 8)
    relatives = module_paths(project)
    parent = os.getpid()
    here: list[str] = []
    real = load_module_file

    def slow_in_workers(path: Path, relative: str) -> ModuleSource:
        if os.getpid() != parent:
            time.sleep(0.1)  # a worker that takes its time (forked workers inherit this)
        else:
            here.append(relative)
        return real(path, relative)

    monkeypatch.setattr(workers, "load_module_file", slow_in_workers)
    bodies = LazyBodies(lambda relative: None)
    loaded = list(workers._load_in_workers(project.root, relatives, 1, bodies, encoded=True,
                                           meanwhile=lambda: None))
    # The worker took the first chunks; this process loaded the rest (the last files),
    # and the order is still the files' order.
    assert 0 < len(here) < len(relatives)
    assert sorted(here) == relatives[len(relatives) - len(here):]
    assert [module.path for module, _ in loaded] == relatives
    assert all(blobs is not None for _, blobs in loaded)
    monkeypatch.undo()
    assert [module.body for module, _ in loaded] == as_loaded_here(project, relatives)


def test_results_in_order_with_untaken_chunks_loaded_here(project: ProjectDir) -> None:
    relatives = module_paths(many_modules(project, 2))[:4]
    chunks = [[relative] for relative in relatives]
    claims = multiprocessing.get_context().Array("b", len(chunks))
    futures: list[Future[list[Encoded] | None]] = [Future() for _ in chunks]
    for index in (0, 1):  # a worker took these two and is done with them
        claims[index] = 1
        futures[index].set_result([encode(load_module_file(
            project.path(relatives[index]), relatives[index]))])
    bodies = LazyBodies(lambda relative: None)
    loaded = list(workers._in_order(project.root, chunks, futures, claims, bodies,
                                    encoded=False))
    assert [module.path for module, _ in loaded] == relatives
    assert claims[:] == [1, 1, 1, 1] and not any(f.cancelled() for f in futures)
    assert [module.body for module, _ in loaded] == as_loaded_here(project, relatives)


def test_a_worker_skips_a_chunk_already_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = multiprocessing.get_context().Array("b", 2)
    claims[1] = 1
    monkeypatch.setattr(workers, "_CLAIMS", claims)
    assert workers._load_chunk("/nonexistent", ["a.md"], 1) is None
    assert workers._take(claims, 0) and not workers._take(claims, 0)


_INTERRUPTED = """
import os, sys, time
from pathlib import Path
import trainkit.loading.workers as workers
from trainkit.loading.module_cache import LazyBodies

parent, calls, real = os.getpid(), [], workers.load_module_file

def interrupted_here(path, relative):
    if os.getpid() == parent:
        calls.append(relative)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while this process parses a chunk it took
    else:
        time.sleep(0.05)
    return real(path, relative)

workers.load_module_file = interrupted_here
try:
    list(workers._load_in_workers(Path(sys.argv[1]), sys.argv[2:], 1,
                                  LazyBodies(lambda path: None), encoded=False,
                                  meanwhile=lambda: None))
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
"""


@needs_two_cores
def test_ctrl_c_while_this_process_parses_leaves_no_traceback(project: ProjectDir) -> None:
    relatives = module_paths(many_modules(project, PARALLEL_THRESHOLD + 8))
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED, str(project.root),
                             *relatives], capture_output=True, text=True, timeout=120)
    assert result.stderr.strip() == "interrupted"


_PROBE = """
import json, sys
import trainkit.cli.app
sys.argv = ["trainkit", "build", sys.argv[1], "-f", "docx", "-o", sys.argv[2]]
try:
    trainkit.cli.app.main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_docx_build_imports_no_pdf_machinery(project: ProjectDir, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE, str(project.root),
                             str(tmp_path / "out")], capture_output=True, text=True,
                            check=True, env=dict(os.environ, TRAINKIT_SOFFICE=""))
    imported = set(__import__("json").loads(result.stderr.strip().splitlines()[-1]))
    assert "trainkit.writers.docx.document" in imported  # the probe works
    assert not {"trainkit.writers.pdf.render_pool", "weasyprint"} & imported
