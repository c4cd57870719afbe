"""A tiny portal with one unit whose pages misbehave in exactly one way, for full-cycle fault tests.

The unit 区财政局 (0107) has a healthy column (工作动态) and, depending on the fault,
a faulty column list page (通知公告), a faulty article in the healthy column and a faulty
link target in a healthy article. Every faulty URL contains "/fault", so a test can
check that no finding, of any rule, points at one.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zlib
from functools import lru_cache
from pathlib import Path

import threading
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.crawl.sitefixture import Server, Site, article, list_page, make_handler, page

AS_OF = dt.date(2026, 11, 27)
FAULT_COLUMN = "/bm/czj/tzgg/fault/"
FAULT_ARTICLE = "/bm/czj/gzdt/fault.html"
FAULT_LINK = "/fault-link"


@lru_cache(maxsize=1)
def gzip_bomb(size: int = 1 << 30) -> bytes:
    """`size` bytes of zeros, gzip-compressed (1 GiB -> about 1 MB). Built once per session."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    out = io.BytesIO()
    for _ in range(size // len(chunk)):
        out.write(comp.compress(chunk))
    out.write(comp.flush())
    return out.getvalue()


def _reset(req):
    return "RESET"


def _drip(req):
    """Headers at once, then one byte a second for a minute: only a total timeout stops it."""
    body = page("慢速页面", "<p>" + "慢" * 60 + "</p>").encode()
    req.send_response(200)
    req.send_header("Content-Type", "text/html; charset=utf-8")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    try:
        for i in range(len(body)):
            req.wfile.write(body[i:i + 1])
            req.wfile.flush()
            time.sleep(1)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    req.close_connection = True
    return None


def _bomb(req):
    return (200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}, gzip_bomb())


def _huge(req):
    return (200, {"Content-Type": "text/html; charset=utf-8"}, page("超大页面", "<p>" + "大" * ((10 << 20) // 3) + "</p>").encode())


def _loop(req):
    nxt = req.path + "x" if not req.path.endswith("xx") else req.path[:-2]
    return (302, {"Location": nxt}, b"")


def _too_many(req):
    """429 with Retry-After on the first request of each URL, then the real page."""
    site = req.server.govwatch_site
    with site.lock:
        n = site.state.setdefault("429", {}).get(req.path, 0)
        site.state["429"][req.path] = n + 1
    if n == 0:
        return (429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"too many requests")
    if req.path.startswith(FAULT_COLUMN):
        return (200, {"Content-Type": "text/html; charset=utf-8"},
                list_page("通知公告", [("/bm/czj/tzgg/fault/n1.html", "关于放假的通知", "2026-11-21")]).encode())
    return (200, {"Content-Type": "text/html; charset=utf-8"}, article("一条稍后才能访问的动态", "2026-11-19").encode())


def _too_many_always(req):
    return (429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"too many requests")


def _waf(status):
    body = (b"<html><head><title></title></head><body><script>var _0x1=['__jsl_clearance'];"
            b"document.cookie='__jsl_clearance=1574;max-age=3600;path=/';location.href=location.pathname"
            b"</script></body></html>")
    return lambda req: (status, {"Content-Type": "text/html"}, body)


FAULTS = {
    "connection_reset": _reset,
    "slow_drip": _drip,
    "gzip_bomb": _bomb,
    "huge_page": _huge,
    "redirect_loop": _loop,
    "retry_after_429": _too_many,
    "retry_after_429_persistent": _too_many_always,
    "waf_412": _waf(412),
    "waf_521": _waf(521),
}


def _handler(site: Site):
    base = make_handler(site)

    class Handler(base):
        """The crawl fixture's handler, plus handlers that write the response themselves (return None)."""

        def _serve(self, head: bool):
            fn = site.routes.get(self.path) or site.routes.get(urlsplit(self.path).path)
            if fn is _drip:
                with site.lock:
                    site.hits[self.path] += 1
                _drip(self)
                return
            super()._serve(head)

    return Handler


class FaultServer(Server):
    def __init__(self, site: Site):  # noqa: super().__init__ would bind the plain handler
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        self.httpd.daemon_threads = True
        self.httpd.govwatch_site = site
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()


def build(site: Site, fault: str | None) -> None:
    s = site
    s.raw("/robots.txt", lambda req: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"))
    menu = '<li><a href="/bm/czj/gzdt/">工作动态</a></li>'
    items = [("/bm/czj/gzdt/a1.html", "财政局召开工作会议", "2026-11-20")]
    if fault:
        menu += f'<li><a href="{FAULT_COLUMN}">通知公告</a></li>'
        items.append((FAULT_ARTICLE, "一条访问出错的动态", "2026-11-19"))
    s.html("/bm/czj/", page("区财政局", f'<ul class="menu">{menu}<li><a href="/bm/czj/jgjj.html">机构简介</a></li></ul>'))
    s.html("/bm/czj/jgjj.html", page("机构简介", "<p>区财政局是区政府工作部门。</p>"))
    s.html("/bm/czj/gzdt/", list_page("工作动态", items))
    link = f'<a href="{FAULT_LINK}">相关链接</a>' if fault else ""
    s.html("/bm/czj/gzdt/a1.html", article("财政局召开工作会议", "2026-11-20", link))
    s.html("/bm/czj/tzgg/fault/n1.html", article("关于放假的通知", "2026-11-21"))
    if fault:
        handler = FAULTS[fault]
        for path in (FAULT_COLUMN, FAULT_ARTICLE, FAULT_LINK):
            s.raw(path, handler)
        if fault == "redirect_loop":
            for path in (FAULT_COLUMN, FAULT_ARTICLE, FAULT_LINK):
                s.raw(path + "x", handler)
                s.raw(path + "xx", handler)


def write_site(path: Path, base: str, *, extra_units: str = "", **site) -> Path:
    opts = {"allow_private_addresses": True, "timeout_seconds": 2.0, "max_page_bytes": 1_000_000,
            "delay_seconds": 0.0, "concurrency_per_host": 4, **site}
    lines = "\n".join(f"{k} = {_toml(v)}" for k, v in opts.items())
    path.write_text(f"""[site]
name = "故障测试门户"
home = "{base}/"
{lines}

[[units]]
code = "0107"
name = "区财政局"
sections = ["{base}/bm/czj/"]
{extra_units}
""", encoding="utf-8")
    return path


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)
