"""Rendering one print chunk with WeasyPrint, in a worker process.

``render_job`` takes the chunk from the cache (``chunkcache``) or renders it with
``render_chunk``, which returns the PDF bytes with what the merge needs (``ChunkResult``).
Only resolver-approved project images and the packaged fonts are ever fetched, and
WeasyPrint's error log lines are returned as errors.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainkit.errors import ReferenceRejected
from trainkit.fonts import FONT_SCHEME, font_file
from trainkit.loading.resolver import (
    FONT_SUFFIXES, IMAGE_SUFFIXES, MAX_FONT_BYTES, MAX_IMAGE_BYTES, ProjectResolver,
)
from trainkit.runtime import gc_paused
from trainkit.writers.pdf import weasyprint_fixes
from trainkit.writers.pdf.piece_cache import ChunkCache, ChunkResult, Margins, Rect, Slot
from trainkit.writers.html.render import ASSET_SCHEME, PAGE_REF_PREFIX
from trainkit.writers.html.theme import FONT_TYPES, PROJECT_FONT_SCHEME

PX_TO_PT = 0.75


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
    """A WeasyPrint URL fetcher that serves project images (``trainkit:asset/<path>``),
    a theme's font files (``trainkit:project-font/<path>``), the packaged fonts, and
    nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            if url.startswith(FONT_SCHEME):
                return self._font(url)
            if url.startswith(PROJECT_FONT_SCHEME):  # a theme's font file
                path = self._project_file(url[len(PROJECT_FONT_SCHEME):], FONT_SUFFIXES,
                                          MAX_FONT_BYTES)
                mime = FONT_TYPES.get(path.suffix.lower(), "application/octet-stream")
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            if not url.startswith(ASSET_SCHEME):
                raise ValueError(f"trainkit does not fetch {url}")
            path = self._project_file(url[len(ASSET_SCHEME):], IMAGE_SUFFIXES, MAX_IMAGE_BYTES)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

        def _project_file(self, relative: str, suffixes: frozenset[str], limit: int) -> Path:
            try:
                return resolver.resolve(relative, resolver.root, suffixes=suffixes,
                                        max_bytes=limit)
            except ReferenceRejected as rejected:
                raise ValueError(rejected.reason) from None

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
    #: Written tagged (``pdf_tags``): the structure tree ``structure.py`` merges.
    tagged: bool = False


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
    result = render_chunk(job.root, job.html, job.css, job.own_css, job.tagged)
    if cache is not None and not result.errors:
        cache.put(job.key, result)
    return result


def render_chunk(root: str, html: str, css: str, own_css: str,
                 tagged: bool = False) -> ChunkResult:
    """Lay out and write one chunk; WeasyPrint's error log lines are returned as errors.

    ``css`` is the edition's stylesheet, shared by all its chunks: it is parsed once per
    process and applied with the fonts it loaded (``_shared_style``), which saves about a
    tenth of each render. ``own_css`` (the chunk's page numbers) follows it, in the same
    cascade origin, so more specific page rules (the cover's) still win over it.
    """
    import weasyprint

    weasyprint_fixes.apply()
    from trainkit.writers.pdf.structure import keep_structure_apart
    from trainkit.writers.pdf.subsetting import keep_glyph_ids

    keep_glyph_ids()  # subsets the merge can share (``font_share.py``)
    resolver = ProjectResolver(Path(root))
    # About 15% of a WeasyPrint run goes to the collector otherwise (PERFORMANCE_NOTES).
    with gc_paused():
        with collect_weasyprint_errors() as errors:
            font_config, stylesheet = _shared_style(resolver, css, errors)
            own = weasyprint.CSS(string=own_css, font_config=font_config)
            document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME,
                                       url_fetcher=project_fetcher(resolver)).render(
                stylesheets=[stylesheet, own], font_config=font_config)
            anchors, links, slots = _take_internal_links(document.pages)
            pdf = (document.write_pdf(custom_metadata=False, pdf_tags=tagged,
                                      finisher=keep_structure_apart if tagged else None)
                   if not errors.messages else b"")
    first = document.pages[0] if document.pages else None
    height = float(first.height) * PX_TO_PT if first is not None else 0.0
    blocks, blank = page_areas(document.pages)
    return ChunkResult(pdf, len(document.pages), height, anchors, links, errors.messages,
                       slots, [_margins(page) for page in document.pages], blocks, blank)


def page_areas(pages: list[Any]) -> tuple[list[Rect], list[int]]:
    """Each page's text block (its page area, CSS px from the top left), and the indexes of
    the pages WeasyPrint made blank."""
    blocks: list[Rect] = []
    blank: list[int] = []
    for index, page in enumerate(pages):
        box = page._page_box  # WeasyPrint keeps no public record of the page area
        x, y = float(box.content_box_x()), float(box.content_box_y())
        blocks.append((x, y, x + float(box.width), y + float(box.height)))
        if getattr(box.page_type, "blank", False):
            blank.append(index)
    return blocks, blank


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
                                                     list[tuple[int, Rect, str]], list[Slot]]:
    """Anchors, internal links (their targets may be in another chunk: trainkit adds them
    to the merged file) and the room left for page numbers (``#tk-page:`` links, which
    become links to their anchor)."""
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, Rect, str]] = []
    slots: dict[tuple[int, float, float], Slot] = {}
    for index, page in enumerate(pages):
        for name, position in page.anchors.items():
            anchors.setdefault(name, (index, float(position[0]), float(position[1])))
        kept = []
        for link in page.links:
            kind, target, rect = link[0], str(link[1]), link[2]
            if kind != "internal":
                kept.append(link)
                continue
            if target.startswith(PAGE_REF_PREFIX):
                target = target[len(PAGE_REF_PREFIX):]
                slot = _slot(index, link[3], target)
                slots.setdefault((index, slot.left, slot.baseline), slot)
            links.append((index, tuple(float(v) for v in rect), target))  # type: ignore[arg-type]
        page.links[:] = kept
    return anchors, links, list(slots.values())


def _slot(index: int, box: Any, target: str) -> Slot:
    """The room a ``#tk-page:`` link's box leaves for the page number it stands for."""
    style = box.style
    red, green, blue = style["color"].to("srgb").coordinates
    hexa = "#" + "".join(f"{min(255, max(0, round(float(c) * 255))):02x}"
                         for c in (red, green, blue))
    left = float(box.border_box_x())
    baseline = float(box.position_y) + float(box.baseline)
    sans = any("sans" in family.lower() for family in style["font_family"][:1])
    return Slot(index, left, left + float(box.border_width()), baseline,
                float(style["font_size"]), target, hexa, sans)


def _margins(page: Any) -> Margins:
    box = page._page_box  # WeasyPrint keeps the laid-out page box there
    return float(box.margin_left), float(box.margin_right), float(box.margin_bottom)
