"""Rendering one print chunk with WeasyPrint, in a worker process, and caching the result.

``render_chunk`` returns the PDF bytes with what the merge needs: the page of every
anchor and the internal links (taken out of WeasyPrint's hands, because their targets
may live in another chunk). Only resolver-approved project images are ever fetched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import os
import struct
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainkit import cacheseal
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


@dataclass(frozen=True, slots=True)
class ChunkJob:
    """One chunk to render (sent to a worker process), and the cache to look in first."""

    root: str
    key: str
    html: str
    css: str
    own_css: str
    cache_folder: str | None = None


def render_job(job: ChunkJob) -> ChunkResult:
    """The chunk from the cache if another build put it there meanwhile, else rendered.

    The cache is looked at here, at the last moment, as well as when the build planned
    its chunks: editions built side by side (``build --all``) share the pieces that read
    the same in both, such as a module without regional content. A rendered chunk is
    cached here, unless WeasyPrint logged errors for it.
    """
    cache = ChunkCache(Path(job.cache_folder)) if job.cache_folder is not None else None
    cached = cache.get(job.key) if cache is not None else None
    if cached is not None:
        return cached
    result = render_chunk(job.root, job.html, job.css, job.own_css)
    if cache is not None and not result.errors:
        cache.put(job.key, result)
    return result


def render_chunk(root: str, html: str, css: str, own_css: str) -> ChunkResult:
    """Lay out and write one chunk; WeasyPrint's error log lines are returned as errors.

    ``css`` is the edition's stylesheet, shared by all its chunks: it is parsed once per
    process and applied with the fonts it loaded (``_shared_style``), which saves about a
    tenth of each render. ``own_css`` (the chunk's page numbers) follows it, in the same
    cascade origin, so more specific page rules (the cover's) still win over it.
    """
    import gc

    import weasyprint

    resolver = ProjectResolver(Path(root))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # about 15% of a WeasyPrint run goes to the collector (PERFORMANCE_NOTES)
    try:
        with collect_weasyprint_errors() as errors:
            font_config, stylesheet = _shared_style(resolver, css, errors)
            own = weasyprint.CSS(string=own_css, font_config=font_config)
            document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME,
                                       url_fetcher=project_fetcher(resolver)).render(
                stylesheets=[stylesheet, own], font_config=font_config)
            anchors, links = _take_internal_links(document.pages)
            pdf = document.write_pdf(custom_metadata=False) if not errors.messages else b""
    finally:
        if gc_was_enabled:
            gc.enable()
    first = document.pages[0] if document.pages else None
    height = float(first.height) * PX_TO_PT if first is not None else 0.0
    return ChunkResult(pdf, len(document.pages), height, anchors, links, errors.messages)


#: Per process: (project root, stylesheet hash) -> (FontConfiguration, parsed CSS).
_STYLES: dict[tuple[str, str], tuple[Any, Any]] = {}
_MAX_STYLES = 4


def _shared_style(resolver: ProjectResolver, css: str,
                  errors: _LogCollector) -> tuple[Any, Any]:
    """The parsed stylesheet and its font configuration, made once per process.

    WeasyPrint applies stylesheets given to ``render`` with the "user" origin; the
    chunk's HTML has no ``<style>`` of its own, so nothing overrides them. Sharing one
    ``FontConfiguration`` lets Pango keep the fonts it loaded from chunk to chunk. A
    stylesheet that logged errors is not kept, so every chunk that uses it fails.
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    key = (str(resolver.root), hashlib.sha256(css.encode("utf-8")).hexdigest())
    if key in _STYLES:
        return _STYLES[key]
    logged = len(errors.messages)
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(string=css, base_url=ASSET_SCHEME, font_config=font_config,
                                url_fetcher=project_fetcher(resolver))
    if len(errors.messages) == logged:
        if len(_STYLES) >= _MAX_STYLES:
            _STYLES.clear()
        _STYLES[key] = (font_config, stylesheet)
    return font_config, stylesheet


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
    """Rendered chunks by content hash, in a folder that is safe to delete.

    An entry is a file of its own: a magic line, a seal (``cacheseal``), then the
    payload: the length of a JSON header (pages, page height, anchors, links), the
    header, and the PDF bytes. Nothing in it is executed, and an entry that was not
    sealed on this machine (say, committed to the project) is only a miss.
    """

    MAX_AGE_SECONDS = 14 * 24 * 3600
    MAGIC = b"trainkit-chunk-1\n"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.chunk"

    def get(self, key: str) -> ChunkResult | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        start = len(self.MAGIC) + cacheseal.TAG_BYTES
        payload = memoryview(data)[start:]
        if not data.startswith(self.MAGIC) or not cacheseal.verify(
                payload, data[len(self.MAGIC):start]):
            return None
        result = decode_chunk(payload)
        if result is not None:
            with suppress(OSError):
                os.utime(path)
        return result

    def put(self, key: str, result: ChunkResult) -> None:
        payload = encode_chunk(result)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(self.MAGIC + cacheseal.seal(payload))
                stream.write(payload)
            os.replace(name, self._path(key))
        except OSError:
            return  # a read-only checkout still builds, only more slowly

    def prune(self) -> None:
        """Forget chunks no build has used for two weeks, and files of older formats."""
        limit = time.time() - self.MAX_AGE_SECONDS
        try:
            entries = [*self.folder.glob("*.chunk"), *self.folder.glob("*.pickle")]
        except OSError:
            return
        for path in entries:
            try:
                if path.suffix == ".pickle" or path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue


def encode_chunk(result: ChunkResult) -> bytes:
    """A rendered chunk as bytes: header length, JSON header, PDF."""
    header = json.dumps({
        "pages": result.pages,
        "page_height": result.page_height,
        "anchors": {name: list(place) for name, place in result.anchors.items()},
        "links": [[page, list(rect), name] for page, rect, name in result.links],
    }).encode("utf-8")
    return struct.pack(">I", len(header)) + header + result.pdf


def decode_chunk(payload: memoryview | bytes) -> ChunkResult | None:
    """The chunk ``encode_chunk`` wrote, or None if ``payload`` is not one."""
    try:
        (length,) = struct.unpack_from(">I", payload)
        header = json.loads(bytes(payload[4:4 + length]))
        pages, height = header["pages"], header["page_height"]
        anchors = {name: _place(place) for name, place in header["anchors"].items()
                   if isinstance(name, str)}
        links = [(_page(page), _rect(rect), name) for page, rect, name in header["links"]
                 if isinstance(name, str)]
        if not isinstance(pages, int) or not isinstance(height, int | float):
            return None
        return ChunkResult(bytes(payload[4 + length:]), pages, float(height), anchors, links)
    except (struct.error, ValueError, KeyError, TypeError, AttributeError):
        return None


def _page(value: object) -> int:
    if not isinstance(value, int) or value < 0:
        raise ValueError("a page index")
    return value


def _number(value: object) -> float:
    if not isinstance(value, int | float):
        raise TypeError("a number")
    return float(value)


def _numbers(value: object, count: int) -> list[float]:
    if not isinstance(value, list) or len(value) != count:
        raise ValueError(f"{count} numbers")
    return [_number(item) for item in value]


def _place(value: object) -> tuple[int, float, float]:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError("a page and a position")
    x, y = _numbers(value[1:], 2)
    return _page(value[0]), x, y


def _rect(value: object) -> Rect:
    x1, y1, x2, y2 = _numbers(value, 4)
    return x1, y1, x2, y2
