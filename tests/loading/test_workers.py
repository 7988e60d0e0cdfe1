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


def slow_chunk(root: str, relatives: list[str]) -> list[Encoded]:
    """A worker that takes its time, so this process finds chunks nobody has started."""
    time.sleep(0.2)
    return [encode(load_module_file(Path(root) / relative, relative))
            for relative in relatives]


@needs_two_cores
def test_this_process_takes_the_chunks_no_worker_has_started(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    many_modules(project, PARALLEL_THRESHOLD + 8)
    relatives = module_paths(project)
    monkeypatch.setattr(workers, "_load_chunk", slow_chunk)  # forked workers inherit it
    here: list[str] = []
    load_here = workers._load_here

    def counted(root: Path, relative: str, *, encoded: bool,
                ) -> tuple[ModuleSource, Encoded | None]:
        assert os.getpid() == parent
        here.append(relative)
        return load_here(root, relative, encoded=encoded)

    parent = os.getpid()
    monkeypatch.setattr(workers, "_load_here", counted)
    bodies = LazyBodies(lambda relative: None)
    loaded = list(workers._load_in_workers(project.root, relatives, 1, bodies, encoded=True,
                                           meanwhile=lambda: None))
    # The worker started the first chunks (one sent to it, one queued); this process
    # loaded the rest (the last files), and the order is still the files' order.
    assert 0 < len(here) < len(relatives)
    assert sorted(here) == relatives[len(relatives) - len(here):]
    assert [module.path for module, _ in loaded] == relatives
    assert all(blobs is not None for _, blobs in loaded)
    assert [module.body for module, _ in loaded] == as_loaded_here(project, relatives)


def test_results_in_order_with_unstarted_chunks_loaded_here(project: ProjectDir) -> None:
    relatives = module_paths(many_modules(project, 2))[:4]
    chunks = [[relative] for relative in relatives]
    futures: list[Future[list[Encoded]]] = [Future() for _ in chunks]
    futures[0].set_running_or_notify_cancel()
    futures[0].set_result([encode(load_module_file(project.path(relatives[0]), relatives[0]))])
    futures[1].set_running_or_notify_cancel()  # a worker has it: it must not be taken
    futures[1].set_result([encode(load_module_file(project.path(relatives[1]), relatives[1]))])
    bodies = LazyBodies(lambda relative: None)
    loaded = list(workers._in_order(project.root, chunks, futures, bodies, encoded=False))
    assert [module.path for module, _ in loaded] == relatives
    assert [future.cancelled() for future in futures] == [False, False, True, True]
    assert [module.body for module, _ in loaded] == as_loaded_here(project, relatives)


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
