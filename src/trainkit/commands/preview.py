"""``trainkit preview``: serve the HTML edition locally and reload the browser on change.

``Preview`` builds the HTML edition (into a temporary folder outside the project) and
keeps the page, or, when the project has errors, a page listing the findings; each
rebuild bumps a generation number. ``serve`` answers on 127.0.0.1 by default with three
addresses: ``/`` the page with a small script injected, ``/__trainkit/events`` a
server-sent events stream that announces each new generation (the script reloads the
page), and ``/__trainkit/generation`` the number itself. Nothing is fetched from
elsewhere. ``watch_and_rebuild`` rebuilds on each change that ``InputFilter`` lets
through (from ``watchfiles``): the output folders, caches and hidden folders never
trigger one. The library never prints: ``on_build`` hears of each build.
"""

from __future__ import annotations

import html
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from trainkit.commands.build import BuildOptions, build_edition
from trainkit.commands.watch_filter import InputFilter
from trainkit.diagnostics import format_text, relocated
from trainkit.errors import ContentError, TrainkitError

EVENTS = "/__trainkit/events"
GENERATION = "/__trainkit/generation"

#: Injected before ``</body>``: reload when the server announces another generation.
RELOAD_SCRIPT = """<script>(function () {
  var shown = %d, source = new EventSource("%s");
  source.onmessage = function (event) {
    if (Number(event.data) !== shown) { source.close(); location.reload(); }
  };
})();</script>"""


@dataclass(frozen=True, slots=True)
class PreviewBuild:
    """One build of the preview: what changed, whether it worked, how long it took."""

    generation: int
    changed: tuple[str, ...]
    error: TrainkitError | None
    seconds: float


class Preview:
    """The page being served, rebuilt on demand; thread-safe."""

    def __init__(self, project_dir: Path, options: BuildOptions) -> None:
        self.project_dir = project_dir
        self.out_dir = Path(tempfile.mkdtemp(prefix="trainkit-preview-"))
        self.options = replace(options, formats=("html",), out_dir=self.out_dir)
        self.generation = 0
        self.page = "<!doctype html><title>trainkit preview</title><body></body>"
        self._changed = threading.Condition()

    def rebuild(self, changed: tuple[str, ...] = ()) -> PreviewBuild:
        started = time.perf_counter()
        error: TrainkitError | None = None
        try:
            result = build_edition(self.project_dir, self.options)
            page = (result.files[0].path.read_text(encoding="utf-8") if result.ok
                    else _error_page([], {}, "; ".join(result.failures)))
        except TrainkitError as caught:
            error, page = caught, _page_for(caught)
        with self._changed:
            self.generation += 1
            self.page = page
            self._changed.notify_all()
            generation = self.generation
        return PreviewBuild(generation, changed, error, time.perf_counter() - started)

    def wait(self, seen: int, timeout: float) -> int:
        """The generation, once it is not ``seen`` or ``timeout`` seconds have passed."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation

    def served_page(self) -> str:
        with self._changed:
            page, generation = self.page, self.generation
        script = RELOAD_SCRIPT % (generation, EVENTS)
        at = page.rfind("</body>")
        return page[:at] + script + page[at:] if at >= 0 else page + script

    def close(self) -> None:
        shutil.rmtree(self.out_dir, ignore_errors=True)


def _page_for(error: TrainkitError) -> str:
    if isinstance(error, ContentError):
        diagnostics, sources = relocated(error.diagnostics, error.sources, error.root)
        return _error_page(diagnostics, sources, str(error))
    return _error_page([], {}, str(error))


def _error_page(diagnostics: list, sources: dict[str, list[str]],  # type: ignore[type-arg]
                message: str) -> str:
    report = format_text(diagnostics, sources) if diagnostics else ""
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>trainkit preview: errors</title><style>body{font-family:sans-serif;"
            "margin:2em}pre{background:#fff4f4;padding:1em;border-left:4px solid #c00;"
            "white-space:pre-wrap}</style></head><body>"
            f"<h1>The project has errors</h1><p id=\"trainkit-error\">{html.escape(message)}"
            f"</p><pre id=\"trainkit-diagnostics\">{html.escape(report)}</pre>"
            "<p>Fix them and save: this page updates by itself.</p></body></html>")


def serve(preview: Preview, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A started server (in a daemon thread); ``shutdown()`` and ``server_close()`` it."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None  # the library never prints

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                self._events()
            elif path == GENERATION:
                self._send(str(preview.generation).encode(), "text/plain")
            elif path in ("/", "/index.html"):
                self._send(preview.served_page().encode("utf-8"), "text/html; charset=utf-8")
            else:
                self.send_error(404)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not stopping.is_set():
                    current = preview.wait(seen, 1.0)
                    self.wfile.write(f"data: {current}\n\n".encode() if current != seen
                                     else b": keep-alive\n\n")
                    self.wfile.flush()
                    seen = current
            except (BrokenPipeError, ConnectionResetError):
                return

    stopping = threading.Event()
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    original_shutdown = server.shutdown

    def shutdown() -> None:
        stopping.set()
        original_shutdown()

    server.shutdown = shutdown  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, name="trainkit-preview", daemon=True).start()
    return server


def watch_and_rebuild(preview: Preview, on_build: Callable[[PreviewBuild], None],
                      stop: threading.Event, extra_skip: Iterable[Path] = ()) -> None:
    """Rebuild after each change to a file a build reads, until ``stop`` is set (SIGTERM
    sets it too, in the main thread, so a service manager stops the preview cleanly)."""
    from watchfiles import watch

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    root = preview.project_dir.resolve()
    accept = InputFilter(root, (preview.out_dir, *extra_skip, *_out_dirs(preview)))
    for changes in watch(root, watch_filter=accept, stop_event=stop, debounce=100,
                         rust_timeout=500, yield_on_timeout=False):
        changed = tuple(sorted({str(Path(p).resolve().relative_to(root)) for _, p in changes}))
        on_build(preview.rebuild(changed))


def _out_dirs(preview: Preview) -> list[Path]:
    """The manifest's output folder (``dist/``), which another build may write to."""
    return [preview.project_dir / "dist"]
