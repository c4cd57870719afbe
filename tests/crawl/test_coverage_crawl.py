"""A real crawl of a portal where one unit's lists are built by a script we cannot read: that unit
is flagged 未能有效监测 with its reason, the readable unit is monitored (checks.coverage)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from govwatch.checks.by_unit import check_by_unit
from govwatch.crawl import crawl_site
from govwatch.lib.workdays import WorkCalendar
from govwatch.siteconfig import UnitSection
from tests.crawl.conftest import AS_OF
from tests.crawl.sitefixture import Server, Site, list_page, page, site_config

# The list is assembled at run time from an address the page never spells out: nothing to read.
SCRIPTED = page("公安分局", """<div class="menu"><a href="/bm/gaj/jwdt/">警务动态</a></div>""")
SCRIPTED_LIST = page("警务动态", """<div id="list"></div>
<script>var p = ['a', 'p', 'i'].join(''); fetch('/' + p + '/' + (7 * 6)).then(function (r) { return r.json(); })
.then(function (rows) { rows.forEach(function (x) { document.getElementById('list').innerHTML += x; }); });</script>""")


def _portal(site: Site) -> None:
    site.html("/bm/czj/", page("区财政局", '<div class="menu"><a href="/bm/czj/gzdt/">工作动态</a></div>'))
    site.html("/bm/czj/gzdt/", list_page("工作动态", [("/bm/czj/gzdt/t1.html", "第一条动态", "2026-11-25"),
                                                     ("/bm/czj/gzdt/t2.html", "第二条动态", "2026-11-20")]))
    for n in (1, 2):
        site.html(f"/bm/czj/gzdt/t{n}.html", page(f"动态{n}", "<p>发布日期：2026-11-2{n}</p><p>正文。</p>"))
    site.html("/bm/gaj/", SCRIPTED)
    site.html("/bm/gaj/jwdt/", SCRIPTED_LIST)


def test_crawled_unit_with_script_built_lists_is_not_monitored(tmp_path, rulebook):
    site = Site()
    server = Server(site)
    try:
        _portal(site)
        cfg = site_config(server.base, sections=("/bm/czj/",))
        cfg = dataclasses.replace(cfg, units=cfg.units + (UnitSection("0302", "公安分局", (server.base + "/bm/gaj/",)),))
        result = crawl_site(cfg, rulebook, tmp_path, as_of=AS_OF, progress=False)
    finally:
        server.close()
    checked = check_by_unit(result.store, rulebook, WorkCalendar.from_rulebook(rulebook), as_of=AS_OF,
                            cycle_start=AS_OF - dt.timedelta(days=7), crawled_pages=result.crawled_pages, typos={},
                            unverified=list(result.unverified), unit_for_url=cfg.unit_for_url,
                            sections={u.code: u.sections for u in cfg.units})
    assert sorted(checked.coverage) == ["0107", "0302"]
    good, lost = checked.coverage["0107"], checked.coverage["0302"]
    assert (good.monitored, good.columns_read) == (True, 1)
    assert (lost.monitored, lost.columns_read, lost.sections_reached) == (False, 0, 1)
    assert (lost.columns, lost.reason) == (0, "在该单位的栏目入口下未发现任何栏目列表（列表可能由脚本生成，或入口不是栏目页）")
    assert "[[columns]]" in lost.advice
