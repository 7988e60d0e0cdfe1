"""Load many module files, from the cache where possible and in worker processes otherwise.

Workers send each parsed module back already encoded for the cache (``cache.encode``):
the parent decodes only its head (front-matter, findings, facts) and stores the same bytes
in the cache, instead of the executor pickling it with the slow default reducers and the
cache pickling it again. Bodies stay encoded (``cache.LazyBodies``) until something asks
for one (a build), so ``validate`` never rebuilds them. The process pool and markdown-it
are imported only when files must be parsed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from trainkit.loading.module_cache import (
    FREEZE_FROM, Encoded, LazyBodies, ModuleCache, decode, encode,
)
from trainkit.loading.module_file import ModuleSource, load_module_file
from trainkit.model.document import Body
from trainkit.runtime import gc_paused, stopped_on_error, usable_cores, worker_pool

#: Below this many uncached files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
#: Most worker processes to start.
MAX_WORKERS = 8
#: Most files a worker parses per task: small tasks keep the workers evenly loaded at the
#: end and let the parent decode results while the workers are still parsing.
MAX_CHUNK = 16


def load_modules(root: Path, relatives: list[str], cache: ModuleCache | None,
                 ) -> dict[str, ModuleSource]:
    """Each module file by its project-relative path."""
    loaded: dict[str, ModuleSource] = {}
    misses: list[tuple[str, str | None]] = []
    bodies = LazyBodies(partial(_reparse_body, root))
    # Every object built here lives on, so collections would only walk them again and
    # again; a large manual's are frozen out of the collector's sight for the rest of the run.
    with gc_paused(freeze=len(relatives) >= FREEZE_FROM):
        for relative in relatives:
            key = _cache_key(root, relative) if cache else None
            hit = cache.get(key, bodies) if cache and key else None
            if hit is not None:
                loaded[relative] = hit
            else:
                misses.append((relative, key))
        parsed = _load_all(root, [r for r, _ in misses], bodies, encoded=cache is not None)
        for (relative, key), (module, encoded) in zip(misses, parsed, strict=True):
            loaded[relative] = module
            if cache is not None and key is not None:
                cache.put(key, module, encoded)
    if cache is not None:
        cache.save()
    return {relative: loaded[relative] for relative in relatives}


def _cache_key(root: Path, relative: str) -> str | None:
    try:
        with open(os.path.join(root, relative), "rb") as stream:
            return ModuleCache.key(relative, stream.read())
    except OSError:
        return None


def _reparse_body(root: Path, relative: str) -> Body | None:
    """The body of a module parsed again (its encoded body no longer decodes)."""
    return load_module_file(root / relative, relative).body


def worker_count() -> int:
    """Worker processes to use: the CPUs this process may run on, at most ``MAX_WORKERS``."""
    return min(usable_cores(), MAX_WORKERS)


def _load_all(root: Path, relatives: list[str], bodies: LazyBodies, *, encoded: bool,
              ) -> Iterator[tuple[ModuleSource, Encoded | None]]:
    """Each file loaded, in order, with its encoding when ``encoded`` (None otherwise)."""
    workers = worker_count()
    if len(relatives) < PARALLEL_THRESHOLD or workers < 2:
        for relative in relatives:
            yield _load_here(root, relative, encoded=encoded)
        return
    yield from _load_in_workers(root, relatives, workers, bodies, encoded=encoded)


def _load_in_workers(root: Path, relatives: list[str], workers: int, bodies: LazyBodies, *,
                     encoded: bool) -> Iterator[tuple[ModuleSource, Encoded | None]]:
    from trainkit.parsing.markdown import markdown_parser

    markdown_parser()  # build it once, before the fork, for every worker
    chunk = max(1, min(MAX_CHUNK, len(relatives) // (workers * 8)))
    jobs = [(str(root), relative) for relative in relatives]
    with worker_pool(workers) as pool, stopped_on_error(pool):
        for relative, blobs in zip(relatives, pool.map(_load_one, jobs, chunksize=chunk)):
            module = decode(blobs, bodies)
            if module is None:  # only if the encoding were broken: load the file here
                yield _load_here(root, relative, encoded=encoded)
            else:
                yield module, (blobs if encoded else None)


def _load_here(root: Path, relative: str, *, encoded: bool,
               ) -> tuple[ModuleSource, Encoded | None]:
    module = load_module_file(root / relative, relative)
    return module, (encode(module) if encoded else None)


def _load_one(job: tuple[str, str]) -> Encoded:
    """Worker: load one file and return it encoded."""
    root, relative = job
    with gc_paused():
        return encode(load_module_file(Path(root) / relative, relative))
