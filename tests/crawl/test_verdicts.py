"""Pure pieces of the crawler: address guard, WAF and soft-404 reading, discovery helpers."""

from __future__ import annotations

from govwatch.crawl import discovery as D
from govwatch.crawl import netguard
from govwatch.crawl import verdicts as V
from govwatch.crawl.middlewares import retry_after_seconds
from govwatch.facts import ListItem, ListPage


def test_netguard_private_addresses_refused():
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "::1", "localhost",
                 "0.0.0.0", "[fe80::1]"):
        assert netguard.host_is_private(host), host


def test_netguard_public_address_and_resolved_private_name():
    assert not netguard.host_is_private("8.8.8.8")
    assert netguard.host_is_private("intranet.example", ["10.0.0.5"])
    assert not netguard.host_is_private("www.gov.cn", ["1.2.3.4"])


def test_waf_challenge_needs_status_and_script():
    challenge = "<html><script>document.cookie='__jsl_clearance=1';location.reload()</script></html>"
    assert V.is_waf_challenge(521, challenge)
    assert V.is_waf_challenge(403, "<html><body>安全验证：请完成验证后继续访问</body></html>")
    assert not V.is_waf_challenge(200, challenge)
    assert not V.is_waf_challenge(404, challenge)


def test_soft404_by_title_or_short_body_not_long_article():
    assert V.soft404_by_content("<title>404 - 页面不存在</title><body>x</body>")
    assert V.soft404_by_content("<title>提示</title><body>对不起，您访问的页面不存在</body>")
    assert not V.soft404_by_content("<title>G404国道君山段改扩建工程顺利推进</title><body>正文</body>")
    long_article = "<title>关于网站改版的说明</title><body>" + "正文" * 2000 + "旧网址将返回页面不存在提示</body>"
    assert not V.soft404_by_content(long_article)


def test_soft404_probe_fingerprint_comparison():
    probe = V.fingerprint("<title>首页</title><body>" + "欢迎" * 100 + "</body>")
    assert V.same_as_probe_fp(V.fingerprint("<title>首页</title><body>" + "欢迎" * 101 + "</body>"), probe)
    assert not V.same_as_probe_fp(V.fingerprint("<title>通知</title><body>" + "欢迎" * 100 + "</body>"), probe)


def test_retry_after_seconds_and_http_date_capped():
    assert retry_after_seconds(b"3", 60) == 3
    assert retry_after_seconds(b"600", 60) == 60
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT", 60) == 0
    assert retry_after_seconds(b"soon", 60) is None


def test_is_list_page_dated_items_pagination_or_placeholder():
    item = ListItem("标题", "http://x/a.html", None)
    assert not D.is_list_page(ListPage("http://x/", None, (item,), ()))
    assert D.is_list_page(ListPage("http://x/", None, (), ("http://x/index_1.html",)))
    assert D.is_list_page(ListPage("http://x/", None, (), (), placeholder="暂无信息"))


def test_column_name_prefers_meaningful_anchor():
    listing = ListPage("http://x/", "财政局-工作动态", (), ())
    assert D.column_name("工作动态", listing) == "工作动态"
    assert D.column_name("更多>>", listing) == "财政局-工作动态"
    assert D.column_name("", listing) == "财政局-工作动态"


def test_trap_guard_stops_self_linking_query_chain():
    guard = D.TrapGuard(limit=100, chain=3)
    page = "http://x/hdrl/?date=2026-01"
    assert guard.allow(page, "http://x/")
    allowed = [guard.allow(f"http://x/hdrl/?date=2026-{m:02d}", page) for m in range(2, 7)]
    assert allowed == [True, True, True, False, False]
    assert guard.first["http://x/hdrl/"] == page
    assert guard.allow("http://x/list?page=7", "http://x/list?page=6")  # pagination is not a trap


def test_trap_guard_stops_after_query_variants():
    guard = D.TrapGuard(limit=3)
    allowed = [guard.allow(f"http://x/cal?date=2026-11-{d:02d}") for d in range(1, 8)]
    assert allowed == [True, True, True, False, False, False, False]
    assert guard.allow("http://x/other.html")


def test_list_groups_join_pagination():
    groups = D.ListGroups()
    groups.union("a", "a2")
    groups.union("a2", "a3")
    groups.add("b")
    assert sorted(map(sorted, groups.groups().values())) == [["a", "a2", "a3"], ["b"]]
