"""Where print chunks are rendered: in this process, or in worker processes started early.

Importing WeasyPrint takes about half a second, as long as validating and assembling a
manual of a dozen modules. ``RenderPool.start`` forks the workers as a build begins, so
they import it while this process validates; this process itself never imports
WeasyPrint, and merges the chunks already rendered while the workers lay out the rest.
A pool that was not needed in the end (every chunk came from the cache) is stopped
without waiting for its imports.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from trainkit.writers.chunks import ChunkResult, render_chunk


class Renderer(Protocol):
    """Renders chunks, now or later; the result (or exception) comes through the future."""

    def submit(self, root: str, html: str, css: str, own_css: str) -> Future[ChunkResult]:
        """Start rendering one chunk."""


class InlineRenderer:
    """Renders each chunk in this process when it is submitted (one core, or a worker)."""

    def submit(self, root: str, html: str, css: str, own_css: str) -> Future[ChunkResult]:
        future: Future[ChunkResult] = Future()
        try:
            future.set_result(render_chunk(root, html, css, own_css))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _prepare_worker() -> None:
    import weasyprint  # noqa: F401 - the half second this pool exists to hide


def _ready() -> None:
    return None


class RenderPool:
    """Worker processes that render chunks; close it with ``close``."""

    def __init__(self, workers: int) -> None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._executor = ProcessPoolExecutor(max_workers=workers,
                                             mp_context=multiprocessing.get_context(method),
                                             initializer=_prepare_worker)
        self.used = False

    @classmethod
    def start(cls, workers: int) -> RenderPool:
        """A pool whose workers are starting now (they import WeasyPrint at once)."""
        pool = cls(workers)
        pool._executor.submit(_ready)
        return pool

    def submit(self, root: str, html: str, css: str, own_css: str) -> Future[ChunkResult]:
        self.used = True
        return self._executor.submit(render_chunk, root, html, css, own_css)

    def close(self) -> None:
        """Wait for the workers to finish, or stop them at once if they never rendered."""
        if not self.used:
            terminate = getattr(self._executor, "terminate_workers", None)  # Python 3.14
            if terminate is not None:
                terminate()
            else:
                for process in list(getattr(self._executor, "_processes", {}).values()):
                    process.terminate()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
