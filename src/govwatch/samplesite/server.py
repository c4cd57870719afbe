"""A threaded HTTP server for a generated sample portal, with its planted server faults.

Static pages come from DIR/www (ETag from the content, Last-Modified from the
file time the generator set, 304 on conditional requests). DIR/faults.json adds
the dynamic behaviours: 500, a WAF challenge (412), a page that hangs, a
connection reset, redirects (and a loop), a 12 MB page, a soft 404 and an
endless calendar. Every request runs in its own daemon thread, so a hanging
page never blocks the others.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from govwatch.samplesite import render
from govwatch.samplesite.generate import url_to_file

HANG_SECONDS = 120
LARGE_BYTES = 12 * 1024 * 1024
TYPES = {".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".txt": "text/plain",
         ".png": "image/png", ".jpg": "image/jpeg", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
         ".pdf": "application/pdf", ".docx": "application/msword"}


@dataclass
class Flaky:
    """A homepage that fails (HTTP 503) or answers only after `slow_seconds` for a share of requests:
    for availability probing (national.site_unreachable). Deterministic: request n misbehaves when
    floor(n * share) steps up, so exactly that share of any run of requests from the first does."""

    path: str
    share: float
    mode: str = "error"  # error | slow
    slow_seconds: float = 20.0
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def misbehaves(self) -> bool:
        with self.lock:
            self.count += 1
            return int(self.count * self.share + 1e-9) > int((self.count - 1) * self.share + 1e-9)


class SampleServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True
    flaky: Flaky | None = None

    def __init__(self, address, directory: str | Path):
        self.directory = Path(directory)
        self.root = (self.directory / "www").resolve()
        if not self.root.is_dir():
            from govwatch.lib.errors import GovwatchError

            raise GovwatchError(f"{directory} 不是示例门户目录（缺少 www/，请先运行 govwatch sample generate）")
        faults = self.directory / "faults.json"
        self.faults = json.loads(faults.read_text(encoding="utf-8")) if faults.exists() else {}
        self.stopping = threading.Event()
        self._etags: dict[tuple[str, int, int], str] = {}
        super().__init__(address, Handler)

    def shutdown(self):
        self.stopping.set()  # wakes the hanging handlers
        super().shutdown()

    def etag(self, path: Path, data: bytes, st) -> str:
        key = (str(path), st.st_size, st.st_mtime_ns)
        tag = self._etags.get(key)
        if tag is None:
            tag = self._etags[key] = '"' + hashlib.md5(data).hexdigest()[:16] + '"'
        return tag


class Handler(BaseHTTPRequestHandler):
    server: SampleServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: Nagle + delayed ACK would stall keep-alive by 40 ms
    server_version = "TRS-WCM/7.0"
    sys_version = ""

    def log_message(self, format, *args):  # quiet: a crawl makes thousands of requests
        pass

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    # ------------------------------------------------------------------
    def handle_request(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        flaky = self.server.flaky
        if flaky is not None and path == flaky.path and flaky.misbehaves():
            if flaky.mode == "error":
                return self.send_body(503, render.SERVER_ERROR, head)
            self.server.stopping.wait(flaky.slow_seconds)
        fault = self.server.faults.get(path)
        if fault:
            return self.fault(fault, parts.query, head)
        target = url_to_file(self.server.root, path + ("?" + parts.query if parts.query else ""))
        try:
            resolved = target.resolve()
            resolved.relative_to(self.server.root)
        except (ValueError, OSError):
            return self.send_body(404, render.NOT_FOUND, head)
        if resolved.is_dir():
            return self.redirect(301, path + "/" + ("?" + parts.query if parts.query else ""), head)
        if not resolved.is_file():
            return self.send_body(404, render.NOT_FOUND, head)
        self.static(resolved, head)

    def static(self, file: Path, head: bool) -> None:
        data = file.read_bytes()
        st = file.stat()
        etag = self.server.etag(file, data, st)
        modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = inm == etag if inm else False
        if not inm and ims:
            with contextlib.suppress(TypeError, ValueError):
                not_modified = int(st.st_mtime) <= email.utils.parsedate_to_datetime(ims).timestamp()
        headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": content_type(file, data)}
        if not_modified:
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_bytes(200, data, headers, head)

    def fault(self, fault: dict, query: str, head: bool) -> None:
        kind = fault["kind"]
        if kind == "500":
            return self.send_body(500, render.SERVER_ERROR, head)
        if kind == "waf":
            return self.send_body(412, render.WAF_412, head, {"Set-Cookie": "__jsluid_h=6d1f0c; path=/"})
        if kind == "soft404":
            return self.send_body(200, render.SOFT_404, head)
        if kind == "search":
            return self.send_body(200, render.SEARCH, head)
        if kind == "trap":
            date = parse_qs(query).get("date", ["2026-01"])[0]
            return self.send_body(200, render.trap_page(date), head)
        if kind == "redirect":
            return self.redirect(fault.get("status", 302), fault["to"], head)
        if kind == "hang":
            self.server.stopping.wait(HANG_SECONDS)
            return self.send_body(200, render.NOT_FOUND, head)
        if kind == "reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            import io

            self.wfile = io.BytesIO()
            return
        if kind == "large":
            return self.large(head)
        return self.send_body(500, render.SERVER_ERROR, head)

    def large(self, head: bool) -> None:
        chunk = ("<p>" + "君山区政务公开信息，内容重复以构成超大页面。" * 40 + "</p>\n").encode("utf-8")
        start = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>超大页面</title></head><body>'.encode("utf-8")
        count = LARGE_BYTES // len(chunk)
        end = b"</body></html>"
        total = len(start) + count * len(chunk) + len(end)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        if head:
            return
        try:
            self.wfile.write(start)
            for _ in range(count):
                self.wfile.write(chunk)
            self.wfile.write(end)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # ------------------------------------------------------------------
    def redirect(self, status: int, location: str, head: bool) -> None:
        self.send_bytes(status, b"", {"Location": location, "Content-Type": "text/html; charset=utf-8"}, head)

    def send_body(self, status: int, html: str, head: bool, extra: dict | None = None) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", **(extra or {})}
        self.send_bytes(status, html.encode("utf-8"), headers, head)

    def send_bytes(self, status: int, data: bytes, headers: dict, head: bool) -> None:
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def content_type(file: Path, data: bytes) -> str:
    suffix = file.suffix.lower() if "@" not in file.name else ""
    ctype = TYPES.get(suffix, "text/html")
    if ctype.startswith("text/") or ctype == "application/javascript":
        charset = "gb2312" if b"charset=gb2312" in data[:512] else "utf-8"
        return f"{ctype}; charset={charset}"
    return ctype


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def make_server(directory: str | Path, host: str = "127.0.0.1", port: int = 8765) -> SampleServer:
    return SampleServer((host, port), directory)


@contextlib.contextmanager
def serve_in_thread(directory: str | Path, host: str = "127.0.0.1", port: int | None = None):
    """Serve DIR in a background thread: `with serve_in_thread(d) as (server, thread): ...`."""
    server = make_server(directory, host, port if port is not None else free_port(host))
    thread = threading.Thread(target=server.serve_forever, name="samplesite", daemon=True)
    thread.start()
    try:
        yield server, thread
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def base_url_of(server: SampleServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def wait_until_ready(url: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    host, port = urlsplit(url).hostname, urlsplit(url).port
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection((host, port), timeout=0.5).close()
            return
        time.sleep(0.05)
