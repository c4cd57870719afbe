"""Incremental list walks (crawl/httpcache.py): the per-site list cache, conditional requests
for list and navigation pages, reuse of deeper pagination pages when a column's first page is
unchanged, the periodic full walk, and a broken cache falling back to a full crawl."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections import Counter

import pytest

from govwatch.crawl import CrawlError, crawl_site, read_warc_record
from govwatch.crawl import httpcache as H
from govwatch.facts import PreviousState
from tests.crawl.conftest import AS_OF
from tests.crawl.sitefixture import Server, Site, article, build_portal, closed_port, list_page, site_config

# Pagination pages below the column heads of the fixture portal.
DEEPER = ("/bm/czj/gzdt/index_1.html", "/bm/czj/gzdt/index_2.html", "/bm/czj/tzgg/list?page=2",
          "/bm/czj/zcwj/col/col12/index.html?pageNum=2")
TRS = '<script>createPageHTML(3, {n}, "index", "html");</script>'
WEEK = dt.timedelta(days=7)


def conditional(site: Site) -> None:
    """Every route answers with an ETag (a hash of the body) and 304 to a matching If-None-Match."""
    for path, fn in list(site.routes.items()):
        def wrapped(req, fn=fn):
            result = fn(req)
            if not isinstance(result, tuple) or result[0] != 200:
                return result
            status, headers, body = result
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if req.headers.get("If-None-Match") == etag:
                return (304, {"ETag": etag}, b"")
            return (200, {**headers, "ETag": etag}, body)
        site.routes[path] = wrapped


@pytest.fixture()
def etag_portal():
    site = Site()
    server = Server(site)
    build_portal(site, server.base, closed_port())
    site.routes.pop("/slow")  # timeouts are covered elsewhere
    conditional(site)
    yield site, server
    server.close()


def previous_of(result, as_of=AS_OF) -> PreviousState:
    return PreviousState(as_of=as_of, pages={s.url: s for s in result.page_states},
                         links={s.target: s for s in result.link_states})


def columns(result, base):
    return [(c.url.replace(base, ""), c.status, [i.url.replace(base, "") for i in c.items]) for c in result.columns]


def crawl(cfg, rulebook, runs, n, as_of, previous=None, **kw):
    if "list_full_walk_days" not in cfg.extra:  # no turn on the weekly rota unless a test asks for one
        cfg = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": 3650})
    return crawl_site(cfg, rulebook, runs / f"run-{n}", as_of=as_of, previous=previous, progress=False, **kw)


def made_since(site: Site, before: Counter) -> Counter:
    return Counter(site.hits) - before


def test_list_304_reuses_cached_items_without_asking_deeper_pages(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    assert all(site.hits[p] == 1 for p in DEEPER)
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert columns(second, server.base) == columns(first, server.base)
    assert not any(made[p] for p in DEEPER)  # deeper pages came from the list cache
    assert made["/bm/czj/"] == made["/bm/czj/gzdt/"] == made["/bm/czj/tzgg/list"] == 1  # heads: asked, 304
    cache = second.stats["list_cache"]
    assert cache["not_modified"] >= 4 and cache["reused"] >= len(DEEPER) and cache["walk_full"] == 0
    assert second.requests < first.requests
    assert second.stats["requests_by_kind"].get("list_pagination", 0) == 0


def test_request_breakdown_adds_up_to_the_requests(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    for result in (first, second):
        kinds = result.stats["requests_by_kind"]
        assert sum(kinds.values()) == result.requests
        assert kinds["robots"] == 1 and kinds["section_root"] == 1 and kinds["list_head"] >= 4
    assert first.stats["requests_by_kind"]["list_pagination"] >= len(DEEPER)
    assert first.stats["requests_by_kind"]["detail_new"] >= 8


def test_list_304_is_archived_with_the_cached_body(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    column = [c for c in second.columns if c.url.endswith("/bm/czj/gzdt/")][0]
    headers, body = read_warc_record(tmp_path / "run-2", column.warc)
    assert headers["http_status"] == 200 and "第一条动态".encode() in body
    assert ("X-Govwatch-Revalidated", "304 Not Modified") in headers["http_headers"]


def test_list_unchanged_without_validators_still_reuses_deeper_pages(tmp_path, rulebook, portal):
    """A server without ETag/Last-Modified: same items on the first page is enough."""
    site, server = portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert not any(made[p] for p in DEEPER)
    assert columns(second, server.base) == columns(first, server.base)


# The fixture's 工作动态 column, newest first: two items on the first page, two on index_1, the rest on index_2.
GZDT = [("a1.html", "第一条动态", "2026-11-20"), ("a2.html", "第二条动态", "2026-11-18"),
        ("a3.html", "第三条动态", "2026-11-10"), ("gbk.html", "编码动态", "2026-11-09"),
        ("a4.html", "第四条动态", "2026-10-01"), ("/loop1", "循环", "2026-09-01"), ("big.html", "大页面", "2026-09-02")]


def _publish(site, rows):
    """Publish the 工作动态 column as a CMS would: the whole list paginated again."""
    for path, part, n in (("/bm/czj/gzdt/", rows[:2], 0), ("/bm/czj/gzdt/index_1.html", rows[2:4], 1),
                          ("/bm/czj/gzdt/index_2.html", rows[4:], 2)):
        site.html(path, list_page("工作动态", part, TRS.format(n=n)))
    site.routes["/bm/czj/gzdt/index.html"] = site.routes["/bm/czj/gzdt/"]
    for href, title, day in rows:
        if href.startswith("a0"):
            site.html(f"/bm/czj/gzdt/{href}", article(title, day))
    conditional(site)


def _gzdt(result, base) -> list[str]:
    return dict((u, i) for u, _, i in columns(result, base))["/bm/czj/gzdt/"]


def test_list_changed_first_page_triggers_full_walk(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    _publish(site, [("a1.html", "第一条动态（更正）", "2026-11-20")] + GZDT[1:])
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert made["/bm/czj/gzdt/index_1.html"] == made["/bm/czj/gzdt/index_2.html"] == 1  # the changed column
    assert made["/bm/czj/tzgg/list?page=2"] == 0  # an unchanged column still reuses
    assert columns(second, server.base) == columns(first, server.base)
    assert second.stats["list_cache"]["walk_full"] == 1


def test_list_grown_first_page_reuses_deeper_pages_and_keeps_pushed_off_items(tmp_path, rulebook, etag_portal):
    """New items on top of a newest-first list push every item down a place: the deeper pages all
    change, but what is on them is known. Two weeks of growth without asking them; the periodic
    full walk then finds the same items."""
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    a0, a00 = ("a0.html", "新的动态", "2026-12-01"), ("a00.html", "又一条动态", "2026-12-08")
    _publish(site, [a0] + GZDT)
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    assert not any(made_since(site, before)[p] for p in DEEPER)
    items = _gzdt(second, server.base)
    assert items[0] == "/bm/czj/gzdt/a0.html" and set(items) == set(_gzdt(first, server.base)) | {items[0]}
    assert second.stats["list_cache"]["walk_shift"] == 1
    assert [p.status for p in second.pages if p.url.endswith("/a0.html")] == ["ok"]

    _publish(site, [a00, a0] + GZDT)
    before = Counter(site.hits)
    third = crawl(cfg, rulebook, tmp_path, 3, AS_OF + 2 * WEEK, previous_of(second, AS_OF + WEEK))
    assert not any(made_since(site, before)[p] for p in DEEPER)
    assert set(_gzdt(third, server.base)) == set(items) | {"/bm/czj/gzdt/a00.html"}

    weekly = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": 7})
    before = Counter(site.hits)
    fourth = crawl(weekly, rulebook, tmp_path, 4, AS_OF + 3 * WEEK, previous_of(third, AS_OF + 2 * WEEK))
    assert made_since(site, before)["/bm/czj/gzdt/index_1.html"] == 1
    assert set(_gzdt(fourth, server.base)) == set(_gzdt(third, server.base))


def test_pushed_off_only_for_new_items_on_top():
    from govwatch.crawl.spider import pushed_off

    item = lambda n, day, row="": {"url": f"u{n}", "title": f"t{n}", "date": day, "row": row}  # noqa: E731
    old = [item(1, "2026-11-20"), item(2, "2026-11-18"), item(3, "2026-11-10")]
    assert pushed_off(old, [item(0, "2026-12-01"), item(1, "2026-11-20"), item(2, "2026-11-18")]) == [old[2]]
    assert pushed_off(old, [item(9, "2026-12-02"), item(0, "2026-12-01"), item(1, "2026-11-20")]) == old[1:]
    assert pushed_off(old, old) is None  # nothing new: an unchanged page is "reuse", not "shift"
    assert pushed_off(old, [item(0, "2026-12-01"), item(2, "2026-11-18"), item(3, "2026-11-10")]) is None  # removal
    assert pushed_off(old, [item(0, "2026-12-01"), item(1, "2026-11-20", "已回复"), item(2, "2026-11-18")]) is None
    assert pushed_off(old, [item(0, "2026-11-01"), item(1, "2026-11-20"), item(2, "2026-11-18")]) is None  # older
    assert pushed_off(old, [item(0, None), item(1, "2026-11-20"), item(2, "2026-11-18")]) is None  # undated
    assert pushed_off(old, [item(7, "2026-12-01"), item(8, "2026-12-01"), item(9, "2026-12-01")]) is None  # all new


def test_list_periodic_full_walk_when_walk_is_old(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    cfg = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": H.FULL_WALK_DAYS})
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    before = Counter(site.hits)
    later = AS_OF + dt.timedelta(days=H.FULL_WALK_DAYS)
    second = crawl(cfg, rulebook, tmp_path, 2, later, previous_of(first))
    made = made_since(site, before)
    assert all(made[p] == 1 for p in DEEPER)  # asked again (and answered 304)
    assert columns(second, server.base) == columns(first, server.base)
    # ...after which the walk is recent again: the next run reuses
    before = Counter(site.hits)
    crawl(cfg, rulebook, tmp_path, 3, later + dt.timedelta(days=3), previous_of(second, later))
    assert not any(made_since(site, before)[p] for p in DEEPER)


def test_list_full_walk_days_configurable(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    weekly = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": 7})
    before = Counter(site.hits)
    crawl(weekly, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    assert all(made_since(site, before)[p] == 1 for p in DEEPER)
    never = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": 0})
    before = Counter(site.hits)
    crawl(never, rulebook, tmp_path, 3, AS_OF + 2 * WEEK, previous_of(first))
    assert all(made_since(site, before)[p] == 1 for p in DEEPER)


def test_full_walk_due_on_a_weekly_rota_and_by_age():
    heads = [f"http://x/col{i}/" for i in range(400)]
    start = dt.date(2026, 11, 27)
    walked = {h: start for h in heads}
    per_week = []
    for week in range(1, 13):
        day = start + week * WEEK
        due = [h for h in heads if H.full_walk_due(h, day, walked[h], 28)]
        for h in due:
            walked[h] = day
        per_week.append(len(due))
        assert all((day - walked[h]).days < 28 for h in heads)  # never older than the period
    assert all(60 <= n <= 140 for n in per_week), per_week  # about a quarter every week, no peaks
    assert not H.full_walk_due(heads[0], start + dt.timedelta(days=3), start, 28)  # not twice in a week
    assert H.full_walk_due(heads[0], start + WEEK, start, 7) and H.full_walk_due(heads[0], start, start, 0)
    assert not H.full_walk_due(heads[0], start + dt.timedelta(days=6), start, 7)


def test_list_cache_corrupt_falls_back_to_full_crawl(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    [cache_file] = list((tmp_path / "sites").glob(f"*/{H.CACHE_FILE}"))
    cache_file.write_bytes(b"this is not a database" * 100)
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert all(made[p] == 1 for p in DEEPER) and made["/bm/czj/gzdt/"] == 1
    assert columns(second, server.base) == columns(first, server.base)
    assert any("列表页缓存无法读取" in w for w in second.warnings)
    assert list(cache_file.parent.glob(f"{H.CACHE_FILE}.broken-*"))  # set aside, not deleted
    before = Counter(site.hits)
    crawl(cfg, rulebook, tmp_path, 3, AS_OF + WEEK + dt.timedelta(days=3), previous_of(second))  # rebuilt: reused
    assert not any(made_since(site, before)[p] for p in DEEPER)


def test_list_cache_missing_falls_back_to_full_crawl(tmp_path, rulebook, etag_portal):
    import shutil

    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    shutil.rmtree(tmp_path / "sites")
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    assert all(made_since(site, before)[p] == 1 for p in DEEPER)
    assert columns(second, server.base) == columns(first, server.base)
    assert not any("缓存" in w for w in second.warnings)


def test_list_cache_entry_missing_is_fetched(tmp_path, rulebook, etag_portal):
    import sqlite3

    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    [cache_file] = list((tmp_path / "sites").glob(f"*/{H.CACHE_FILE}"))
    with sqlite3.connect(cache_file) as db:
        db.execute("DELETE FROM responses WHERE url=?", (server.base + "/bm/czj/gzdt/index_2.html",))
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert made["/bm/czj/gzdt/index_2.html"] == 1 and made["/bm/czj/gzdt/index_1.html"] == 0
    assert columns(second, server.base) == columns(first, server.base)


def test_list_page_5xx_is_not_served_from_cache(tmp_path, rulebook, etag_portal):
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    site.raw("/bm/czj/tzgg/list", lambda req: (500, {"Content-Type": "text/html"}, b"<html>error</html>"))
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    column = [c for c in second.columns if c.url.endswith("/bm/czj/tzgg/list")][0]
    assert column.status == "unverified" and "500" in column.reason


def test_list_deeper_page_failure_forgets_the_walk(tmp_path, rulebook, etag_portal):
    """A full walk that could not read every page is not a walk to reuse: next run walks again."""
    site, server = etag_portal
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    good = site.routes["/bm/czj/gzdt/index_1.html"]
    site.raw("/bm/czj/gzdt/index_1.html", lambda req: (503, {"Content-Type": "text/html"}, b"<html>busy</html>"))
    weekly = dataclasses.replace(cfg, extra={**cfg.extra, "list_full_walk_days": 7})
    second = crawl(weekly, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    assert [c.status for c in second.columns if c.url.endswith("/bm/czj/gzdt/")] == ["unverified"]
    site.routes["/bm/czj/gzdt/index_1.html"] = good
    before = Counter(site.hits)
    third = crawl(cfg, rulebook, tmp_path, 3, AS_OF + 2 * WEEK, previous_of(second))
    assert made_since(site, before)["/bm/czj/gzdt/index_1.html"] == 1
    assert columns(third, server.base) == columns(first, server.base)


def test_first_run_asks_every_page_whole(tmp_path, rulebook, etag_portal):
    """No previous state: a full crawl, even when the site's cache exists (no conditional requests)."""
    site, server = etag_portal
    cfg = site_config(server.base)
    crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    before = Counter(site.hits)
    again = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK)
    made = made_since(site, before)
    assert all(made[p] == 1 for p in DEEPER)
    assert "not_modified" not in again.stats["list_cache"] and "reused" not in again.stats["list_cache"]


def test_list_cache_resume_after_kill_gives_same_result(tmp_path, rulebook):
    """An incremental run killed mid-crawl resumes to the result of an uninterrupted one."""
    from tests.crawl.test_resume import _kill_after, _summary

    sites, servers = [Site(), Site()], []
    try:
        for site in sites:
            server = Server(site)
            servers.append(server)
            build_portal(site, server.base, closed_port())
            site.routes.pop("/slow")
            conditional(site)
        firsts = [crawl(site_config(s.base), rulebook, tmp_path / f"site{i}", 1, AS_OF) for i, s in enumerate(servers)]
        for site in sites:  # week 2: a new item in one column, the others unchanged
            site.html("/bm/czj/gzdt/", list_page("工作动态", [("a0.html", "新的动态", "2026-12-01"),
                                                         ("a1.html", "第一条动态", "2026-11-20")], TRS.format(n=0)))
            conditional(site)
            site.state["delay"] = 0.05
        full = crawl(site_config(servers[0].base), rulebook, tmp_path / "site0", 2, AS_OF + WEEK,
                     previous_of(firsts[0]))
        run_dir = tmp_path / "site1" / "run-2"
        killed: list = []
        watcher = threading.Thread(target=_kill_after, args=(run_dir, 6, killed))
        watcher.start()
        with pytest.raises(CrawlError):
            crawl(site_config(servers[1].base), rulebook, tmp_path / "site1", 2, AS_OF + WEEK, previous_of(firsts[1]))
        watcher.join()
        assert killed
        resumed = crawl(site_config(servers[1].base), rulebook, tmp_path / "site1", 2, AS_OF + WEEK,
                        previous_of(firsts[1]), resume=True)
    finally:
        for server in servers:
            server.close()
    assert _summary(resumed, servers[1].base) == _summary(full, servers[0].base)
    assert columns(resumed, servers[1].base) == columns(full, servers[0].base)


def test_list_oldest_first_is_walked_in_full_every_run(tmp_path, rulebook, etag_portal):
    """New items of a list whose first page is not its newest land on a deeper page: no reuse."""
    site, server = etag_portal
    pager = lambda n: '<div class="page">' + "".join(  # noqa: E731
        f'<a href="/bm/czj/tzgg/list?page={i}">{i}</a>' for i in (1, 2) if i != n) + "</div>"
    old = [("/bm/czj/tzgg/n2.html", "关于征求意见的公告", "2026-10-21")]
    new = [("/bm/czj/tzgg/n1.html", "关于放假的通知", "2026-11-21")]
    for path, items, n in (("/bm/czj/tzgg/list", old, 1), ("/bm/czj/tzgg/list?page=1", old, 1),
                           ("/bm/czj/tzgg/list?page=2", new, 2)):
        site.html(path, list_page("通知公告", items, pager(n)))
    conditional(site)
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    before = Counter(site.hits)
    second = crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert made["/bm/czj/tzgg/list?page=2"] == 1  # oldest first: walked in full
    assert made["/bm/czj/gzdt/index_1.html"] == 0  # newest first: reused
    assert columns(second, server.base) == columns(first, server.base)


def test_list_consultation_column_is_walked_in_full_every_run(tmp_path, rulebook, etag_portal):
    """Consultation rows change state (未回复 → 已回复) deep in the list: never reused."""
    site, server = etag_portal
    trs = '<script>createPageHTML(2, {n}, "index", "html");</script>'
    site.html("/bm/czj/zxly/", list_page("咨询留言", [("/bm/czj/zxly/q1.html", "咨询一个问题", "2026-11-01")],
                                          trs.format(n=0)))
    site.html("/bm/czj/zxly/index_1.html", list_page("咨询留言", [("/bm/czj/zxly/q2.html", "咨询第二个问题",
                                                                    "2026-10-01")], trs.format(n=1)))
    site.html("/bm/czj/zxly/q2.html", "<html><body><p>提问时间：2026-10-01</p><p>未回复</p></body></html>")
    conditional(site)
    cfg = site_config(server.base)
    first = crawl(cfg, rulebook, tmp_path, 1, AS_OF)
    assert {p.kind for p in first.pages if "/zxly/" in p.url} == {"question"}
    before = Counter(site.hits)
    crawl(cfg, rulebook, tmp_path, 2, AS_OF + WEEK, previous_of(first))
    made = made_since(site, before)
    assert made["/bm/czj/zxly/index_1.html"] == 1
    assert made["/bm/czj/gzdt/index_1.html"] == 0
