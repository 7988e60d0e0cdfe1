"""``trainkit preview``: the page, its reload script, the error page, the file filter,
and (slow) a real headless Chromium that follows an edit without being reloaded."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from pathlib import Path

import pytest

from trainkit.commands.build import BuildOptions
from trainkit.commands.preview import EVENTS, Preview, serve
from trainkit.commands.scaffold import init_project
from trainkit.commands.watch import snapshot
from trainkit.commands.watch_filter import InputFilter

WELCOME = "modules/01-welcome.md"


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    init_project(tmp_path / "course", "Preview Course")
    return tmp_path / "course"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_the_page_has_the_edition_and_the_reload_script(starter: Path) -> None:
    preview = Preview(starter, BuildOptions())
    server = serve(preview, "127.0.0.1", 0)
    try:
        assert preview.rebuild().error is None
        url = f"http://127.0.0.1:{server.server_address[1]}"
        page = _get(url + "/")
        assert "Aims of the course" in page and f'new EventSource("{EVENTS}")' in page
        assert "http" not in page.split("<script>")[-1]  # nothing fetched from elsewhere
        with urllib.request.urlopen(url + EVENTS, timeout=10) as events:
            assert events.readline() == b"data: 1\n"
        path = starter / WELCOME
        path.write_text(path.read_text(encoding="utf-8").replace("status: draft",
                                                                 "status: drafty"))
        build = preview.rebuild((WELCOME,))
        assert build.error is not None and build.generation == 2
        page = _get(url + "/")
        assert "The project has errors" in page and "drafty" in page
        assert "01-welcome.md:5:9" in page
    finally:
        server.shutdown()
        server.server_close()
        preview.close()
    assert not preview.out_dir.exists()


def test_outputs_caches_and_other_files_never_trigger_a_rebuild(starter: Path) -> None:
    accept = InputFilter(starter, (starter / "out",))
    for name in (WELCOME, "trainkit.yaml", "regions/main.yaml", "images/cycle.svg"):
        assert accept.accepts(starter / name), name
    for name in ("dist/x.pdf", "out/x.html", "course.pdf", ".trainkit-cache/m/x.md",
                 ".git/HEAD", "modules/.01-welcome.md.swp", "modules/01-welcome.md~",
                 "notes.txt", "../elsewhere.md"):
        assert not accept.accepts(starter / name), name
    (starter / "course.pdf").write_bytes(b"%PDF")  # build --watch counts the same files
    assert "course.pdf" not in snapshot(starter) and WELCOME in snapshot(starter)


# -- a real browser ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """The smallest client of Chromium's DevTools protocol: one WebSocket, no library."""

    def __init__(self, url: str) -> None:
        host_port, path = url.removeprefix("ws://").split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.next_id = 0

    def _send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        size = len(data)
        header = bytes([0x81]) + (bytes([0x80 | size]) if size < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", size))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            assert chunk, "DevTools closed the connection"
            data += chunk
        return data

    def _receive(self) -> str:
        message = b""
        while True:
            first, second = self._exactly(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._exactly(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._exactly(8))[0]
            message += self._exactly(size)
            if first & 0x80:
                return message.decode("utf-8")

    def evaluate(self, expression: str) -> object:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": "Runtime.evaluate",
                               "params": {"expression": expression, "returnByValue": True}}))
        while True:
            reply = json.loads(self._receive())
            if reply.get("id") == self.next_id:
                return reply.get("result", {}).get("result", {}).get("value")

    def close(self) -> None:
        self.sock.close()


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(process: subprocess.Popen[Any], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def chromium_page(url: str, prefix: str = "trainkit-chromium-") -> Iterator[DevTools]:
    """Headless Chromium showing ``url`` (a private profile), driven through DevTools;
    stopped, and its profile removed, afterwards."""
    profile = Path(tempfile.mkdtemp(prefix=prefix))
    assert CHROMIUM is not None
    browser = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    tools: DevTools | None = None
    try:
        port_file = profile / "DevToolsActivePort"
        _until(port_file.exists, 60, "Chromium's DevTools port")
        port = port_file.read_text().split()[0]
        targets = json.loads(_get(f"http://127.0.0.1:{port}/json/list"))
        tools = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        yield tools
    finally:
        if tools is not None:
            tools.close()
        _stop(browser)
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def served(starter: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``trainkit preview`` on a free port, and its address; stopped with Ctrl-C after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "trainkit", "preview", str(starter), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Preview at http://127.0.0.1:"), line
        yield line.split()[2], process
    finally:
        _stop(process, signal.SIGINT)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
def test_a_real_browser_follows_edits_by_itself(starter: Path, served: tuple[str, Any]) -> None:
    url, _ = served
    with chromium_page(url) as tools:
        text: Callable[[], str] = lambda: str(tools.evaluate("document.body ? "
                                                             "document.body.innerText : ''"))
        _until(lambda: "Aims of the course" in text(), 60, "the first page")
        module = starter / WELCOME
        original = module.read_text(encoding="utf-8")
        module.write_text(original.replace("## How each module is taught",
                                           "## How each module is revised"), encoding="utf-8")
        _until(lambda: "How each module is revised" in text(), 60, "the edited text")
        module.write_text(original.replace("status: draft", "status: drafty"),
                          encoding="utf-8")
        _until(lambda: "The project has errors" in text() and "drafty" in text(), 60,
               "the diagnostics in the page")
        module.write_text(original, encoding="utf-8")
        _until(lambda: "Aims of the course" in text(), 60, "the fixed page")
