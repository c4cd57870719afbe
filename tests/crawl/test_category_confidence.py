"""A column's category is as sure as its name: a name that matches several categories' keywords
is recorded below the rulebook's threshold, so deductions resting on it wait for review."""

from __future__ import annotations

from govwatch.crawl import crawl_site
from tests.crawl import cmsforms as C
from tests.crawl.conftest import AS_OF
from tests.crawl.sitefixture import Server, Site, site_config


def _rows(prefix: str, n: int):
    return [(f"/bm/czj/{prefix}/a{i}.html", f"{prefix}第{i}条信息", f"2026-11-{i + 1:02d}") for i in range(n)]


def test_crawl_column_category_confidence_follows_the_name(tmp_path, rulebook):
    s = Site()
    server = Server(s)
    s.html("/bm/czj/", C.frame("区财政局", '<div class="menu"><a href="/bm/czj/rczp/">人才招聘计划</a> '
                                         '<a href="/bm/czj/tzgg/">通知公告</a></div>'))
    s.html("/bm/czj/rczp/", C.frame("人才招聘计划", f'<ul>{C.rows(_rows("rczp", 4))}</ul>'))
    s.html("/bm/czj/tzgg/", C.frame("通知公告", f'<ul>{C.rows(_rows("tzgg", 4))}</ul>'))
    try:
        result = crawl_site(site_config(server.base), rulebook, tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
    cols = {c.url[len(server.base):]: c for c in result.columns}
    assert {u: (c.category, c.category_confidence) for u, c in cols.items()} == {
        "/bm/czj/rczp/": ("personnel", rulebook.classification["ambiguous_category"]),
        "/bm/czj/tzgg/": ("notice", 1.0),
    }
    assert cols["/bm/czj/rczp/"].category_confidence < rulebook.confidence["category"]
