"""How trainkit uses the machine: worker processes and the garbage collector.

Worker processes: how many to start, how they start, and how they end.

Every pool of worker processes (the module parser, the PDF render pool, ``build --all``)
is made by ``worker_pool``, whose workers:

- leave Ctrl-C to this process (they ignore SIGINT; the terminal sends it to the whole
  process group, and a worker would print a ``KeyboardInterrupt`` traceback of its own);
- exit by themselves when this process dies, even by ``kill -9`` (the OOM killer, a
  cancelled CI job), instead of waiting for work on a pipe for ever. On Linux a
  parent-death signal is asked of the kernel (``prctl(PR_SET_PDEATHSIG)``). The kernel
  sends it when the *thread* that forked the worker ends, not the process, so it is
  only asked for workers forked by the main thread, which lives as long as the process;
  a worker forked by another thread (the render pool starts one from a result callback
  when a worker died) would be killed when that thread ends. Everywhere, a watchdog
  thread in each worker also checks every ``PARENT_CHECK_SECONDS`` that its parent is
  still the process that started it, and ends the worker when it is not.

``stop_workers`` ends a pool's workers at once, for when nobody waits for their work
any more (Ctrl-C, SIGTERM in ``build --watch``).

``gc_paused`` pauses the cyclic garbage collector while many long-lived objects are made.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

#: How often a worker's watchdog checks that its parent is alive.
PARENT_CHECK_SECONDS = 0.5
#: The exit status of a worker that finds itself orphaned (nobody reads it).
ORPHANED_EXIT = 70
#: ``prctl`` option: the signal this process gets when the thread that forked it ends.
_PR_SET_PDEATHSIG = 1

#: Runs in each worker after ``worker_started`` (imports it should do once, early).
Prepare = Callable[[], None]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_context() -> BaseContext:
    """How worker processes start: forked where the OS can (they inherit what this process
    already loaded), spawned elsewhere. ``multiprocessing`` is imported only now: a warm
    ``validate`` starts no process and should not pay for it."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def worker_pool(workers: int, prepare: Prepare | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to this process and die with it.

    Its workers must be started (its first ``submit`` or ``map``) by the thread that
    calls this: whether they get a parent-death signal depends on that thread.
    ``prepare`` runs first thing in each worker.
    """
    from concurrent.futures import ProcessPoolExecutor

    on_main_thread = threading.current_thread() is threading.main_thread()
    return ProcessPoolExecutor(max_workers=workers, mp_context=process_context(),
                               initializer=worker_started,
                               initargs=(os.getpid(), on_main_thread, prepare))


def worker_started(parent: int, on_main_thread: bool, prepare: Prepare | None = None) -> None:
    """Worker, first thing: ignore Ctrl-C, die on SIGTERM, die with ``parent`` (the process
    id of the process that started it); then ``prepare``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler inherited by the fork
    if on_main_thread:
        _ask_for_parent_death_signal()
    if os.getppid() != parent:  # the parent died before this worker got here
        os._exit(ORPHANED_EXIT)
    threading.Thread(target=_watch_parent, args=(parent,), name="trainkit-parent-watch",
                     daemon=True).start()
    if prepare is not None:
        prepare()


def _ask_for_parent_death_signal() -> None:
    """Linux: have the kernel kill this process when the thread that forked it ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no usable C library: the watchdog alone
        return


def _watch_parent(parent: int) -> None:
    """Worker thread: end the process as soon as its parent is no longer ``parent``."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(ORPHANED_EXIT)


def stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now, whatever they are doing."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()


@contextmanager
def stopped_on_error(executor: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """The pool; if the block raises (Ctrl-C included), its workers are ended at once
    instead of being waited for (they ignore Ctrl-C, and nobody wants their work)."""
    try:
        yield executor
    except BaseException:
        stop_workers(executor)
        raise


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees memory).

    Loading a large manual creates hundreds of thousands of long-lived, acyclic nodes;
    each collection would walk all of them again. With ``freeze``, everything alive at
    the end is moved to the collector's permanent generation (``gc.freeze()``), so later
    collections skip it too: once it is resumed, the collector would otherwise walk every
    node twice more (young, then middle generation), 0.4 s for a 1,000-module manual.
    Frozen objects are still freed by reference counting; only reference cycles among
    them are never collected, and loaded modules have none.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
