"""End-to-end crawls of the fixture portal (tests/crawl/sitefixture.py)."""

from __future__ import annotations

from collections import Counter

from govwatch.crawl import crawl_site, read_warc_record
from tests.crawl.conftest import AS_OF, rulebook_with_rota
from tests.crawl.sitefixture import Server, Site, build_portal, closed_port, page, site_config


def _columns(result):
    return {c.url.split("/", 3)[3]: c for c in result.columns}


def _links(result):
    return {l.target.split("/", 3)[3] if l.target.count("/") >= 3 else l.target: l for l in result.links}


def _pages(result):
    return {p.url.split("/", 3)[3]: p for p in result.pages}


def test_discovery_finds_list_columns_and_blank_column_not_articles(crawled):
    result = crawled[0]
    cols = _columns(result)
    assert sorted(cols) == ["bm/czj/gzdt/", "bm/czj/rsxx/", "bm/czj/tzgg/list",
                            "bm/czj/zcwj/col/col12/index.html", "bm/czj/zxly/"]
    assert cols["bm/czj/rsxx/"].placeholder == "暂无信息"
    assert cols["bm/czj/rsxx/"].items == ()
    assert {c.name for c in result.columns} == {"工作动态", "通知公告", "政策文件", "人事信息", "咨询留言"}
    assert cols["bm/czj/gzdt/"].category == "news"
    assert all(c.unit == "0107" for c in result.columns)


def test_pagination_every_flavour_followed(crawled):
    cols = _columns(crawled[0])
    assert [i.title for i in cols["bm/czj/gzdt/"].items] == [
        "第一条动态", "第二条动态", "第三条动态", "编码动态", "第四条动态", "循环", "大页面"]  # TRS createPageHTML
    assert [i.title for i in cols["bm/czj/tzgg/list"].items] == ["关于放假的通知", "关于征求意见的公告"]  # ?page=N
    assert [i.title for i in cols["bm/czj/zcwj/col/col12/index.html"].items] == ["政策一", "政策二"]  # Hanweb
    assert all(c.status == "ok" for c in crawled[0].columns)


def test_pages_kind_follows_column_category(crawled):
    pages = _pages(crawled[0])
    assert pages["bm/czj/zxly/q1.html"].kind == "question"
    assert pages["bm/czj/gzdt/a2.html"].kind == "article"
    assert pages["bm/czj/gzdt/a2.html"].status == "ok"
    assert pages["bm/czj/gzdt/a2.html"].first_seen == AS_OF
    assert pages["bm/czj/gzdt/a2.html"].column_url.endswith("/bm/czj/gzdt/")


def test_gb2312_labelled_gbk_page_decoded(crawled):
    page_ = _pages(crawled[0])["bm/czj/gzdt/gbk.html"]
    assert "朱镕基同志视察财政工作" in page_.facts.title


def test_redirect_loop_and_oversized_page_unverified(crawled):
    pages = _pages(crawled[0])
    assert (pages["loop1"].status, pages["loop1"].reason) == ("unverified", "重定向循环")
    assert (pages["bm/czj/gzdt/big.html"].status, pages["bm/czj/gzdt/big.html"].reason) == ("unverified", "页面过大")


def test_link_outcomes_broken_for_site_faults(crawled):
    links = _links(crawled[0])
    assert (links["missing.html"].outcome, links["missing.html"].reason) == ("broken", "HTTP 404")
    assert (links["gone.html"].outcome, links["gone.html"].reason) == ("broken", "软404")
    refused = [l for l in crawled[0].links if l.target.endswith("/x")][0]
    assert (refused.outcome, refused.reason) == ("broken", "连接被拒绝")


def test_link_outcomes_unverified_for_our_side_failures(crawled):
    links = _links(crawled[0])
    assert (links["slow"].outcome, links["slow"].reason) == ("unverified", "连接超时")
    assert (links["reset"].outcome, links["reset"].reason) == ("unverified", "连接被重置")
    assert (links["waf"].outcome, links["waf"].reason) == ("unverified", "WAF 拦截")
    assert (links["err500"].outcome, links["err500"].reason) == ("unverified", "HTTP 500")


def test_link_head_405_falls_back_to_get(crawled):
    site = crawled[2]
    assert _links(crawled[0])["headless"].outcome == "ok"
    assert [m for m, p in site.methods if p == "/headless"] == ["HEAD", "GET"]


def test_link_kinds_and_carriers(crawled):
    links = _links(crawled[0])
    assert links["logo.png"].kind == "img"
    assert links["files/a.pdf"].kind == "attachment"
    assert links["files/a.pdf"].outcome == "ok"
    assert [c.split("/", 3)[3] for c in links["missing.html"].carriers] == ["bm/czj/gzdt/a1.html"]


def test_retry_after_429_honoured_with_one_retry(crawled):
    site = crawled[2]
    assert _links(crawled[0])["busy"].outcome == "ok"
    assert site.hits["/busy"] == 2


def test_warc_pointers_readable(crawled):
    result, run_dir = crawled[0], crawled[3]
    column = _columns(result)["bm/czj/gzdt/"]
    headers, body = read_warc_record(run_dir, column.warc)
    assert headers["WARC-Type"] == "response"
    assert headers["http_status"] == 200
    assert "工作动态" in body.decode("utf-8")
    missing = _links(result)["missing.html"]
    headers, _ = read_warc_record(run_dir, missing.warc)
    assert headers["http_status"] == 404
    slow = _links(result)["slow"]
    headers, body = read_warc_record(run_dir, slow.warc)
    assert headers["WARC-Type"] == "metadata"
    assert "连接超时" in body.decode("utf-8")
    assert result.warc_files and all(f.startswith("warc/") for f in result.warc_files)


def test_progress_reported_and_requests_counted(crawled):
    result, events = crawled[0], crawled[4]
    # Twisted's connection pool silently repeats a request whose reused connection was reset.
    hits = Counter(crawled[2].hits)
    others = sum(hits.values()) - hits["/reset"]
    assert others < result.requests <= sum(hits.values())
    assert {e["phase"] for e in events if e.get("t") == "progress"} >= {"links"}
    assert result.crawled_pages > 10
    assert result.page_states and result.link_states


def test_private_address_refused_when_not_allowed(tmp_path, rulebook):
    site = Site()
    server = Server(site)
    build_portal(site, server.base, closed_port())
    try:
        result = crawl_site(site_config(server.base, allow_private_addresses=False), rulebook, tmp_path,
                            as_of=AS_OF, progress=False)
    finally:
        server.close()
    assert sum(site.hits.values()) == 0
    assert result.requests == 0
    assert result.unverified == [(server.base + "/bm/czj/", "私有地址，未检查")]


def test_trap_guard_bounds_calendar(tmp_path, rulebook):
    site = Site()
    server = Server(site)
    site.html("/bm/czj/", page("区财政局", '<a href="/bm/czj/cal?date=2026-11-01">日历</a>'))

    def cal(req):
        day = int(req.path.rsplit("-", 1)[-1])
        body = page("日历", f'<a href="/bm/czj/cal?date=2026-11-{day + 1:02d}">下一天</a>')
        return (200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())
    site.raw("/bm/czj/cal", cal)
    cfg = site_config(server.base)
    cfg = type(cfg)(**{**cfg.__dict__, "extra": {**cfg.extra, "nav_depth": 50, "query_variants": 5}})
    try:
        result = crawl_site(cfg, rulebook, tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
    calendar_hits = sum(n for p, n in site.hits.items() if p.startswith("/bm/czj/cal"))
    assert calendar_hits <= 8
    assert any("爬虫陷阱" in w for w in result.warnings)
    assert (server.base + "/bm/czj/cal?date=2026-11-01", "疑似爬虫陷阱，已停止跟踪") in result.unverified
    assert result.columns == []


def test_incremental_rerun_of_unchanged_site_reuses_facts(tmp_path, rulebook, portal):
    from govwatch.facts import PreviousState
    import datetime as dt

    site, server = portal
    cfg = site_config(server.base)
    rulebook = rulebook_with_rota(tmp_path, 0, 0)  # no link re-check rota: every OK target is reused
    first = crawl_site(cfg, rulebook, tmp_path / "one", as_of=AS_OF, progress=False)
    previous = PreviousState(as_of=AS_OF, pages={s.url: s for s in first.page_states},
                             links={s.target: s for s in first.link_states})
    before = Counter(site.hits)
    second = crawl_site(cfg, rulebook, tmp_path / "two", as_of=AS_OF + dt.timedelta(days=7), previous=previous,
                        progress=False)
    made = Counter(site.hits) - before
    assert made["/reset"] <= second.requests <= sum(made.values())
    assert second.requests < first.requests * 0.7
    fetched_again = {p for p in made if p.endswith(".html") and "probe" not in p and "index" not in p}
    # navigation is re-read every run; of the detail pages and targets only earlier failures are asked again
    assert fetched_again <= {"/bm/czj/jgjj.html", "/bm/czj/gzdt/big.html", "/gone.html", "/missing.html"}
    assert made["/logo.png"] == made["/files/a.pdf"] == made["/headless"] == 0  # OK targets reused
    pages = _pages(second)
    assert pages["bm/czj/gzdt/a2.html"].facts == _pages(first)["bm/czj/gzdt/a2.html"].facts
    assert pages["bm/czj/gzdt/a2.html"].first_seen == AS_OF
    assert pages["bm/czj/gzdt/a2.html"].text_changed is False
    assert pages["loop1"].status == "unverified"  # previously unverified: tried again
    assert [c.url for c in second.columns] == [c.url for c in first.columns]
    outcomes = lambda r: {l.target: l.outcome for l in r.links if not l.target.endswith("/err500")}
    assert outcomes(second) == outcomes(first)


def test_incremental_changed_row_refetched_with_conditional_request(tmp_path, rulebook, portal):
    from govwatch.facts import PreviousState
    import dataclasses
    import datetime as dt

    site, server = portal
    cfg = site_config(server.base)
    first = crawl_site(cfg, rulebook, tmp_path / "one", as_of=AS_OF, progress=False)
    url = server.base + "/bm/czj/gzdt/a2.html"
    states = {s.url: s for s in first.page_states}
    states[url] = dataclasses.replace(states[url], list_row="旧的列表行", etag='"v1"')
    seen = []
    site.raw("/bm/czj/gzdt/a2.html", lambda req: (seen.append(req.headers.get("If-None-Match")),
                                                   (304, {}, b""))[1])
    previous = PreviousState(as_of=AS_OF, pages=states, links={s.target: s for s in first.link_states})
    second = crawl_site(cfg, rulebook, tmp_path / "two", as_of=AS_OF + dt.timedelta(days=7), previous=previous,
                        progress=False)
    assert seen == ['"v1"']
    page_ = _pages(second)["bm/czj/gzdt/a2.html"]
    assert page_.status == "ok" and page_.facts == _pages(first)["bm/czj/gzdt/a2.html"].facts


def test_persistent_5xx_becomes_broken(tmp_path, rulebook, portal):
    from govwatch.facts import PreviousLink, PreviousState

    site, server = portal
    target = server.base + "/err500"
    previous = PreviousState(as_of=AS_OF, links={target: PreviousLink(target, "unverified", "HTTP 500", 500, AS_OF)})
    result = crawl_site(site_config(server.base), rulebook, tmp_path, as_of=AS_OF, previous=previous, progress=False)
    link = [l for l in result.links if l.target == target][0]
    assert link.outcome == "broken"


def test_max_pages_bounds_fetches_with_warning(tmp_path, rulebook, portal):
    site, server = portal
    cfg = site_config(server.base, max_pages=6)
    result = crawl_site(cfg, rulebook, tmp_path, as_of=AS_OF, progress=False)
    assert result.stats["html_fetches"] <= 6
    assert any("最大抓取页数" in w for w in result.warnings)


def test_section_root_that_is_a_single_list_becomes_column(tmp_path, rulebook):
    from tests.crawl.sitefixture import list_page

    site = Site()
    server = Server(site)
    site.html("/bm/czj/", list_page("工作动态", [("/bm/czj/a1.html", "第一条", "2026-11-20")]))
    site.html("/bm/czj/a1.html", page("第一条", "<p>发布日期：2026-11-20</p>"))
    try:
        result = crawl_site(site_config(server.base), rulebook, tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
    assert [(c.url, len(c.items)) for c in result.columns] == [(server.base + "/bm/czj/", 1)]
    assert [p.url for p in result.pages] == [server.base + "/bm/czj/a1.html"]
