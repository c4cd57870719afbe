"""A small threaded HTTP server with realistic portal pages and misbehaving endpoints."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from govwatch.siteconfig import ColumnPin, SiteConfig, UnitSection

NAV = """<div class="nav"><a href="/">首页</a> <a href="/bm/czj/">财政局</a></div>"""


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title></head>"
            f"<body>{NAV}<h1>{title}</h1>{body}</body></html>")


def list_page(title: str, items: list[tuple[str, str, str]], pager: str = "") -> str:
    rows = "".join(f'<li><a href="{href}">{text}</a><span>{day}</span></li>' for href, text, day in items)
    return page(title, f'<ul class="list">{rows}</ul>{pager}')


def article(title: str, day: str, extra: str = "") -> str:
    return page(title, f"<div class=\"info\">发布日期：{day}</div><div class=\"content\"><p>{title}的正文内容。</p>{extra}</div>")


class Site:
    """routes: path(+query) -> handler(req) returning (status, headers, body) or None for 404."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: Counter = Counter()
        self.methods: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.state: dict = {}

    def html(self, path: str, text: str, charset: str = "utf-8", headers: dict | None = None):
        body = text.encode(charset if charset != "gb2312" else "gbk")
        hdrs = {"Content-Type": f"text/html; charset={charset}", **(headers or {})}
        self.routes[path] = lambda req: (200, hdrs, body)

    def raw(self, path: str, fn):
        self.routes[path] = fn


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _serve(self, head: bool):
            key = self.path
            if site.state.get("delay"):
                time.sleep(site.state["delay"])
            with site.lock:
                site.hits[key] += 1
                site.methods.append((self.command, key))
            fn = site.routes.get(key) or site.routes.get(urlsplit(key).path)
            if fn is None:
                result = (404, {"Content-Type": "text/html; charset=utf-8"}, page("404 Not Found", "没有这个页面").encode())
            else:
                result = fn(self)
            if result == "RESET":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                self.close_connection = True
                return
            status, headers, body = result
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_GET(self):
            self._serve(False)

        def do_HEAD(self):
            self._serve(True)

    return Handler


class Server:
    def __init__(self, site: Site):
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def site_config(base: str, *, sections=("/bm/czj/",), pins=(), extra_hosts=(), **kw) -> SiteConfig:
    host = urlsplit(base).hostname
    defaults = dict(concurrency_per_host=8, delay_seconds=0.0, obey_robots=True, allow_private_addresses=True,
                    timeout_seconds=1.0, max_page_bytes=200_000,
                    extra={"retries": 1, "backoff_seconds": 0.05, "retry_after_cap": 2, "parse_workers": 0})
    defaults.update(kw)
    return SiteConfig(path="/nonexistent/site.toml", name="测试门户", home=base + "/", allowed_hosts=(host, *extra_hosts),
                      rulebook="district-2017", units=(UnitSection("0107", "区财政局", tuple(base + s for s in sections)),),
                      columns=tuple(ColumnPin(url=base + p[0], unit="0107", category=p[1]) for p in pins), **defaults)


def build_portal(site: Site, base: str, closed: int) -> None:
    """The 区财政局 section: four columns with different pagination flavours, a blank column,
    a consultation column, a calendar trap and articles carrying every kind of bad link."""
    s = site
    s.html("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    s.routes["/robots.txt"] = lambda req: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    s.html("/bm/czj/", page("区财政局", """
        <ul class="menu">
          <li><a href="/bm/czj/gzdt/">工作动态</a></li>
          <li><a href="/bm/czj/tzgg/list">通知公告</a></li>
          <li><a href="/bm/czj/zcwj/col/col12/index.html">政策文件</a></li>
          <li><a href="/bm/czj/rsxx/">人事信息</a></li>
          <li><a href="/bm/czj/zxly/">咨询留言</a></li>
          <li><a href="/bm/czj/jgjj.html">机构简介</a></li>
          <li><a href="/bm/czj/cal?date=2026-11-01">日历</a></li>
        </ul>
        <div class="block"><h2>工作动态</h2><ul>
          <li><a href="/bm/czj/gzdt/a1.html">第一条动态</a><span>2026-11-20</span></li></ul>
          <a href="/bm/czj/gzdt/">更多</a></div>"""))
    s.html("/bm/czj/jgjj.html", page("机构简介", "<p>区财政局是区政府工作部门。</p>"))
    # TRS createPageHTML: index.html, index_1.html, index_2.html
    trs = '<script>createPageHTML(3, {n}, "index", "html");</script>'
    s.html("/bm/czj/gzdt/", list_page("工作动态", [("a1.html", "第一条动态", "2026-11-20"), ("a2.html", "第二条动态", "2026-11-18")], trs.format(n=0)))
    s.routes["/bm/czj/gzdt/index.html"] = s.routes["/bm/czj/gzdt/"]
    s.html("/bm/czj/gzdt/index_1.html", list_page("工作动态", [("a3.html", "第三条动态", "2026-11-10"), ("gbk.html", "编码动态", "2026-11-09")], trs.format(n=1)))
    s.html("/bm/czj/gzdt/index_2.html", list_page("工作动态", [("a4.html", "第四条动态", "2026-10-01"), ("/loop1", "循环", "2026-09-01"), ("big.html", "大页面", "2026-09-02")], trs.format(n=2)))
    # ?page=N
    pager = lambda n: '<div class="page">' + "".join(f'<a href="/bm/czj/tzgg/list?page={i}">{i}</a>' for i in (1, 2) if i != n) + "</div>"
    s.html("/bm/czj/tzgg/list", list_page("通知公告", [("/bm/czj/tzgg/n1.html", "关于放假的通知", "2026-11-21")], pager(1)))
    s.html("/bm/czj/tzgg/list?page=1", list_page("通知公告", [("/bm/czj/tzgg/n1.html", "关于放假的通知", "2026-11-21")], pager(1)))
    s.html("/bm/czj/tzgg/list?page=2", list_page("通知公告", [("/bm/czj/tzgg/n2.html", "关于征求意见的公告", "2026-10-21")], pager(2)))
    # Hanweb col/colN with its own page links
    hanweb = lambda n: '<div class="page">' + "".join(f'<a href="/bm/czj/zcwj/col/col12/index.html?pageNum={i}">{i}</a>' for i in (2,) if i != n) + "</div>"
    s.html("/bm/czj/zcwj/col/col12/index.html", list_page("政策文件", [("/bm/czj/zcwj/art/p1.html", "政策一", "2026-08-01")], hanweb(1)))
    s.html("/bm/czj/zcwj/col/col12/index.html?pageNum=2", list_page("政策文件", [("/bm/czj/zcwj/art/p2.html", "政策二", "2026-07-01")], hanweb(2)))
    s.html("/bm/czj/rsxx/", page("人事信息", '<ul class="list"><li>暂无信息</li></ul>'))
    s.html("/bm/czj/zxly/", list_page("咨询留言", [("/bm/czj/zxly/q1.html", "咨询一个问题", "2026-11-01")]))
    s.html("/bm/czj/zxly/q1.html", page("咨询一个问题", "<p>提问时间：2026-11-01</p><p>回复：已回复</p>"))
    bad = (f'<a href="/missing.html">失效</a> <a href="/gone.html">软404</a> <a href="http://127.0.0.1:{closed}/x">关闭端口</a>'
           f' <a href="/slow">慢</a> <a href="/reset">重置</a> <a href="/waf">WAF</a> <a href="/err500">500</a>'
           f' <a href="/busy">繁忙</a> <img src="/logo.png"> <a href="/files/a.pdf">附件.pdf</a> <a href="/headless">HEAD不支持</a>')
    s.html("/bm/czj/gzdt/a1.html", article("第一条动态", "2026-11-20", bad))
    for name, title, day in (("a2", "第二条动态", "2026-11-18"), ("a3", "第三条动态", "2026-11-10"), ("a4", "第四条动态", "2026-10-01")):
        s.html(f"/bm/czj/gzdt/{name}.html", article(title, day))
    s.html("/bm/czj/gzdt/gbk.html", article("朱镕基同志视察财政工作", "2026-11-09").replace("utf-8", "gb2312"), charset="gb2312")
    s.html("/bm/czj/gzdt/big.html", article("大页面", "2026-09-02", "<p>" + "很长" * 200_000 + "</p>"))
    s.html("/bm/czj/tzgg/n1.html", article("关于放假的通知", "2026-11-21"))
    s.html("/bm/czj/tzgg/n2.html", article("关于征求意见的公告", "2026-10-21"))
    s.html("/bm/czj/zcwj/art/p1.html", article("政策一", "2026-08-01"))
    s.html("/bm/czj/zcwj/art/p2.html", article("政策二", "2026-07-01"))
    # link-check behaviours
    s.html("/gone.html", page("提示", "<p>对不起，您访问的页面不存在！</p>"))
    s.raw("/slow", lambda req: (time.sleep(2.5), (200, {"Content-Type": "text/plain"}, b"late"))[1])
    s.raw("/reset", lambda req: "RESET")
    s.raw("/waf", lambda req: (412, {"Content-Type": "text/html"}, b"<html><script>document.cookie='__jsl_clearance=1';location.reload()</script></html>"))
    s.raw("/err500", lambda req: (500, {"Content-Type": "text/html"}, b"<html><body>Internal Server Error</body></html>"))

    def busy(req):
        n = s.state["busy"] = s.state.get("busy", 0) + 1
        if n == 1:
            return (429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down")
        return (200, {"Content-Type": "text/plain"}, b"ok")
    s.raw("/busy", busy)
    s.raw("/logo.png", lambda req: (200, {"Content-Type": "image/png"}, b"\x89PNG...."))
    s.raw("/files/a.pdf", lambda req: (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"))
    s.raw("/headless", lambda req: (405, {"Content-Type": "text/plain"}, b"") if req.command == "HEAD" else (200, {"Content-Type": "text/plain"}, b"fine"))
    s.raw("/loop1", lambda req: (302, {"Location": "/loop2"}, b""))
    s.raw("/loop2", lambda req: (302, {"Location": "/loop1"}, b""))

    def cal(req):
        day = int(req.path.rsplit("-", 1)[-1])
        nxt = f"/bm/czj/cal?date=2026-11-{day + 1:02d}"
        return (200, {"Content-Type": "text/html; charset=utf-8"},
                page("日历", f'<a href="{nxt}">下一天</a> <a href="/bm/czj/cal?date=2026-12-{day:02d}">下月</a>').encode())
    s.raw("/bm/czj/cal", cal)
