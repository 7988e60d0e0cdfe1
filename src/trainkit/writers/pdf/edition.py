"""The PDF writer: the edition is rendered in pieces, in parallel, and merged.

Layout dominates a WeasyPrint run and one process uses one core, so the front matter,
each part title page, each module and the back matter are rendered as separate
documents in worker processes (and cached by content), then merged with pypdf. Pages are
numbered per module ("3-12"), as modular training manuals usually are, which is what lets
every module be laid out on its own; trainkit then writes the table of contents' page
numbers, the outline (bookmarks), the internal links, the page labels and the metadata
of the merged file itself.

The pieces are laid out by a ``Renderer`` (``renderpool``): worker processes, which the
build starts before validating so that WeasyPrint's import overlaps it, or this process
when there is one core. This process merges each piece as it arrives. WeasyPrint's
default URL fetcher reads any local file and the network; ours (``chunks``) serves the
project's approved images and refuses everything else. Its error log lines (which by
default only warn) fail the build.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from collections.abc import Iterable, Iterator
from concurrent.futures import as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainkit import __version__
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition
from trainkit.runtime import usable_cores
from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.loading.resolver import ProjectResolver
from trainkit.writers.pdf.piece_cache import ChunkCache, ChunkResult
from trainkit.writers.pdf.pieces import ChunkJob
from trainkit.writers.html.render import (
    ASSET_SCHEME, read_resource, render_template, stylesheet, template_context,
)
from trainkit.writers.pdf.render_pool import InlineRenderer, Renderer, RenderPool

PX_TO_PT = 0.75
CACHE_FOLDER = Path(".trainkit-cache") / "pdf-chunks"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One document to render on its own, and how its pages are labelled."""

    name: str
    html: str
    #: The edition's stylesheet, shared by its chunks (``chunks.render_chunk``).
    css: str
    #: The chunk's own rules (its page numbers), applied after ``css``.
    own_css: str
    label_prefix: str
    label_style: str
    key: str


def asset_url(src: str) -> str:
    """The URL under which the fetcher serves a project image."""
    return ASSET_SCHEME + src


def write_pdf(edition: AssembledEdition, resolver: ProjectResolver, target: Path, *,
              jobs: int | None = None, use_cache: bool = True,
              renderer: Renderer | None = None) -> int:
    """Render ``edition`` to ``target`` atomically and return its page count.

    ``renderer`` renders the pieces (a ``RenderPool`` the build started early); without
    one, ``jobs`` worker processes do (default: one per core). Rendered pieces are cached
    in the project's ``.trainkit-cache/pdf-chunks``. ``RenderError`` if any piece fails;
    the previous ``target`` is then left untouched.
    """
    cache = ChunkCache(resolver.root / CACHE_FOLDER) if use_cache else None
    context = template_context(edition, "print", asset_url, "")
    shared_css = print_stylesheet(edition)
    body = [*_module_chunks(edition, context, resolver, shared_css),
            _back_chunk(edition, context, resolver, shared_css)]
    assembly = _Assembly([None, *body])
    with _renderer(renderer, jobs) as chosen:
        results = _render_all(body, resolver, chosen, cache, assembly)
        pages = _page_labels(body, results, edition)
        front = _front_chunk(edition, {**context, "pages": pages}, resolver, shared_css)
        assembly.chunks[0] = front
        results.update(_render_all([front], resolver, chosen, cache, assembly))
    if cache is not None:
        cache.prune()
    return _finish(edition, assembly, results, target)


@contextmanager
def _renderer(given: Renderer | None, jobs: int | None) -> Iterator[Renderer]:
    if given is not None:
        yield given
        return
    workers = max(1, jobs if jobs is not None else usable_cores())
    if workers < 2:
        yield InlineRenderer()
        return
    with RenderPool(workers) as pool:
        yield pool


# -- planning ---------------------------------------------------------------------------


def _chunk(name: str, html: str, css: tuple[str, str], prefix: str, style: str,
           images: Iterable[str], resolver: ProjectResolver) -> Chunk:
    """A chunk and its cache key; ``css`` is (the edition's stylesheet, the chunk's own)."""
    digest = hashlib.sha256(f"{__version__}\0{_weasyprint_version()}\0".encode())
    for text in (*css, html):
        digest.update(hashlib.sha256(text.encode("utf-8")).digest())
    for src in sorted(set(images)):
        digest.update(src.encode() + b"\0" + _file_digest(resolver, src))
    return Chunk(name, html, *css, prefix, style, digest.hexdigest())


def _file_digest(resolver: ProjectResolver, src: str) -> bytes:
    try:
        return hashlib.sha256((resolver.root / src).read_bytes()).digest()
    except OSError:
        return b"missing"


@lru_cache(maxsize=1)
def _weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it (that takes 0.5 s)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - WeasyPrint is a dependency
        return "unknown"


def print_stylesheet(edition: AssembledEdition) -> str:
    """The stylesheet every chunk of the edition shares: print CSS plus the chunk rules."""
    chunk_css = read_resource("css/chunk.css")
    chunk_css = chunk_css.replace("__MANUAL_TITLE__", css_string(edition.manifest.title))
    return stylesheet(edition, "print") + chunk_css


def _label_css(edition: AssembledEdition, label: str) -> str:
    """A chunk's own page-number rule (named pages such as the cover's still override it)."""
    if edition.digits == "eastern":
        label = label.replace("counter(page)", "counter(page, arabic-indic)")
    if edition.direction == "rtl" and label != "none":
        label = f'"\\2066" {label} "\\2069"'  # keep "3-12" left to right in Arabic text
    return f"@page {{ @bottom-center {{ content: {label}; }} }}"


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot close the ``<style>`` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,;:!?'()-\u2013" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _module_chunks(edition: AssembledEdition, context: dict[str, Any],
                   resolver: ProjectResolver, shared_css: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    for item in context["modules"]:
        module = item["module"]
        if item["starts_part"]:
            html = render_template("chunk.html.j2", {**context, "chunk": "part", "item": item})
            chunks.append(_chunk(f"part-{module.number}", html,
                                 (shared_css, _label_css(edition, "none")), "", "", (), resolver))
        prefix = f"{edition.numeral(module.number)}\u2013"
        css = (shared_css, _label_css(edition, f"{css_string(prefix)} counter(page)"))
        html = render_template("chunk.html.j2", {**context, "chunk": "module",
                                                 "item": {**item, "starts_part": False}})
        images = [n.src for n in d.walk(module.blocks) if isinstance(n, d.Image)]
        chunks.append(_chunk(f"module-{module.number}", html, css, prefix, "/D", images,
                             resolver))
    return chunks


def _back_chunk(edition: AssembledEdition, context: dict[str, Any],
                resolver: ProjectResolver, shared_css: str) -> Chunk:
    prefix = edition.back_prefix
    css = (shared_css, _label_css(edition, css_string(prefix) + " counter(page)"))
    html = render_template("chunk.html.j2", {**context, "chunk": "back"})
    return _chunk("back", html, css, prefix, "/D", (), resolver)


def _front_chunk(edition: AssembledEdition, context: dict[str, Any],
                 resolver: ProjectResolver, shared_css: str) -> Chunk:
    css = (shared_css, _label_css(edition, "counter(page, lower-roman)"))
    html = render_template("chunk.html.j2", {**context, "chunk": "front"})
    return _chunk("front", html, css, "", "/r", (), resolver)


def _page_labels(chunks: list[Chunk], results: dict[str, ChunkResult],
                 edition: AssembledEdition) -> dict[str, str]:
    """Printed page number of every anchor in the rendered chunks, for the contents.

    In right-to-left text the labels are wrapped in a left-to-right isolate, or "3-12"
    would read "12-3".
    """
    start, end = ("\u2066", "\u2069") if edition.direction == "rtl" else ("", "")
    labels: dict[str, str] = {}
    for chunk in chunks:
        for anchor, (page, _, _) in results[chunk.key].anchors.items():
            number = edition.numeral(page + 1)
            labels.setdefault(anchor, f"{start}{chunk.label_prefix}{number}{end}")
    return labels


# -- rendering --------------------------------------------------------------------------


def _render_all(chunks: list[Chunk], resolver: ProjectResolver, renderer: Renderer,
                cache: ChunkCache | None, assembly: _Assembly) -> dict[str, ChunkResult]:
    """Each chunk's result, from the cache or rendered, each merged as soon as it is there.

    The chunks to render are handed out first, largest first, so the workers start at
    once and finish together; the cached ones are merged while they work.
    """
    results: dict[str, ChunkResult] = {}
    todo: dict[str, Chunk] = {}
    for chunk in chunks:
        cached = cache.get(chunk.key) if cache is not None else None
        if cached is not None:
            results[chunk.key] = cached
        else:
            todo.setdefault(chunk.key, chunk)
    root, folder = str(resolver.root), str(cache.folder) if cache is not None else None
    jobs = [ChunkJob(root, key, chunk.html, chunk.css, chunk.own_css, folder)
            for key, chunk in sorted(todo.items(), key=lambda item: -len(item[1].html))]
    pending = {renderer.submit(job): job.key for job in jobs}
    for key, result in results.items():
        assembly.add(key, result)
    failures: list[str] = []
    for future in as_completed(pending):
        key = pending[future]
        try:
            result = future.result()
        except Exception as error:  # WeasyPrint raises many kinds; all mean a failed render
            failures.append(f"rendering failed: {error}")
            continue
        if result.errors:
            failures.extend(result.errors)
            continue
        results[key] = result  # the worker cached it
        if not failures:
            assembly.add(key, result)
    if failures:
        raise RenderError("; ".join(dict.fromkeys(failures[:5])))
    return results


# -- merging ----------------------------------------------------------------------------


class _Assembly:
    """The merged PDF, built as chunk results arrive, in whatever order they come.

    ``chunks`` is the document's order (the front matter's place is filled in last: its
    contents need every other chunk's page numbers). Each result is inserted after the
    pages of the chunks before it that are already in.
    """

    def __init__(self, chunks: list[Chunk | None]) -> None:
        from pypdf import PdfWriter

        self.writer = PdfWriter()
        self.chunks = chunks
        self._pages: dict[int, int] = {}

    def add(self, key: str, result: ChunkResult) -> None:
        """Insert ``result`` at every place of the document whose chunk has ``key``."""
        from pypdf import PdfReader

        for index, chunk in enumerate(self.chunks):
            if chunk is None or chunk.key != key or index in self._pages:
                continue
            before = sum(pages for placed, pages in self._pages.items() if placed < index)
            self.writer.merge(before, PdfReader(io.BytesIO(result.pdf)), import_outline=False)
            self._pages[index] = result.pages

    def placed(self) -> list[tuple[Chunk, int]]:
        """Every chunk in document order, with the index of its first page."""
        first, placed = 0, []
        for index, chunk in enumerate(self.chunks):
            assert chunk is not None and index in self._pages, "every chunk is merged first"
            placed.append((chunk, first))
            first += self._pages[index]
        return placed


def _finish(edition: AssembledEdition, assembly: _Assembly, results: dict[str, ChunkResult],
            target: Path) -> int:
    """Add the links, outline, page labels and metadata, and write the file atomically."""
    writer = assembly.writer
    placed = [(chunk, results[chunk.key], first) for chunk, first in assembly.placed()]
    anchors = _global_anchors(placed)
    _add_links(writer, placed, anchors)
    _add_outline(writer, edition, anchors)
    _add_page_labels(writer, placed, edition)
    _add_metadata(writer, edition)
    try:
        with atomic_target(target) as temporary, temporary.open("wb") as stream:
            writer.write(stream)
    except OSError as error:
        raise RenderError(f"{target.name}: cannot write the file: {error.strerror}") from error
    return len(writer.pages)


Anchor = tuple[int, float, float]
#: A chunk of the merged document, its result, and the index of its first page.
Placed = tuple[Chunk, ChunkResult, int]


def _global_anchors(placed: list[Placed]) -> dict[str, Anchor]:
    anchors: dict[str, Anchor] = {}
    for _, result, first in placed:
        for name, (page, x, y) in result.anchors.items():
            anchors.setdefault(name, (first + page, x, y))
    return anchors


def _add_links(writer: Any, placed: list[Placed], anchors: dict[str, Anchor]) -> None:
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    for _, result, first in placed:
        for page, (x1, y1, x2, y2), name in result.links:
            if name not in anchors:
                continue  # a section the edition left out: validation reports dangling links
            height = result.page_height
            target_page, left, top = anchors[name]
            rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
            fit = Fit.xyz(left=left * PX_TO_PT, top=height - top * PX_TO_PT, zoom=0)
            writer.add_annotation(first + page,
                                  Link(rect=rect, target_page_index=target_page, fit=fit))


def _add_outline(writer: Any, edition: AssembledEdition, anchors: dict[str, Anchor]) -> None:
    words = edition.labels

    def add(title: str, anchor: str, parent: Any = None) -> Any:
        if anchor not in anchors:
            return parent
        return writer.add_outline_item(title=title, page_number=anchors[anchor][0], parent=parent)

    add(words["contents"], "toc-title")
    part_item: Any = None
    for module in edition.modules:
        if module.part and f"part-{module.number}" in anchors:
            part_item = add(module.part, f"part-{module.number}")
        parent = part_item if module.part else None
        title = edition.module_title(module)
        module_item = add(title, module.anchor, parent)
        for block in module.blocks:
            if isinstance(block, d.Heading) and block.level == 2:
                label = f"{block.number} {d.plain_text(block.children)}".strip()
                add(label, f"{module.meta.id}--{block.anchor}", module_item)
    add(words["legal-index"], "legal-index")
    add(words["durations"], "durations")
    add(words["glossary"], "glossary")


def _add_page_labels(writer: Any, placed: list[Placed], edition: AssembledEdition) -> None:
    for chunk, result, first in placed:
        last = first + result.pages - 1
        if chunk.label_style == "/D" and edition.digits == "eastern":
            for page in range(result.pages):  # PDF's decimal style knows only 0-9
                writer.set_page_label(first + page, first + page,
                                      prefix=chunk.label_prefix + edition.numeral(page + 1))
        elif chunk.label_style:
            writer.set_page_label(first, last, style=chunk.label_style,
                                  prefix=chunk.label_prefix or None, start=1)
        else:
            writer.set_page_label(first, last, prefix="\u00b7", start=1)


def _add_metadata(writer: Any, edition: AssembledEdition) -> None:
    from pypdf.generic import NameObject, TextStringObject

    from trainkit.writers.html.render import _subject, edition_keywords

    writer.add_metadata({
        "/Title": edition.manifest.title,
        "/Author": edition.manifest.publisher or edition.manifest.title,
        "/Subject": _subject(edition),
        "/Keywords": ", ".join(edition_keywords(edition)),
        "/Creator": f"trainkit {__version__}",
        "/Producer": f"WeasyPrint {_weasyprint_version()} and pypdf",
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject(edition.language)
