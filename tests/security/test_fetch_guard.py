"""One fetch guard (netguard.FetchGuard) for re-check, the crawler and probes (issue #16, items 2
and 9): with `allow_private_addresses` only the site's own origin, host AND port, is exempt from
the private-address rule. Another port on the site's host, or another private address (the
issue's http://127.0.0.2:8299/x), is refused by every consumer before any connection.

Each case runs through the three consumers: `recheck` (web.recheck.safe_fetch with the guard
built from the site's stored TOML, as services.recheck_finding does), `crawler`
(crawl.middlewares.GuardMiddleware) and `probe` (FetchGuard.refusal, the API a probe uses).
Trap servers on 127.0.0.1 count every hit."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.settings import Settings

from govwatch.crawl import crawl_site, netguard
from govwatch.crawl.middlewares import GuardMiddleware
from govwatch.crawl.verdicts import CrawlRefusal
from govwatch.rulebook import load_rulebook
from govwatch.siteconfig import parse_site
from govwatch.web import recheck
from tests.crawl.sitefixture import Server, Site, article, list_page, page, site_config
from tests.resilience.faultsite import AS_OF

CONSUMERS = ["recheck", "crawler", "probe"]


@pytest.fixture(scope="module")
def servers():
    portal, trap = Site(), Site()
    portal.html("/x", page("本站", "正常页面"))
    trap.html("/x", page("内部", "机密"))
    own, other = Server(portal), Server(trap)
    yield SimpleNamespace(portal=portal, trap=trap, own=own, other=other)
    own.close()
    other.close()


def site_toml(home: str, allow_private: bool = True, allowed_hosts: tuple[str, ...] = ()) -> str:
    lines = ["[site]", 'name = "测试门户"', f'home = "{home}"', f"allow_private_addresses = {str(allow_private).lower()}"]
    if allowed_hosts:
        lines.append("allowed_hosts = [" + ", ".join(f'"{h}"' for h in allowed_hosts) + "]")
    return "\n".join(lines) + "\n"


def refused(consumer: str, toml_text: str, url: str) -> bool:
    """Whether `consumer` refuses `url` for the site configured by `toml_text`."""
    stored = SimpleNamespace(config_text=toml_text, config_path="")
    if consumer == "recheck":
        result = recheck.safe_fetch(url, guard=recheck.site_guard(stored))
        return result.blocked
    import tomllib

    config = parse_site(tomllib.loads(toml_text), toml_text, "site.toml")
    if consumer == "crawler":
        crawler = SimpleNamespace(settings=Settings({"GOVWATCH_ALLOW_PRIVATE": config.allow_private_addresses}),
                                  spider=SimpleNamespace(site=config))
        try:
            asyncio.run(GuardMiddleware(crawler).process_request(Request(url)))
        except CrawlRefusal as exc:
            assert exc.govwatch_reason == netguard.PRIVATE_REASON
            return True
        return False
    return netguard.FetchGuard.for_site(config).refusal(url) is not None


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_allows_site_own_origin(consumer, servers):
    home = servers.own.base + "/"
    assert not refused(consumer, site_toml(home), servers.own.base + "/x")


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_refuses_other_port_on_site_host(consumer, servers):
    before = sum(servers.trap.hits.values())
    assert refused(consumer, site_toml(servers.own.base + "/"), servers.other.base + "/x")
    assert sum(servers.trap.hits.values()) == before


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_refuses_other_private_address(consumer, servers):
    # The reproduction: a manual finding pointing at another loopback address and port.
    assert refused(consumer, site_toml(servers.own.base + "/"), "http://127.0.0.2:8299/x")
    assert refused(consumer, site_toml(servers.own.base + "/"), "http://10.1.2.3/admin")


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_refuses_own_origin_when_private_not_allowed(consumer, servers):
    before = sum(servers.portal.hits.values())
    assert refused(consumer, site_toml(servers.own.base + "/", allow_private=False), servers.own.base + "/x")
    assert sum(servers.portal.hits.values()) == before


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_allowed_host_without_port_keeps_home_port(consumer, servers):
    # allowed_hosts names the host; the home page already says which port is ours.
    toml_text = site_toml(servers.own.base + "/", allowed_hosts=("127.0.0.1",))
    assert refused(consumer, toml_text, servers.other.base + "/x")
    assert refused(consumer, toml_text, "http://127.0.0.1/x")
    assert not refused(consumer, toml_text, servers.own.base + "/x")


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_fetch_guard_allowed_host_with_port_exempts_that_port_only(consumer, servers):
    toml_text = site_toml("http://192.168.10.5/", allowed_hosts=("192.168.10.5", f"127.0.0.1:{servers.own.port}"))
    assert not refused(consumer, toml_text, servers.own.base + "/x")
    assert refused(consumer, toml_text, servers.other.base + "/x")


def test_fetch_guard_origin_makes_default_port_explicit():
    assert netguard.origin("http://Example.gov.cn/a") == ("example.gov.cn", 80)
    assert netguard.origin("https://example.gov.cn/a") == ("example.gov.cn", 443)
    assert netguard.origin("http://[::1]:8080/") == ("::1", 8080)
    assert netguard.origin("http://h:99999/") is None
    assert netguard.origin("ftp://h/") is None


def test_recheck_unreadable_site_config_exempts_nothing(servers):
    stored = SimpleNamespace(config_text="[site\nbroken", config_path="")
    assert recheck.safe_fetch(servers.own.base + "/x", guard=recheck.site_guard(stored)).blocked


def test_crawl_never_requests_other_port_on_site_host(tmp_path, servers):
    """Item 9: a link, and a redirect, to another port on the site's own host are not requested."""
    trap_hits = sum(servers.trap.hits.values())
    portal = Site()
    server = Server(portal)
    other = servers.other.base + "/x"
    try:
        portal.raw("/robots.txt", lambda req: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"))
        portal.html("/bm/czj/", page("区财政局", '<ul class="menu"><li><a href="/bm/czj/gzdt/">工作动态</a></li></ul>'))
        portal.html("/bm/czj/gzdt/", list_page("工作动态", [("/bm/czj/gzdt/a1.html", "动态", "2026-11-20")]))
        portal.html("/bm/czj/gzdt/a1.html", article("动态", "2026-11-20",
                                                    f'<a href="{other}">另一端口</a> <a href="/go-port">跳转</a>'))
        portal.raw("/go-port", lambda req: (302, {"Location": other}, b""))
        result = crawl_site(site_config(server.base), load_rulebook(), tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
    assert sum(servers.trap.hits.values()) == trap_hits
    outcomes = {s.target.replace(server.base, ""): (s.outcome, s.reason) for s in result.link_states}
    assert outcomes.get(other) == ("unverified", netguard.PRIVATE_REASON)
    assert outcomes.get("/go-port") == ("unverified", netguard.PRIVATE_REASON)
    assert portal.hits["/go-port"] >= 1
