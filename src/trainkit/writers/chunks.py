"""Rendering one print chunk with WeasyPrint, in a worker process, and caching the result.

``render_chunk`` returns the PDF bytes with what the merge needs: the page of every
anchor and the internal links (taken out of WeasyPrint's hands, because their targets
may live in another chunk). Only resolver-approved project images are ever fetched.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainkit.errors import ReferenceRejected
from trainkit.fonts import FONT_SCHEME, font_file
from trainkit.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.writers.html import ASSET_SCHEME

PX_TO_PT = 0.75
Rect = tuple[float, float, float, float]


@dataclass(slots=True)
class ChunkResult:
    """A rendered chunk: its PDF, pages, anchors and internal links (CSS px from top-left)."""

    pdf: bytes
    pages: int
    page_height: float
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    links: list[tuple[int, Rect, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collect_weasyprint_errors() -> Iterator[_LogCollector]:
    """WeasyPrint's error log lines while the block runs (it logs, then carries on)."""
    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def project_fetcher(resolver: ProjectResolver) -> Any:
    """A WeasyPrint URL fetcher that serves ``trainkit:asset/<path>`` and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            if url.startswith(FONT_SCHEME):
                return self._font(url)
            if not url.startswith(ASSET_SCHEME):
                raise ValueError(f"trainkit does not fetch {url}")
            relative = url[len(ASSET_SCHEME):]
            try:
                path = resolver.resolve(relative, resolver.root, suffixes=IMAGE_SUFFIXES,
                                        max_bytes=MAX_IMAGE_BYTES)
            except ReferenceRejected as rejected:
                raise ValueError(rejected.reason) from None
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

        def _font(self, url: str) -> Any:
            path = font_file(url[len(FONT_SCHEME):])
            if path is None:
                raise ValueError(f"trainkit does not fetch {url}")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})

    return ProjectFetcher(allowed_protocols=["trainkit"], allow_redirects=False)


def render_chunk(root: str, html: str) -> ChunkResult:
    """Lay out and write one chunk; WeasyPrint's error log lines are returned as errors."""
    import gc

    import weasyprint

    resolver = ProjectResolver(Path(root))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # about 15% of a WeasyPrint run goes to the collector (PERFORMANCE_NOTES)
    try:
        with collect_weasyprint_errors() as errors:
            document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME,
                                       url_fetcher=project_fetcher(resolver)).render()
            anchors, links = _take_internal_links(document.pages)
            pdf = document.write_pdf(custom_metadata=False) if not errors.messages else b""
    finally:
        if gc_was_enabled:
            gc.enable()
    first = document.pages[0] if document.pages else None
    height = float(first.height) * PX_TO_PT if first is not None else 0.0
    return ChunkResult(pdf, len(document.pages), height, anchors, links, errors.messages)


def _take_internal_links(pages: list[Any]) -> tuple[dict[str, tuple[int, float, float]],
                                                     list[tuple[int, Rect, str]]]:
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, Rect, str]] = []
    for index, page in enumerate(pages):
        for name, position in page.anchors.items():
            anchors.setdefault(name, (index, float(position[0]), float(position[1])))
        kept = []
        for link in page.links:
            kind, target, rect = link[0], link[1], link[2]
            if kind == "internal":
                links.append((index, tuple(float(v) for v in rect), str(target)))  # type: ignore[arg-type]
            else:
                kept.append(link)
        page.links[:] = kept
    return anchors, links


class ChunkCache:
    """Rendered chunks by content hash, in a folder that is safe to delete."""

    MAX_AGE_SECONDS = 14 * 24 * 3600

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> ChunkResult | None:
        path = self._path(key)
        try:
            with path.open("rb") as stream:
                result = pickle.load(stream)
            os.utime(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return result if isinstance(result, ChunkResult) else None

    def put(self, key: str, result: ChunkResult) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, self._path(key))
        except OSError:
            return  # a read-only checkout still builds, only more slowly

    def prune(self) -> None:
        """Forget chunks no build has used for two weeks."""
        limit = time.time() - self.MAX_AGE_SECONDS
        try:
            entries = list(self.folder.glob("*.pickle"))
        except OSError:
            return
        for path in entries:
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue
