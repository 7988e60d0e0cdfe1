"""Load many module files, from the cache where possible and in worker processes otherwise."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from trainkit.cache import ModuleCache
from trainkit.modulefile import ModuleSource, load_module_file

#: Below this many uncached files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48


def load_modules(root: Path, relatives: list[str], cache: ModuleCache | None,
                 ) -> dict[str, ModuleSource]:
    """Each module file by its project-relative path."""
    loaded: dict[str, ModuleSource] = {}
    misses: list[tuple[str, str | None]] = []
    for relative in relatives:
        key = _cache_key(root / relative, relative) if cache else None
        hit = cache.get(key) if cache and key else None
        if hit is not None:
            loaded[relative] = hit
        else:
            misses.append((relative, key))
    for (relative, key), module in zip(misses, _load_all(root, [r for r, _ in misses])):
        loaded[relative] = module
        if cache is not None and key is not None:
            cache.put(key, module)
    if cache is not None:
        cache.save()
    return {relative: loaded[relative] for relative in relatives}


def _cache_key(path: Path, relative: str) -> str | None:
    try:
        return ModuleCache.key(relative, path.read_bytes())
    except OSError:
        return None


def _load_all(root: Path, relatives: list[str]) -> list[ModuleSource]:
    workers = min(os.cpu_count() or 1, 8)
    if len(relatives) < PARALLEL_THRESHOLD or workers < 2:
        return [load_module_file(root / relative, relative) for relative in relatives]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    chunk = max(1, len(relatives) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_load_one, [(str(root), r) for r in relatives], chunksize=chunk))


def _load_one(job: tuple[str, str]) -> ModuleSource:
    root, relative = job
    return load_module_file(Path(root) / relative, relative)
