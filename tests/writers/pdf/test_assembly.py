"""The PDF merge and the early render pool, without WeasyPrint.

Chunk results arrive in any order (cached ones first, rendered ones as workers finish,
the front matter last); the merged document must still have every page in its place.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from trainkit.commands.build import BuildOptions, build_edition
from trainkit.errors import ContentError
from trainkit.writers.pdf.piece_cache import ChunkResult
from trainkit.writers.pdf.edition import Chunk
from trainkit.writers.pdf.merge import Assembly as _Assembly
from trainkit.writers.pdf.render_pool import RenderPool


def blank_pdf(widths: list[int]) -> ChunkResult:
    """A PDF whose pages are told apart by their widths."""
    writer = PdfWriter()
    for width in widths:
        writer.add_blank_page(width=width, height=100)
    stream = io.BytesIO()
    writer.write(stream)
    return ChunkResult(stream.getvalue(), len(widths), 100.0)


def chunk(key: str) -> Chunk:
    return Chunk(key, "", "", "", "module", "", key)


PAGES = {"front": [10, 11], "one": [20, 21, 22], "two": [30], "back": [40, 41]}


@pytest.mark.parametrize("order", list(itertools.permutations(["one", "two", "back"])))
def test_chunks_merged_in_any_order_land_in_document_order(order: tuple[str, ...]) -> None:
    assembly = _Assembly([None, chunk("one"), chunk("two"), chunk("back")])
    for key in order:
        assembly.add(key, blank_pdf(PAGES[key]))
    assembly.chunks[0] = chunk("front")
    assembly.add("front", blank_pdf(PAGES["front"]))
    widths = [int(page.mediabox.width) for page in assembly.writer.pages]
    assert widths == [10, 11, 20, 21, 22, 30, 40, 41]
    assert [(c.name, first) for c, first in assembly.placed()] == [
        ("front", 0), ("one", 2), ("two", 5), ("back", 6)]


def test_a_result_fills_every_place_with_its_key() -> None:
    assembly = _Assembly([chunk("one"), chunk("two"), chunk("one")])
    assembly.add("one", blank_pdf([20]))
    assembly.add("two", blank_pdf([30, 31]))
    assert [int(p.mediabox.width) for p in assembly.writer.pages] == [20, 30, 31, 20]


def test_an_early_pool_is_stopped_unused_when_the_project_has_errors(
        tmp_path: Path) -> None:
    (tmp_path / "trainkit.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ContentError):
        build_edition(tmp_path, BuildOptions(formats=("pdf",), writer_jobs=2))
    # Stopped, not waited for: importing WeasyPrint in the workers takes about 0.5 s.
    assert time.perf_counter() - started < 2.0
    assert multiprocessing.active_children() == []


def test_a_pool_that_rendered_nothing_stops_at_once() -> None:
    pool = RenderPool.start(2)
    time.sleep(0.05)  # the workers are importing WeasyPrint (about 0.35 s more)
    started = time.perf_counter()
    pool.close()
    assert time.perf_counter() - started < 0.2
    assert multiprocessing.active_children() == []
