"""Load many module files, from the cache where possible and in worker processes otherwise.

Workers send each parsed module back already encoded for the cache (``cache.encode``):
the parent decodes only its head (front-matter, findings, facts) and stores the same bytes
in the cache, instead of the executor pickling it with the slow default reducers and the
cache pickling it again. Bodies stay encoded (``cache.LazyBodies``) until something asks
for one (a build), so ``validate`` never rebuilds them. The process pool and markdown-it
are imported only when files must be parsed.

The parent is one of the parsers: it starts one worker fewer than it has cores, does
what its caller asked of it ``meanwhile`` (a build imports its writers), then decodes the
workers' results in order and, whenever the next one is not ready, parses a chunk no
worker has started yet, from the back. Below ``PARALLEL_THRESHOLD`` files, or on one
core, everything is parsed in the parent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from trainkit.loading.module_cache import (
    FREEZE_FROM, Encoded, LazyBodies, ModuleCache, decode, encode,
)
from trainkit.loading.module_file import ModuleSource, load_module_file
from trainkit.model.document import Body
from trainkit.runtime import (
    gc_paused, process_context, stopped_on_error, usable_cores, worker_pool,
)

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.sharedctypes import SynchronizedArray

    #: One byte per chunk: 1 once a worker or this process has taken it.
    Claims = SynchronizedArray[int]

#: Below this many uncached files, starting worker processes costs more than it saves
#: (measured with ``benchmarks/bench_validate.py`` and ``bench_docx.py``).
PARALLEL_THRESHOLD = 12
#: Most worker processes to start.
MAX_WORKERS = 8
#: Most files a worker parses per task. Tasks are small because where the workers (from
#: the front) and this process (from the back) meet, it waits for the tasks the workers
#: are on: with 16 files a task it sat idle 0.2 s of a 1,000-module cold ``validate``;
#: single files cost more in messages than they saved.
MAX_CHUNK = 2

#: Work the parent does while worker processes parse (once, whether they run or not).
Meanwhile = Callable[[], None]


def load_modules(root: Path, relatives: list[str], cache: ModuleCache | None,
                 meanwhile: Meanwhile | None = None) -> dict[str, ModuleSource]:
    """Each module file by its project-relative path; ``meanwhile`` is called once,
    while the workers parse when there are any."""
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
        parsed = _load_all(root, [r for r, _ in misses], bodies, encoded=cache is not None,
                           meanwhile=meanwhile or _nothing)
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


def _nothing() -> None:
    return None


def worker_count() -> int:
    """Worker processes to start: one fewer than the CPUs this process may run on (it
    parses too), at most ``MAX_WORKERS``."""
    return min(usable_cores() - 1, MAX_WORKERS)


def _load_all(root: Path, relatives: list[str], bodies: LazyBodies, *, encoded: bool,
              meanwhile: Meanwhile) -> Iterator[tuple[ModuleSource, Encoded | None]]:
    """Each file loaded, in order, with its encoding when ``encoded`` (None otherwise)."""
    workers = worker_count()
    if len(relatives) < PARALLEL_THRESHOLD or workers < 1:
        meanwhile()
        for relative in relatives:
            yield _load_here(root, relative, encoded=encoded)
        return
    yield from _load_in_workers(root, relatives, workers, bodies, encoded=encoded,
                                meanwhile=meanwhile)


def _load_in_workers(root: Path, relatives: list[str], workers: int, bodies: LazyBodies, *,
                     encoded: bool, meanwhile: Meanwhile,
                     ) -> Iterator[tuple[ModuleSource, Encoded | None]]:
    """The workers take chunks of files from the front; this process, once ``meanwhile``
    is done, decodes their results in order and, whenever the next one is not ready,
    loads a chunk nobody has taken yet, from the back: nobody waits."""
    from trainkit.parsing.markdown import markdown_parser

    markdown_parser()  # build it once, before the fork, for every worker
    size = max(1, min(MAX_CHUNK, len(relatives) // (workers * 8)))
    chunks = [relatives[i:i + size] for i in range(0, len(relatives), size)]
    claims = process_context().Array("b", len(chunks))
    with worker_pool(workers, partial(_use_claims, claims)) as pool, stopped_on_error(pool):
        futures = [pool.submit(_load_chunk, str(root), chunk, index)
                   for index, chunk in enumerate(chunks)]
        meanwhile()
        yield from _in_order(root, chunks, futures, claims, bodies, encoded=encoded)


def _in_order(root: Path, chunks: list[list[str]],
              futures: list[Future[list[Encoded] | None]], claims: Claims,
              bodies: LazyBodies, *, encoded: bool,
              ) -> Iterator[tuple[ModuleSource, Encoded | None]]:
    """Each chunk's modules in order: decoded from its worker's result, or loaded here
    when this process took the chunk first (its worker then returns None at once)."""
    here: dict[int, list[tuple[ModuleSource, Encoded | None]]] = {}
    last = len(chunks)  # the chunks from ``last`` on were taken by this process
    for index, chunk in enumerate(chunks):
        while index < last and not futures[index].done() and _take(claims, last - 1):
            last -= 1
            here[last] = [_load_here(root, relative, encoded=encoded) for relative in chunks[last]]
        if index in here:
            yield from here.pop(index)
            continue
        for relative, blobs in zip(chunk, futures[index].result() or (), strict=True):
            module = decode(blobs, bodies)
            if module is None:  # only if the encoding were broken: load the file here
                yield _load_here(root, relative, encoded=encoded)
            else:
                yield module, (blobs if encoded else None)


def _take(claims: Claims, index: int) -> bool:
    """Claim chunk ``index`` for the caller: False when someone has it already.

    Claims, not cancelled futures: Python 3.11's pool, stopped on Ctrl-C, sets an error
    on every future it still holds and trips over a cancelled one (a thread traceback)."""
    with claims.get_lock():
        if claims[index]:
            return False
        claims[index] = 1
        return True


def _load_here(root: Path, relative: str, *, encoded: bool,
               ) -> tuple[ModuleSource, Encoded | None]:
    module = load_module_file(root / relative, relative)
    return module, (encode(module) if encoded else None)


#: In a worker: the chunks' claims (``_take``), shared with the process that started it.
_CLAIMS: Claims | None = None


def _use_claims(claims: Claims) -> None:
    global _CLAIMS
    _CLAIMS = claims


def _load_chunk(root: str, relatives: list[str], index: int) -> list[Encoded] | None:
    """Worker: load chunk ``index``'s files and return them encoded; None when the
    process that started it took the chunk first."""
    if _CLAIMS is not None and not _take(_CLAIMS, index):
        return None
    with gc_paused():
        return [encode(load_module_file(Path(root) / relative, relative))
                for relative in relatives]
