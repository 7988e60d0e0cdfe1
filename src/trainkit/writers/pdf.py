"""The PDF writer: the edition is rendered in pieces, in parallel, and merged.

Layout dominates a WeasyPrint run and one process uses one core, so the front matter,
each part title page, each module and the back matter are rendered as separate
documents in worker processes (and cached by content), then merged with pypdf. Pages are
numbered per module ("3-12"), as modular training manuals usually are, which is what lets
every module be laid out on its own; trainkit then writes the table of contents' page
numbers, the outline (bookmarks), the internal links, the page labels and the metadata
of the merged file itself.

WeasyPrint is imported here, and only here. Its default URL fetcher reads any local file
and the network; ours serves the project's approved images and refuses everything else.
Its error log lines (which by default only warn) fail the build.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trainkit import __version__
from trainkit import document as d
from trainkit.assemble import AssembledEdition
from trainkit.errors import RenderError
from trainkit.output import atomic_target
from trainkit.resolver import ProjectResolver
from trainkit.writers.chunks import ChunkCache, ChunkResult, render_chunk
from trainkit.writers.html import (
    ASSET_SCHEME, read_resource, render_template, stylesheet, template_context,
)

PX_TO_PT = 0.75
BACK_PREFIX = "A\u2013"
CACHE_FOLDER = Path(".trainkit-cache") / "pdf-chunks"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One document to render on its own, and how its pages are labelled."""

    name: str
    html: str
    label_prefix: str
    label_style: str
    key: str


def asset_url(src: str) -> str:
    """The URL under which the fetcher serves a project image."""
    return ASSET_SCHEME + src


def write_pdf(edition: AssembledEdition, resolver: ProjectResolver, target: Path, *,
              jobs: int | None = None, use_cache: bool = True) -> int:
    """Render ``edition`` to ``target`` atomically and return its page count.

    ``jobs`` worker processes render the pieces (default: one per core); rendered pieces
    are cached in the project's ``.trainkit-cache/pdf-chunks``. ``RenderError`` if any
    piece fails; the previous ``target`` is then left untouched.
    """
    cache = ChunkCache(resolver.root / CACHE_FOLDER) if use_cache else None
    context = template_context(edition, "print", asset_url, "")
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    body = [*_module_chunks(edition, context, resolver), _back_chunk(edition, context, resolver)]
    results = _render_all(body, resolver, workers, cache)
    pages = _page_labels(body, results, edition.direction == "rtl")
    front = _front_chunk(edition, {**context, "pages": pages}, resolver)
    results.update(_render_all([front], resolver, 1, cache))
    if cache is not None:
        cache.prune()
    ordered = [front, *body]
    return _merge(edition, ordered, results, target)


# -- planning ---------------------------------------------------------------------------


def _chunk(name: str, html: str, prefix: str, style: str, images: Iterable[str],
           resolver: ProjectResolver) -> Chunk:
    digest = hashlib.sha256(f"{__version__}\0{_weasyprint_version()}\0".encode())
    digest.update(html.encode("utf-8"))
    for src in sorted(set(images)):
        digest.update(src.encode() + b"\0" + _file_digest(resolver, src))
    return Chunk(name, html, prefix, style, digest.hexdigest())


def _file_digest(resolver: ProjectResolver, src: str) -> bytes:
    try:
        return hashlib.sha256((resolver.root / src).read_bytes()).digest()
    except OSError:
        return b"missing"


def _weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it (that takes 0.5 s)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - WeasyPrint is a dependency
        return "unknown"


def _css(edition: AssembledEdition, label: str) -> Markup:
    """The print stylesheet plus the chunk rules; Markup, as trainkit wrote all of it."""
    chunk_css = read_resource("css/chunk.css")
    chunk_css = chunk_css.replace("__MANUAL_TITLE__", css_string(edition.manifest.title))
    if edition.direction == "rtl" and label != "none":
        label = f'"\\2066" {label} "\\2069"'  # keep "3-12" left to right in Arabic text
    return Markup(stylesheet(edition, "print") + chunk_css.replace("__PAGE_LABEL__", label))


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot close the ``<style>`` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,;:!?'()-\u2013" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _module_chunks(edition: AssembledEdition, context: dict[str, Any],
                   resolver: ProjectResolver) -> list[Chunk]:
    chunks: list[Chunk] = []
    for item in context["modules"]:
        module = item["module"]
        if item["starts_part"]:
            css = _css(edition, "none")
            html = render_template("chunk.html.j2", {**context, "css": css, "chunk": "part",
                                                     "item": item})
            chunks.append(_chunk(f"part-{module.number}", html, "", "", (), resolver))
        prefix = f"{module.number}\u2013"
        css = _css(edition, f"{css_string(prefix)} counter(page)")
        html = render_template("chunk.html.j2", {**context, "css": css, "chunk": "module",
                                                 "item": {**item, "starts_part": False}})
        images = [n.src for n in d.walk(module.blocks) if isinstance(n, d.Image)]
        chunks.append(_chunk(f"module-{module.number}", html, prefix, "/D", images, resolver))
    return chunks


def _back_chunk(edition: AssembledEdition, context: dict[str, Any],
                resolver: ProjectResolver) -> Chunk:
    css = _css(edition, css_string(BACK_PREFIX) + " counter(page)")
    html = render_template("chunk.html.j2", {**context, "css": css, "chunk": "back"})
    return _chunk("back", html, BACK_PREFIX, "/D", (), resolver)


def _front_chunk(edition: AssembledEdition, context: dict[str, Any],
                 resolver: ProjectResolver) -> Chunk:
    css = _css(edition, "counter(page, lower-roman)")
    html = render_template("chunk.html.j2", {**context, "css": css, "chunk": "front"})
    return _chunk("front", html, "", "/r", (), resolver)


def _page_labels(chunks: list[Chunk], results: dict[str, ChunkResult],
                 isolate: bool) -> dict[str, str]:
    """Printed page number of every anchor in the rendered chunks, for the contents.

    In right-to-left text the labels are wrapped in a left-to-right isolate, or "3-12"
    would read "12-3".
    """
    start, end = ("\u2066", "\u2069") if isolate else ("", "")
    labels: dict[str, str] = {}
    for chunk in chunks:
        for anchor, (page, _, _) in results[chunk.key].anchors.items():
            labels.setdefault(anchor, f"{start}{chunk.label_prefix}{page + 1}{end}")
    return labels


# -- rendering --------------------------------------------------------------------------


class _InlineExecutor(Executor):
    """Runs jobs in this process, for one worker or a single chunk."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _executor(workers: int, chunks: int) -> Executor:
    if workers < 2 or chunks < 2:
        return _InlineExecutor()
    import multiprocessing

    import weasyprint  # noqa: F401 - imported once here, inherited by forked workers

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=min(workers, chunks),
                               mp_context=multiprocessing.get_context(method))


def _render_all(chunks: list[Chunk], resolver: ProjectResolver, workers: int,
                cache: ChunkCache | None) -> dict[str, ChunkResult]:
    """Each chunk's result, from the cache or rendered (in parallel when several must be)."""
    results: dict[str, ChunkResult] = {}
    todo: dict[str, Chunk] = {}
    for chunk in sorted(chunks, key=lambda c: len(c.html), reverse=True):
        cached = cache.get(chunk.key) if cache is not None else None
        if cached is not None:
            results[chunk.key] = cached
        else:
            todo.setdefault(chunk.key, chunk)
    if todo:
        with _executor(workers, len(todo)) as pool:
            results.update(_collect(todo, resolver, pool, cache))
    return results


def _collect(todo: dict[str, Chunk], resolver: ProjectResolver, pool: Executor,
             cache: ChunkCache | None) -> dict[str, ChunkResult]:
    pending = {key: pool.submit(render_chunk, str(resolver.root), chunk.html)
               for key, chunk in todo.items()}
    results: dict[str, ChunkResult] = {}
    failures: list[str] = []
    for key, future in pending.items():
        try:
            result = future.result()
        except Exception as error:  # WeasyPrint raises many kinds; all mean a failed render
            failures.append(f"rendering failed: {error}")
            continue
        if result.errors:
            failures.extend(result.errors)
            continue
        results[key] = result
        if cache is not None:
            cache.put(key, result)
    if failures:
        raise RenderError("; ".join(dict.fromkeys(failures[:5])))
    return results


# -- merging ----------------------------------------------------------------------------


def _merge(edition: AssembledEdition, chunks: list[Chunk], results: dict[str, ChunkResult],
           target: Path) -> int:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    offsets: dict[str, int] = {}
    for chunk in chunks:
        offsets[chunk.key] = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(results[chunk.key].pdf)), import_outline=False)
    anchors = _global_anchors(chunks, results, offsets)
    _add_links(writer, chunks, results, offsets, anchors)
    _add_outline(writer, edition, anchors)
    _add_page_labels(writer, chunks, results, offsets)
    _add_metadata(writer, edition)
    try:
        with atomic_target(target) as temporary, temporary.open("wb") as stream:
            writer.write(stream)
    except OSError as error:
        raise RenderError(f"{target.name}: cannot write the file: {error.strerror}") from error
    return len(writer.pages)


Anchor = tuple[int, float, float]


def _global_anchors(chunks: list[Chunk], results: dict[str, ChunkResult],
                    offsets: dict[str, int]) -> dict[str, Anchor]:
    anchors: dict[str, Anchor] = {}
    for chunk in chunks:
        result = results[chunk.key]
        for name, (page, x, y) in result.anchors.items():
            anchors.setdefault(name, (offsets[chunk.key] + page, x, y))
    return anchors


def _add_links(writer: Any, chunks: list[Chunk], results: dict[str, ChunkResult],
               offsets: dict[str, int], anchors: dict[str, Anchor]) -> None:
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    for chunk in chunks:
        result = results[chunk.key]
        for page, (x1, y1, x2, y2), name in result.links:
            if name not in anchors:
                continue  # a section the edition left out: validation reports dangling links
            index = offsets[chunk.key] + page
            height = result.page_height
            target_page, left, top = anchors[name]
            rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
            fit = Fit.xyz(left=left * PX_TO_PT, top=height - top * PX_TO_PT, zoom=0)
            writer.add_annotation(index, Link(rect=rect, target_page_index=target_page, fit=fit))


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
        title = f'{words["module"]} {module.number}: {module.meta.title}'
        module_item = add(title, module.anchor, parent)
        for block in module.blocks:
            if isinstance(block, d.Heading) and block.level == 2:
                label = f"{block.number} {d.plain_text(block.children)}".strip()
                add(label, f"{module.meta.id}--{block.anchor}", module_item)
    add(words["legal-index"], "legal-index")
    add(words["durations"], "durations")
    add(words["glossary"], "glossary")


def _add_page_labels(writer: Any, chunks: list[Chunk], results: dict[str, ChunkResult],
                     offsets: dict[str, int]) -> None:
    for chunk in chunks:
        first = offsets[chunk.key]
        last = first + results[chunk.key].pages - 1
        if chunk.label_style:
            writer.set_page_label(first, last, style=chunk.label_style,
                                  prefix=chunk.label_prefix or None, start=1)
        else:
            writer.set_page_label(first, last, prefix="\u00b7", start=1)


def _add_metadata(writer: Any, edition: AssembledEdition) -> None:
    from pypdf.generic import NameObject, TextStringObject

    from trainkit.writers.html import _subject, edition_keywords

    writer.add_metadata({
        "/Title": edition.manifest.title,
        "/Author": edition.manifest.publisher or edition.manifest.title,
        "/Subject": _subject(edition),
        "/Keywords": ", ".join(edition_keywords(edition)),
        "/Creator": f"trainkit {__version__}",
        "/Producer": f"WeasyPrint {_weasyprint_version()} and pypdf",
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject(edition.language)
