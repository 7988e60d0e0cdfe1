"""The PDF writer: print HTML rendered by WeasyPrint, which sees only approved files.

WeasyPrint is imported here, and only here, so commands that make no PDF start fast.
Its default URL fetcher reads any local file and the network; ours serves the project's
approved images and refuses everything else. Its error log lines (which by default only
warn) fail the build.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trainkit.assemble import AssembledEdition
from trainkit.errors import ReferenceRejected, RenderError
from trainkit.output import atomic_target
from trainkit.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.writers.html import ASSET_SCHEME, render_html


def asset_url(src: str) -> str:
    """The URL under which the fetcher serves a project image."""
    return ASSET_SCHEME + src


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_errors() -> Iterator[_LogCollector]:
    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def _fetcher(resolver: ProjectResolver) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``trainkit:asset/<path>`` from the project; refuses every other URL."""

        def fetch(self, url: str, headers: object = None) -> Any:
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

    return ProjectFetcher(allowed_protocols=["trainkit"], allow_redirects=False,
                          fail_on_errors=False)


def write_pdf(edition: AssembledEdition, resolver: ProjectResolver, target: Path) -> int:
    """Render ``edition`` to ``target`` atomically and return its page count.

    ``RenderError`` if anything fails; the previous ``target`` is then left untouched.
    """
    import weasyprint

    html = render_html(edition, "print", asset_url)
    document = weasyprint.HTML(string=html, base_url=f"{ASSET_SCHEME}",
                               url_fetcher=_fetcher(resolver))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # about 15% of a WeasyPrint run goes to the collector (PERFORMANCE_NOTES)
    try:
        with _collect_errors() as errors, atomic_target(target) as temporary:
            rendered = document.render()
            if errors.messages:
                raise RenderError(f"{target.name}: " + "; ".join(errors.messages[:5]))
            rendered.write_pdf(temporary, custom_metadata=True)
            return len(rendered.pages)
    except RenderError:
        raise
    except Exception as error:  # WeasyPrint raises many kinds; all mean a failed render
        raise RenderError(f"{target.name}: rendering failed: {error}") from error
    finally:
        if gc_was_enabled:
            gc.enable()
