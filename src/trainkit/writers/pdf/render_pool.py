"""Where print chunks are rendered: in this process, or in worker processes started early.

Importing WeasyPrint takes about 0.4 s, as long as validating and assembling a manual of
a dozen modules. ``RenderPool.start`` forks one worker as a build begins, so that it
imports WeasyPrint while this process validates; this process itself never imports
WeasyPrint, and merges the chunks already rendered while the workers lay out the rest.

More workers (up to ``workers``) are forked only when chunks wait for one: after an edit
to one module, one worker renders it and no other process competes with this one for
the cores while it validates. Each worker takes one chunk at a time, so the work spreads
over them as they finish. A pool that rendered nothing (every chunk came from the cache,
or the project has errors) is stopped without waiting for its imports.

Workers ignore Ctrl-C and die with this process (``cores.worker_pool``). A pool closed
because of an exception (Ctrl-C, SIGTERM in ``build --watch``) ends its workers at once.

This module is light on purpose (no WeasyPrint, no Jinja): the command line starts a
pool before it imports the rest of trainkit.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from trainkit.runtime import stop_workers, usable_cores, worker_pool

if TYPE_CHECKING:
    from trainkit.writers.pdf.piece_cache import ChunkResult
    from trainkit.writers.pdf.pieces import ChunkJob


class Renderer(Protocol):
    """Renders chunks, now or later; the result (or exception) comes through the future."""

    def submit(self, job: ChunkJob) -> Future[ChunkResult]:
        """Start rendering one chunk."""


def render(job: ChunkJob) -> ChunkResult:
    """Render one chunk in this process (``chunks.render_job``)."""
    from trainkit.writers.pdf.pieces import render_job

    return render_job(job)


class InlineRenderer:
    """Renders each chunk in this process when it is submitted (one core, or a worker)."""

    def submit(self, job: ChunkJob) -> Future[ChunkResult]:
        future: Future[ChunkResult] = Future()
        try:
            future.set_result(render(job))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _prepare_worker() -> None:
    import weasyprint  # noqa: F401 - the import this pool exists to hide

    import trainkit.writers.pdf.pieces  # noqa: F401


def _ready() -> None:
    return None


@dataclass(eq=False)
class _Worker:
    """One worker process (a one-process executor) and whether it has a chunk."""

    executor: ProcessPoolExecutor
    busy: bool = False


@dataclass(eq=False)
class _State:
    workers: list[_Worker] = field(default_factory=list)
    queue: deque[tuple[Future[Any], ChunkJob]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RenderPool:
    """Up to ``workers`` worker processes that render chunks; close it with ``close``."""

    def __init__(self, workers: int) -> None:
        self.limit = max(1, workers)
        self.used = False
        self._state = _State()

    @classmethod
    def start(cls, workers: int) -> RenderPool:
        """A pool whose first worker is starting now (it imports WeasyPrint at once)."""
        pool = cls(workers)
        with pool._state.lock:
            pool._add_worker().executor.submit(_ready)  # forks it now
        return pool

    def submit(self, job: ChunkJob) -> Future[ChunkResult]:
        self.used = True
        future: Future[ChunkResult] = Future()
        with self._state.lock:
            self._state.queue.append((future, job))
            self._dispatch()
        return future

    def _add_worker(self) -> _Worker:
        """A new worker (locked); the caller submits to it at once, from the same thread."""
        worker = _Worker(worker_pool(1, _prepare_worker))
        self._state.workers.append(worker)
        return worker

    def _dispatch(self) -> None:
        """Hand waiting chunks to idle workers, forking new ones up to the limit (locked)."""
        state = self._state
        while state.queue:
            idle = next((w for w in state.workers if not w.busy), None)
            if idle is None:
                if len(state.workers) >= self.limit:
                    return
                idle = self._add_worker()
            future, job = state.queue.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            idle.busy = True
            inner = idle.executor.submit(render, job)
            inner.add_done_callback(partial(self._finished, idle, future))

    def _finished(self, worker: _Worker, future: Future[Any], done: Future[Any]) -> None:
        """Pass a worker's result on, and give the worker the next chunk (any thread)."""
        error = done.exception() if not done.cancelled() else None
        with self._state.lock:
            worker.busy = False
            if isinstance(error, BrokenProcessPool):  # its process died: never use it again
                if worker in self._state.workers:  # not when ``close`` ended it
                    self._state.workers.remove(worker)
                worker.executor.shutdown(wait=False)
            self._dispatch()
        if done.cancelled():  # only when the pool is closed early: nobody waits any more
            future.set_exception(CancelledError())
        elif error is not None:
            future.set_exception(error)
        else:
            future.set_result(done.result())

    def close(self, *, stop: bool = False) -> None:
        """Wait for the workers to finish; stop them at once if they never rendered, or
        with ``stop`` (nobody waits for their work any more)."""
        with self._state.lock:
            workers, self._state.workers = self._state.workers, []
            waiting, self._state.queue = self._state.queue, deque()
        for future, _ in waiting:
            future.cancel()
        for worker in workers:
            if stop or not self.used:
                stop_workers(worker.executor)
            worker.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(stop=exc_type is not None)
