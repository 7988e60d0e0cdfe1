"""The PDF writer: the edition is rendered in pieces, in parallel, and merged.

Layout dominates a WeasyPrint run and one process uses one core, so the front matter,
each part title page, each module and the back matter are rendered as separate
documents in worker processes (and cached by content), then merged with pypdf. Pages are
numbered per module ("3-12"), as modular training manuals usually are, or continuously
(``output.page_numbers``); either way no piece needs another's layout: trainkit writes
the page numbers itself after layout (``stamps.py``: the folios, and the pages after
cross-references and in the legal index), and renders the front matter last, with the
contents' page numbers written in. ``merge.py`` adds the blank pages of a duplex book, the
outline (bookmarks), the internal links, the page labels and the metadata.

The pieces are laid out by a ``Renderer`` (``renderpool``): worker processes, which the
build starts before validating so that WeasyPrint's import overlaps it, or this process
when there is one core. This process merges each piece as it arrives. WeasyPrint's
default URL fetcher reads any local file and the network; ours (``chunks``) serves the
project's approved images and refuses everything else. Its error log lines (which by
default only warn) fail the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trainkit import __version__
from trainkit.model import document as d
from trainkit.labels import localize_digits
from trainkit.model.edition import AssembledEdition
from trainkit.runtime import usable_cores
from trainkit.errors import RenderError
from trainkit.loading.resolver import ProjectResolver
from trainkit.writers.pdf import weasyprint_fixes
from trainkit.writers.pdf.folios import BACK_PREFIX, Piece, PieceKind
from trainkit.writers.pdf.merge import Assembly, book_plan, finish, weasyprint_version
from trainkit.writers.pdf.piece_cache import ChunkCache, ChunkResult
from trainkit.writers.pdf.pieces import ChunkJob
from trainkit.writers.pdf.stamps import EASTERN_GLYPHS, SHEET_CSS, glyph_sheet_html, rtl_words
from trainkit.writers.html.running_heads import manual_head, module_running_head
from trainkit.writers.html.render import (
    ASSET_SCHEME, PageRef, read_resource, render_template, stylesheet, template_context,
    theme_stylesheet,
)
from trainkit.writers.pdf.render_pool import InlineRenderer, Renderer, RenderPool

CACHE_FOLDER = Path(".trainkit-cache") / "pdf-chunks"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One document to render on its own, and the piece of the book it is."""

    name: str
    html: str
    #: The edition's stylesheet, shared by its chunks (``chunks.render_chunk``).
    css: str
    #: The chunk's own rules, applied after ``css``.
    own_css: str
    kind: PieceKind
    #: Its page numbers' prefix with per-module numbering: "3–", "A–" or "".
    prefix: str
    key: str
    #: Tagged (PDF/UA) or not; part of ``key`` (``tagged_chunk``).
    tagged: bool = False
    #: Its language when it is not the edition's (a module left in its source language).
    language: str | None = None


def asset_url(src: str) -> str:
    """The URL under which the fetcher serves a project image."""
    return ASSET_SCHEME + src


def write_pdf(edition: AssembledEdition, resolver: ProjectResolver, target: Path, *,
              jobs: int | None = None, use_cache: bool = True,
              renderer: Renderer | None = None, tagged: bool | None = None) -> int:
    """Render ``edition`` to ``target`` atomically and return its page count.

    ``renderer`` renders the pieces (a ``RenderPool`` the build started early); without
    one, ``jobs`` worker processes do (default: one per core). Rendered pieces are cached
    in the project's ``.trainkit-cache/pdf-chunks``. ``RenderError`` if any piece fails;
    the previous ``target`` is then left untouched. ``tagged`` (default: the manifest's
    ``output.tagged_pdf``) writes a tagged PDF (PDF/UA-1, ``structure.py``).
    """
    if tagged is None:
        tagged = edition.manifest.output.tagged_pdf
    cache = ChunkCache(resolver.root / CACHE_FOLDER) if use_cache else None
    context = template_context(edition, "print", asset_url, "", page_ref(edition))
    shared_css = print_stylesheet(edition, resolver)
    body = [*_module_chunks(edition, context, resolver, shared_css),
            _back_chunk(edition, context, resolver, shared_css)]
    sheet = _chunk("glyphs", glyph_sheet_html(
        edition.language, edition.direction,
        (EASTERN_GLYPHS if edition.digits == "eastern" else "") + edition.back_prefix),
                   (shared_css, SHEET_CSS), "front", "", (), resolver)
    if tagged:
        body = [tagged_chunk(chunk) for chunk in body]
    assembly = Assembly([None, *body], tagged)
    with _renderer(renderer, jobs) as chosen:
        results = _render_all([*body, sheet], resolver, chosen, cache, assembly)
        pages = _page_labels(edition, body, results)
        front = _front_chunk(edition, {**context, "pages": pages}, resolver, shared_css)
        front = tagged_chunk(front) if tagged else front
        assembly.chunks[0] = front
        results.update(_render_all([front], resolver, chosen, cache, assembly))
    if cache is not None:
        cache.prune()
    return finish(edition, assembly, results, results[sheet.key], target)


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


def _chunk(name: str, html: str, css: tuple[str, str], kind: PieceKind, prefix: str,
           images: Iterable[str], resolver: ProjectResolver) -> Chunk:
    """A chunk and its cache key; ``css`` is (the edition's stylesheet, the chunk's own)."""
    digest = hashlib.sha256(
        f"{__version__}\0{weasyprint_version()}\0{weasyprint_fixes.REVISION}\0".encode())
    for text in (*css, html):
        digest.update(hashlib.sha256(text.encode("utf-8")).digest())
    for src in sorted(set(images)):
        digest.update(src.encode() + b"\0" + _file_digest(resolver, src))
    return Chunk(name, html, *css, kind, prefix, digest.hexdigest())


def tagged_chunk(chunk: Chunk) -> Chunk:
    """``chunk`` rendered tagged: another PDF, so another cache key."""
    key = hashlib.sha256(f"{chunk.key}\0tagged".encode()).hexdigest()
    return replace(chunk, key=key, tagged=True)


def _file_digest(resolver: ProjectResolver, src: str) -> bytes:
    try:
        return hashlib.sha256((resolver.root / src).read_bytes()).digest()
    except OSError:
        return b"missing"


def print_stylesheet(edition: AssembledEdition, resolver: ProjectResolver | None = None) -> str:
    """The stylesheet every chunk of the edition shares: print CSS plus the chunk rules,
    then the theme (read through ``resolver``)."""
    chunk_css = read_resource("css/chunk.css")
    title = manual_head(edition.manifest.title, edition.manifest.output.page_size)
    chunk_css = chunk_css.replace("__MANUAL_TITLE__", css_string(title))
    theme = theme_stylesheet(edition, "print", resolver) if resolver is not None else ""
    return stylesheet(edition, "print") + chunk_css + duplex_css(edition) + theme


#: The side margins of ``print.css``; printed on both sides, the inner one grows by the gutter.
SIDE_MARGIN_MM = 20.0
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def duplex_css(edition: AssembledEdition) -> str:
    """Mirrored margins for a book printed on both sides: the binding gutter is on the
    right of left-hand pages and on the left of right-hand pages (in Arabic too, whose
    first page is a left-hand page)."""
    output = edition.manifest.output
    if not output.duplex:
        return ""
    unit = output.gutter[-2:]
    inner = SIDE_MARGIN_MM + float(output.gutter[:-2]) * _MM[unit]
    return (f"@page :left {{ margin-left: {SIDE_MARGIN_MM}mm; margin-right: {inner:.2f}mm; }}\n"
            f"@page :right {{ margin-left: {inner:.2f}mm; margin-right: {SIDE_MARGIN_MM}mm; }}\n")


def page_ref(edition: AssembledEdition) -> PageRef:
    """The page a print cross-reference shows: known before layout for the start of a
    module numbered per module ("7–1"), else room for the widest number it may have
    ("7–00"; "000" numbered continuously), where trainkit writes it after layout."""
    continuous = edition.manifest.output.page_numbers == "continuous"
    by_anchor = {module.anchor: module.number for module in edition.modules}
    by_id = {module.meta.id: module.number for module in edition.modules}
    start, end = ("\u2066", "\u2069") if edition.direction == "rtl" else ("", "")

    def find(target: str) -> tuple[str, bool]:
        if continuous:
            return localize_digits("000", edition.digits), False
        if target in by_anchor:
            page = localize_digits(f"{by_anchor[target]}\u20131", edition.digits)
            return f"{start}{page}{end}", True
        return localize_digits(f"{by_id.get(target.split('--')[0], 0)}\u201300",
                               edition.digits), False

    return find


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
            chunks.append(_chunk(f"part-{module.number}", html, (shared_css, ""), "part", "",
                                 (), resolver))
        head = module_running_head(edition, module)
        html = render_template("chunk.html.j2", {**context, "chunk": "module", "item": {
            **item, "starts_part": False, "running_head": head}})
        images = [n.src for n in d.walk(module.blocks) if isinstance(n, d.Image)]
        chunk = _chunk(f"module-{module.number}", html, (shared_css, ""), "module",
                       f"{module.number}\u2013", images, resolver)
        own = module.language if module.language != edition.language else None
        chunks.append(replace(chunk, language=own))
    return chunks


def _back_chunk(edition: AssembledEdition, context: dict[str, Any],
                resolver: ProjectResolver, shared_css: str) -> Chunk:
    html = render_template("chunk.html.j2", {**context, "chunk": "back"})
    return _chunk("back", html, (shared_css, ""), "back", edition.back_prefix, (), resolver)


def _front_chunk(edition: AssembledEdition, context: dict[str, Any],
                 resolver: ProjectResolver, shared_css: str) -> Chunk:
    html = render_template("chunk.html.j2", {**context, "chunk": "front"})
    return _chunk("front", html, (shared_css, ""), "front", "", (), resolver)


def _page_labels(edition: AssembledEdition, chunks: list[Chunk],
                 results: dict[str, ChunkResult]) -> dict[str, str]:
    """The page number of every anchor in the rendered chunks, for the contents.

    They do not depend on the front matter, not rendered yet (``folios.py``). In
    right-to-left text they are wrapped in a left-to-right isolate, or "3-12" would read
    "12-3"; one with a right-to-left word ("ملحق–5") in a right-to-left isolate, read as
    its folio is stamped (``stamps.py``): the word at the right.
    """
    pieces = [Piece("front", 0), *(Piece(c.kind, results[c.key].pages, c.prefix)
                                   for c in chunks)]
    plan = book_plan(edition, pieces)
    labels: dict[str, str] = {}
    for index, chunk in enumerate(chunks, start=1):
        for anchor, (page, _, _) in results[chunk.key].anchors.items():
            labels.setdefault(anchor, _isolated(plan.label(index, page), edition.direction))
    return labels


def _isolated(label: str, direction: str) -> str:
    if direction != "rtl":
        return label
    return f"\u2067{label}\u2069" if rtl_words(label) else f"\u2066{label}\u2069"


# -- rendering --------------------------------------------------------------------------


def _render_all(chunks: list[Chunk], resolver: ProjectResolver, renderer: Renderer,
                cache: ChunkCache | None, assembly: Assembly) -> dict[str, ChunkResult]:
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
    jobs = [ChunkJob(root, key, chunk.html, chunk.css, chunk.own_css, folder, chunk.tagged)
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
