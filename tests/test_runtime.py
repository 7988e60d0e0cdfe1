"""Issue 12, item 7: worker processes never outlive the trainkit process that started them.

Each test runs trainkit in a subprocess, finds its worker processes in ``/proc`` (their
parent is the trainkit process), stops trainkit the way the outside world does (``kill
-9`` as the OOM killer or a cancelled CI job, SIGTERM as a service manager, Ctrl-C as a
terminal: SIGINT to the whole process group) and checks that no worker is left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPOSITORY
from trainkit.runtime import usable_cores

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)"),
    pytest.mark.skipif(usable_cores() < 2, reason="worker processes need two cores"),
]

#: How long workers may take to notice that their parent is gone.
EXIT_SECONDS = 5.0
#: How long a build may take to start its workers (or a watch its first build).
START_SECONDS = 60.0
#: trainkit's command line, run by this Python.
TRAINKIT = [sys.executable, "-c", "from trainkit.cli.app import main; main()"]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None if it does not exist."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its new parent to reap it does not)."""
    found = _stat(pid)
    return found is not None and found[0] != "Z"


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (every ``/proc/<pid>/stat`` is read)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[1] == pid and stat[0] != "Z":
            found.add(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"after {seconds:.0f} s: {what}")
        time.sleep(0.05)


class Run:
    """trainkit (or a script) in a subprocess, its stderr in a file, its workers tracked."""

    def __init__(self, args: list[str], folder: Path, *, session: bool = False) -> None:
        self.stderr_path = folder / "stderr.txt"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(args, cwd=folder, stdout=subprocess.DEVNULL,
                                            stderr=stderr, start_new_session=session)
        self.workers: set[int] = set()

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_workers(self, count: int) -> set[int]:
        """Its live child processes, once there are ``count`` of them."""
        def enough() -> bool:
            assert self.process.poll() is None, f"exited early:\n{self.stderr}"
            self.workers |= children(self.process.pid)
            return len(children(self.process.pid)) >= count
        wait_for(enough, START_SECONDS, f"fewer than {count} workers\n{self.stderr}")
        return children(self.process.pid)

    def wait_for_stderr(self, text: str) -> None:
        def seen() -> bool:
            assert self.process.poll() is None, f"exited early:\n{self.stderr}"
            return text in self.stderr
        wait_for(seen, START_SECONDS, f"no {text!r} on stderr\n{self.stderr}")

    def assert_workers_gone(self) -> None:
        wait_for(lambda: not any(_alive(pid) for pid in self.workers), EXIT_SECONDS,
                 f"workers still running: {sorted(p for p in self.workers if _alive(p))}")

    def clean_up(self) -> None:
        """End what the test started and is still running (by process id)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid in self.workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    started: list[Run] = []
    yield started
    for run in started:
        run.clean_up()


def shipped_manual(destination: Path) -> Path:
    """A copy of the repository's manual (12 modules: a PDF build takes a while)."""
    destination.mkdir()
    for name in ("trainkit.yaml", "glossary.yaml"):
        shutil.copy(REPOSITORY / name, destination / name)
    for name in ("modules", "regions"):
        shutil.copytree(REPOSITORY / name, destination / name)
    return destination


def _kill_parent(run: Run) -> None:
    os.kill(run.process.pid, signal.SIGKILL)
    assert run.process.wait(timeout=10) == -signal.SIGKILL


# -- kill -9 of the parent ----------------------------------------------------------------


@pytest.mark.slow
def test_pdf_render_workers_exit_when_the_build_is_killed(tmp_path: Path,
                                                          runs: list[Run]) -> None:
    project = shipped_manual(tmp_path / "manual")
    run = Run([*TRAINKIT, "build", str(project), "-f", "pdf", "-o", str(tmp_path / "out")],
              tmp_path)
    runs.append(run)
    workers = run.wait_for_workers(2)  # the early worker, and one more once chunks wait
    _kill_parent(run)
    assert workers
    run.assert_workers_gone()
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.slow
def test_build_all_workers_exit_when_the_build_is_killed(tour: Path, runs: list[Run]) -> None:
    run = Run([*TRAINKIT, "build", str(tour), "--all", "-f", "pdf", "-j", "2",
               "-o", str(tour / "out")], tour.parent)
    runs.append(run)
    run.wait_for_workers(2)
    _kill_parent(run)
    run.assert_workers_gone()


PARSER_SCRIPT = """
import time
from pathlib import Path

import trainkit.loading.workers as parallel
from trainkit.loading.module_cache import LazyBodies

def slow_load(root, relatives, index):
    time.sleep(300)  # modules that take for ever to parse

parallel._load_chunk = slow_load
bodies = LazyBodies(lambda path: None)
for _ in parallel._load_in_workers(Path("."), ["a.md", "b.md", "c.md"], 2, bodies,
                                   encoded=False, meanwhile=lambda: time.sleep(300)):
    pass
"""


def test_module_parser_workers_exit_when_their_parent_is_killed(tmp_path: Path,
                                                                 runs: list[Run]) -> None:
    run = Run([sys.executable, "-c", textwrap.dedent(PARSER_SCRIPT)], tmp_path)
    runs.append(run)
    run.wait_for_workers(2)
    _kill_parent(run)
    run.assert_workers_gone()


THREAD_SCRIPT = """
import sys
import threading
import time

from trainkit.writers.pdf.render_pool import RenderPool

pools = []
starter = threading.Thread(target=lambda: pools.append(RenderPool.start(2)))
starter.start()
starter.join()  # the thread that forked the worker has ended; the worker must not
print("started", file=sys.stderr, flush=True)
time.sleep(300)
"""


def test_a_worker_forked_by_a_thread_outlives_the_thread_but_not_the_process(
        tmp_path: Path, runs: list[Run]) -> None:
    """The parent-death signal fires when the forking *thread* ends: such a worker relies
    on its watchdog, which ends it when the process is gone."""
    run = Run([sys.executable, "-c", textwrap.dedent(THREAD_SCRIPT)], tmp_path)
    runs.append(run)
    run.wait_for_stderr("started")
    (worker,) = run.wait_for_workers(1)
    time.sleep(1.0)
    assert _alive(worker), "the worker died with the thread that forked it"
    _kill_parent(run)
    run.assert_workers_gone()


# -- build --watch: SIGTERM and Ctrl-C --------------------------------------------------


def _watch(tour: Path, runs: list[Run]) -> Run:
    run = Run([*TRAINKIT, "build", str(tour), "--watch", "-f", "pdf", "-r", "coastal",
               "-o", str(tour / "out")], tour.parent, session=True)
    runs.append(run)
    run.wait_for_stderr("watching")
    run.wait_for_workers(1)
    return run


@pytest.mark.slow
def test_watch_stops_its_workers_on_sigterm(tour: Path, runs: list[Run]) -> None:
    run = _watch(tour, runs)
    run.process.send_signal(signal.SIGTERM)
    assert run.process.wait(timeout=20) == 0, run.stderr
    run.assert_workers_gone()
    assert "Traceback" not in run.stderr, run.stderr
    assert (tour / "out" / "feature-tour-coastal-trainer.pdf").is_file()
    assert not list((tour / "out").glob(".*.part"))


@pytest.mark.slow
def test_watch_stops_its_workers_on_ctrl_c_without_a_traceback(tour: Path,
                                                               runs: list[Run]) -> None:
    run = _watch(tour, runs)
    os.killpg(run.process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    assert run.process.wait(timeout=20) == 0, run.stderr
    run.assert_workers_gone()
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr
