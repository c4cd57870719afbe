"""SSRF: link targets and redirects come from pages we do not control.

Nothing here ever sends a packet off loopback. Non-loopback private targets (10.x,
169.254.169.254) are only ever handed to the guard's API, which must refuse them before
any connection; the crawl-level test uses loopback addresses that are *not* the site's own
host (127.0.0.2, localhost, [::1]) as stand-ins for "another private address", behind
trap servers that count every hit. Already covered elsewhere: netguard's address classes
(tests/crawl/test_verdicts.py) and a site on a private address with allow_private off
(tests/crawl/test_crawl_site.py::test_private_address_refused_when_not_allowed).
"""

from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings

from govwatch.crawl import crawl_site, netguard
from govwatch.crawl.middlewares import GuardMiddleware, RedirectMiddleware
from govwatch.crawl.verdicts import CrawlRefusal
from govwatch.rulebook import load_rulebook
from tests.crawl.sitefixture import Server, Site, article, list_page, page, site_config
from tests.resilience.faultsite import AS_OF

SITE_HOME = "http://192.168.10.5/"  # an intranet portal: the one private host allowed below
PRIVATE_TARGETS = [
    "http://127.0.0.1:8080/", "http://[::1]/", "http://10.1.2.3/admin", "http://169.254.169.254/latest/meta-data/",
    "http://localhost:8000/", "http://a.localhost/", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/",
    "http://[fe80::1]/", "http://172.16.0.9/", "http://192.168.10.6/",
]


def guard(allow_private: bool, home: str = SITE_HOME) -> GuardMiddleware:
    site = SimpleNamespace(allowed_hosts=(home.split("/")[2],), home=home, units=(), columns=())
    crawler = SimpleNamespace(settings=Settings({"GOVWATCH_ALLOW_PRIVATE": allow_private}),
                              spider=SimpleNamespace(site=site))
    return GuardMiddleware(crawler)


def refusal(mw: GuardMiddleware, url: str) -> str | None:
    try:
        asyncio.run(mw.process_request(Request(url)))
    except CrawlRefusal as exc:
        return exc.govwatch_reason
    return None


@pytest.fixture
def no_dns(monkeypatch):
    """Answer lookups from a table; a name not in it fails the test instead of reaching a resolver."""
    table = {"intranet.example.com": ["10.0.0.5"], "rebind.example.com": ["93.184.216.34", "127.0.0.1"],
             "metadata.example.com": ["169.254.169.254"], "www.gov.cn": ["93.184.216.34"]}
    asked = []

    def resolve(host):
        asked.append(host)
        if host not in table:
            raise AssertionError(f"unexpected DNS lookup: {host}")
        return table[host]

    monkeypatch.setattr(netguard, "resolve", resolve)
    return asked


@pytest.mark.parametrize("allow_private", [False, True])
@pytest.mark.parametrize("url", PRIVATE_TARGETS)
def test_guard_refuses_private_target_before_connecting(url, allow_private, no_dns):
    # With allow_private the portal's own private host is reachable, no other private address.
    assert refusal(guard(allow_private), url) == netguard.PRIVATE_REASON


@pytest.mark.parametrize("name", ["intranet.example.com", "rebind.example.com", "metadata.example.com"])
def test_guard_refuses_name_resolving_to_private_address(name, no_dns):
    assert refusal(guard(True), f"http://{name}/x") == netguard.PRIVATE_REASON
    assert no_dns == [name]


def test_guard_numeric_host_spellings_resolve_to_loopback_and_are_refused():
    # 2130706433 and 0x7f.1 are inet_aton spellings of 127.0.0.1; getaddrinfo decodes them locally.
    for url in ("http://2130706433/", "http://0x7f.1/", "http://127.1/"):
        assert refusal(guard(False), url) == netguard.PRIVATE_REASON, url


def test_guard_lets_site_own_private_host_and_public_hosts_through(no_dns):
    assert refusal(guard(True), SITE_HOME + "bm/czj/") is None
    assert refusal(guard(True), "http://www.gov.cn/") is None
    assert refusal(guard(False), SITE_HOME) == netguard.PRIVATE_REASON


def test_guard_dns_failure_answered_without_a_query(no_dns):
    assert refusal(guard(True), "http://gone.invalid/") == "DNS 解析失败"
    assert no_dns == []


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/",
                                    "http://localhost/"])
def test_redirect_hop_to_private_address_passes_the_guard_again(target, no_dns):
    start = Request(SITE_HOME + "go")
    hop = RedirectMiddleware(None).process_response(start, Response(start.url, status=302,
                                                                    headers={"Location": target}))
    assert isinstance(hop, Request) and hop.url == target
    assert refusal(guard(True), hop.url) == netguard.PRIVATE_REASON


def _loopback2_available() -> bool:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.2", 0))
        return True
    except OSError:
        return False


def test_crawl_never_fetches_other_private_hosts_directly_or_by_redirect(tmp_path):
    """The site is allowed on 127.0.0.1; a page links, directly and through redirects, to trap
    servers on 127.0.0.2 and 'localhost' (different hosts, same loopback class). No trap hit."""
    if not _loopback2_available():
        pytest.skip("127.0.0.2 cannot be bound here")
    trap_site, trap_local = Site(), Site()
    trap_site.html("/secret", page("内部", "机密"))
    trap_local.html("/secret", page("内部", "机密"))
    portal = Site()
    server = Server(portal)
    import tests.crawl.sitefixture as fx
    from http.server import ThreadingHTTPServer
    import threading

    trap2 = ThreadingHTTPServer(("127.0.0.2", 0), fx.make_handler(trap_site))
    trap2.daemon_threads = True
    threading.Thread(target=trap2.serve_forever, daemon=True).start()
    trap_lo = Server(trap_local)
    other = f"http://127.0.0.2:{trap2.server_address[1]}/secret"
    local = f"http://localhost:{trap_lo.port}/secret"
    try:
        portal.raw("/robots.txt", lambda req: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"))
        portal.html("/bm/czj/", page("区财政局", '<ul class="menu"><li><a href="/bm/czj/gzdt/">工作动态</a></li></ul>'))
        portal.html("/bm/czj/gzdt/", list_page("工作动态", [("/bm/czj/gzdt/a1.html", "动态", "2026-11-20")]))
        links = (f'<a href="{other}">直接</a> <a href="{local}">本机名</a> <a href="http://[::1]:{trap_lo.port}/secret">v6</a>'
                 ' <a href="/go-other">跳转一</a> <a href="/go-local">跳转二</a> <a href="/go-meta">跳转三</a>')
        portal.html("/bm/czj/gzdt/a1.html", article("动态", "2026-11-20", links))
        portal.raw("/go-other", lambda req: (302, {"Location": other}, b""))
        portal.raw("/go-local", lambda req: (302, {"Location": local}, b""))
        portal.raw("/go-meta", lambda req: (302, {"Location": "/go-other"}, b""))  # two hops
        result = crawl_site(site_config(server.base), load_rulebook(), tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
        trap_lo.close()
        trap2.shutdown()
        trap2.server_close()
    assert sum(trap_site.hits.values()) == 0
    assert sum(trap_local.hits.values()) == 0
    outcomes = {s.target.replace(server.base, ""): (s.outcome, s.reason) for s in result.link_states}
    refused = ("unverified", netguard.PRIVATE_REASON)
    for target in (other, local, f"http://[::1]:{trap_lo.port}/secret", "/go-other", "/go-local", "/go-meta"):
        assert outcomes.get(target) == refused, (target, outcomes.get(target))
    assert portal.hits["/go-other"] >= 1  # the redirect itself was followed up to the private hop
