"""A crawl of a unit whose columns come in the list forms of several CMS families, beside the
traps of issue 11: an article with a dated sidebar and a section index of latest items."""

from __future__ import annotations

import pytest

from govwatch.crawl import crawl_site
from tests.crawl import cmsforms as C
from tests.crawl.conftest import AS_OF
from tests.crawl.sitefixture import Server, Site, site_config


def _recs(prefix: str, start: int, n: int):
    return [(f"/bm/czj/{prefix}/a{start + i}.html", f"{prefix}第{start + i}条信息", f"2026-11-{(start + i) % 27 + 1:02d}")
            for i in range(n)]


@pytest.fixture(scope="module")
def forms_crawl(tmp_path_factory, rulebook):
    s = Site()
    server = Server(s)
    side = _recs("side", 0, 6)
    s.html("/bm/czj/", C.frame("区财政局", '<div class="menu"><a href="/bm/czj/gzdt/">工作动态</a> <a href="/bm/czj/jgjj.html">机构简介</a> '
                                         '<a href="/bm/czj/sy/">部门首页</a> <a href="/bm/czj/col/col7/index.html">人事信息</a> '
                                         '<a href="/bm/czj/zcwj/">政策文件</a> <a href="/bm/czj/tzgg/">通知公告</a></div>'))
    s.html("/bm/czj/gzdt/", C.frame("工作动态", f'<ul>{C.rows(_recs("gzdt", 0, 6))}</ul>'))
    s.html("/bm/czj/jgjj.html", C.article_with_sidebar("机构简介", "2026-01-05", side))
    blocks = [(n, f"/bm/czj/{k}/", _recs(k, 0, 5)) for k, n in (("gzdt", "工作动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"))]
    s.html("/bm/czj/sy/", C.section_index(blocks))
    proxy = "/bm/czj/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=7&unitid=9"
    s.html("/bm/czj/col/col7/index.html", C.hanweb_column("人事信息", _recs("rsxx", 0, 5), proxy, 3))
    for n in (1, 2, 3):
        body = C.dataproxy_answer(_recs("rsxx", (n - 1) * 5, 5), 3).encode()
        s.raw(proxy.replace("page=1", f"page={n}"), lambda req, b=body: (200, {"Content-Type": "text/xml;charset=utf-8"}, b))
    s.html("/bm/czj/zcwj/", C.script_data_column("政策文件", _recs("zcwj", 0, 4)))
    api = "/bm/czj/api/list?channelId=3&pageNum=1"
    s.html("/bm/czj/tzgg/", C.json_endpoint_column("通知公告", api))
    for n in (1, 2):
        body = C.json_answer(_recs("tzgg", (n - 1) * 5, 5), 2).encode()
        s.raw(api.replace("pageNum=1", f"pageNum={n}"), lambda req, b=body: (200, {"Content-Type": "application/json"}, b))
    try:
        result = crawl_site(site_config(server.base), rulebook, tmp_path_factory.mktemp("forms"), as_of=AS_OF, progress=False)
    finally:
        server.close()
    return result, server.base


def _cols(result, base):
    return {c.url[len(base):]: c for c in result.columns}


def test_crawl_forms_columns_are_the_lists_not_article_or_index(forms_crawl):
    result, base = forms_crawl
    assert sorted(_cols(result, base)) == ["/bm/czj/col/col7/index.html", "/bm/czj/gzdt/", "/bm/czj/tzgg/", "/bm/czj/zcwj/"]


def test_crawl_forms_every_item_read_in_each_form(forms_crawl):
    result, base = forms_crawl
    cols = _cols(result, base)
    assert {u: len(c.items) for u, c in cols.items()} == {
        "/bm/czj/col/col7/index.html": 15, "/bm/czj/gzdt/": 6, "/bm/czj/tzgg/": 10, "/bm/czj/zcwj/": 4}


def test_crawl_forms_read_via_recorded(forms_crawl):
    result, base = forms_crawl
    records = {c["url"][len(base):]: c for c in result.store.column_records()}
    assert {u: (r["read_via"], r["list_confidence"] > 0.5) for u, r in records.items()} == {
        "/bm/czj/col/col7/index.html": ("endpoint", True), "/bm/czj/gzdt/": ("static", True),
        "/bm/czj/tzgg/": ("endpoint", True), "/bm/czj/zcwj/": ("script_records", True)}
