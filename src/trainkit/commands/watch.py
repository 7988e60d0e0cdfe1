"""``trainkit build --watch``: rebuild an edition each time a project file changes.

Editors revise a module and want to see the edition again, as with ``quarto preview``,
``mkdocs serve`` or ``latexmk -pvc``. One process stays up: the PDF render pool keeps
its workers (WeasyPrint imported, fonts loaded, the stylesheet parsed), the module and
chunk caches hold everything that did not change, so a rebuild after an edit to one
module costs about the render of that module.

Changes are found by polling: every ``interval`` seconds the project folder is listed
(``snapshot``: each file's size and modification time; hidden folders, caches, virtual
environments and the output folder are skipped, and only the file types a build reads
count, as in ``preview``: a PDF written anywhere in the project triggers nothing). Polling needs no platform-specific
notification service and costs about 10 ms per poll for a thousand files. A burst of
writes (an editor saving several files) is built once, after the files have stopped
changing for ``SETTLE_SECONDS``.

The library never prints: each build's result, or the ``TrainkitError`` that stopped it,
goes to ``on_build``; the command line prints it and keeps watching.

Ctrl-C stops the watch (``KeyboardInterrupt`` goes to the caller) and SIGTERM, the way a
service manager or a CI runner stops a process, stops it the same way (``watch``
returns). Either way the render workers are ended before the watch is left: they never
see Ctrl-C themselves (``cores.worker_pool``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from trainkit.commands.build import BuildOptions, BuildResult, build_edition
from trainkit.commands.watch_filter import INPUT_SUFFIXES, SKIPPED_FOLDERS
from trainkit.errors import TrainkitError
from trainkit.writers.pdf import early_pool
from trainkit.writers.pdf.render_pool import RenderPool

#: A file's size and modification time (nanoseconds), by path relative to the project.
Snapshot = dict[str, tuple[int, int]]

#: How long the files must stay unchanged before a rebuild starts.
SETTLE_SECONDS = 0.05



@dataclass(frozen=True, slots=True)
class WatchedBuild:
    """One build in watch mode: what changed, and the result or the error that stopped it."""

    changed: tuple[str, ...]
    result: BuildResult | None
    error: TrainkitError | None
    seconds: float


OnBuild = Callable[[WatchedBuild], None]


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> Snapshot:
    """Size and modification time of every file under ``root`` a build may read."""
    skipped = {str(path.resolve()) for path in skip}
    base = root.resolve()
    found: Snapshot = {}
    for folder, names in _walk(base, skipped):
        for name in names:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # removed while listing: the next poll sees it gone
            found[os.path.relpath(path, base)] = (stat.st_size, stat.st_mtime_ns)
    return found


def _walk(root: Path, skipped: set[str]) -> Iterator[tuple[str, list[str]]]:
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders
                      if not name.startswith(".") and name not in SKIPPED_FOLDERS
                      and os.path.join(folder, name) not in skipped]
        yield folder, [name for name in files if not name.startswith((".", "~", "#"))
                       and os.path.splitext(name)[1].lower() in INPUT_SUFFIXES]


def changed_files(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Files added, removed or changed between two snapshots, sorted."""
    names = before.keys() | after.keys()
    return tuple(sorted(name for name in names if before.get(name) != after.get(name)))


class _Terminated(BaseException):
    """SIGTERM arrived while watching: unwinds like Ctrl-C (no ``except Exception`` stops it)."""


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While the block runs, SIGTERM raises ``_Terminated`` (main thread only: elsewhere
    Python cannot set signal handlers, and SIGTERM keeps its default)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def watch(project_dir: Path, options: BuildOptions, on_build: OnBuild, *,
          interval: float = 0.2, should_stop: Callable[[], bool] = lambda: False,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Build now, then again after each change, until ``should_stop``, SIGTERM (both
    return) or Ctrl-C (``KeyboardInterrupt``); the render workers are ended first.

    The render pool lives as long as the watch, so its workers stay warm. The output
    folder is never watched (``--out``, or the manifest's, learnt from the first build).
    """
    try:
        with _sigterm_stops():
            _watch(project_dir, options, on_build, interval, should_stop, sleep)
    except _Terminated:
        return


def _watch(project_dir: Path, options: BuildOptions, on_build: OnBuild, interval: float,
           should_stop: Callable[[], bool], sleep: Callable[[float], None]) -> None:
    skip = {options.out_dir.resolve()} if options.out_dir is not None else set()
    with early_pool(options.formats, options.writer_jobs) or nullcontext() as pool:
        state = snapshot(project_dir, tuple(skip))
        build = _build(project_dir, options, pool, ())
        on_build(build)
        while not should_stop():
            outputs = _output_folder(build)
            if not outputs <= skip:
                skip |= outputs
                state = _without(state, project_dir, skip)
            sleep(interval)
            current = snapshot(project_dir, tuple(skip))
            if current == state:
                continue
            current = _settled(project_dir, tuple(skip), current, sleep)
            changed, state = changed_files(state, current), current
            build = _build(project_dir, options, pool, changed)
            on_build(build)


def _output_folder(build: WatchedBuild) -> set[Path]:
    if build.result is None or build.result.out_dir is None:
        return set()
    return {build.result.out_dir.resolve()}


def _without(state: Snapshot, root: Path, skip: set[Path]) -> Snapshot:
    """``state`` without the files inside the skipped folders."""
    base = root.resolve()
    return {name: facts for name, facts in state.items()
            if not any((base / name).is_relative_to(folder) for folder in skip)}


def _settled(project_dir: Path, skip: tuple[Path, ...], current: Snapshot,
             sleep: Callable[[float], None]) -> Snapshot:
    """The project once it has stopped changing for ``SETTLE_SECONDS`` (an editor's burst
    of writes, or a ``git checkout``, is built once)."""
    while True:
        sleep(SETTLE_SECONDS)
        again = snapshot(project_dir, skip)
        if again == current:
            return current
        current = again


def _build(project_dir: Path, options: BuildOptions, pool: RenderPool | None,
           changed: tuple[str, ...]) -> WatchedBuild:
    started = time.perf_counter()
    try:
        result = build_edition(project_dir, options, renderer=pool)
    except TrainkitError as error:
        return WatchedBuild(changed, None, error, time.perf_counter() - started)
    return WatchedBuild(changed, result, None, time.perf_counter() - started)

