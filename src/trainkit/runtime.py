"""How trainkit uses the machine: worker processes (how many, how they start) and the
garbage collector (paused while many long-lived objects are made)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


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
