"""Worker processes: how many to start, and how they start."""

from __future__ import annotations

import os
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
