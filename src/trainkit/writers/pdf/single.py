"""One HTML document to one PDF file, for the small outputs (handouts, agendas).

Editions go through ``writers/pdf.py``, which renders them in pieces and merges them;
a handout or an agenda is a few pages, so it is laid out in one WeasyPrint run here, and
written tagged (PDF/UA-1). WeasyPrint only sees what the project fetcher approves
(project images under ``trainkit:asset/``); its error log lines fail the output, which is
written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.runtime import gc_paused
from trainkit.loading.resolver import ProjectResolver
from trainkit.writers.html.render import ASSET_SCHEME


def html_to_pdf(html: str, resolver: ProjectResolver, target: Path) -> int:
    """Render ``html`` to ``target`` atomically; the page count, or ``RenderError``."""
    import weasyprint

    from trainkit.writers.pdf import weasyprint_fixes
    from trainkit.writers.pdf.pieces import collect_weasyprint_errors, project_fetcher

    weasyprint_fixes.apply()

    try:  # a WeasyPrint run spends much of its time in the collector otherwise
        with gc_paused(), collect_weasyprint_errors() as errors, \
                atomic_target(target) as temporary:
            document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME,
                                       url_fetcher=project_fetcher(resolver)).render()
            if errors.messages:
                raise RenderError(f"{target.name}: " + "; ".join(errors.messages[:5]))
            _write_recorded(document, temporary)
            return len(document.pages)
    except RenderError:
        raise
    except Exception as error:  # WeasyPrint raises many kinds; all mean a failed render
        raise RenderError(f"{target.name}: rendering failed: {error}") from error


def _write_recorded(document: Any, target: Path) -> None:
    """Write ``document`` with each page's text block recorded for the preflight."""
    import datetime
    import io

    from pypdf import PdfReader, PdfWriter

    from trainkit.writers.pdf.page_record import record_document
    from trainkit.writers.pdf.pieces import page_areas

    blocks, blank = page_areas(document.pages)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document.write_pdf(
        custom_metadata=True, pdf_variant="pdf/ua-1"))))
    record_document(writer, [(block, index in blank) for index, block in enumerate(blocks)],
                    datetime.date.today())
    with target.open("wb") as stream:
        writer.write(stream)
