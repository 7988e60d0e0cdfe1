"""PDF: the print edition rendered by WeasyPrint in pieces, in parallel, and merged.

In: an ``AssembledEdition`` and the project resolver. Out: one PDF file. ``edition.py``
cuts the edition into pieces and merges them (contents page numbers, outline, links,
page labels); ``pieces.py`` renders one piece in a worker; ``render_pool.py`` owns the
workers; ``piece_cache.py`` keeps rendered pieces between builds; ``single.py`` renders
one small document (handouts, agendas) in this process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainkit.model.formats import may_build
from trainkit.runtime import usable_cores

if TYPE_CHECKING:
    from trainkit.writers.pdf.render_pool import RenderPool


def early_pool(formats: tuple[str, ...] | None, jobs: int | None) -> RenderPool | None:
    """A render pool started now if a PDF may be built and there are cores for workers;
    the pool's module (and its process machinery) is imported only then.

    ``formats`` None means the manifest's, not read yet: a PDF may be among them (a pool
    that is not needed after all is stopped unused). ``jobs`` caps the workers.
    """
    workers = jobs if jobs is not None else usable_cores()
    if workers < 2 or not may_build(formats, "pdf"):
        return None
    from trainkit.writers.pdf.render_pool import RenderPool

    return RenderPool.start(workers)
