"""Bounded work (issue #16 item 8): broken-link attribution decodes each carrier page once,
however many broken targets it carries. Counted, not timed."""

from __future__ import annotations

import datetime as dt
import json

from govwatch import facts as F
from govwatch.checks.by_unit import check_by_unit
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import load_rulebook
from govwatch.store import factstore, store_from_lists
from tests.checks.conftest import AS_OF, SITE, article, column, link, page

BROKEN_ON_ONE_PAGE = 3000


def test_broken_link_attribution_decodes_each_page_once(monkeypatch):
    col = column(url=f"{SITE}/0107/news/", unit="0107")
    big = page(article(f"{SITE}/0107/news/big.html", published=AS_OF), column=col)
    small = page(article(f"{SITE}/0107/news/small.html", published=AS_OF), column=col)
    links = [link(f"http://gone.example.com/{n}", [big.url]) for n in range(BROKEN_ON_ONE_PAGE)]
    links += [link(f"http://gone.example.com/shared/{n}", [big.url, small.url]) for n in range(5)]
    store = store_from_lists(columns=[col], pages=[big, small], links=links)

    decoded: list[str] = []
    real_loads = json.loads

    def counting_loads(text, *args, **kwargs):
        value = real_loads(text, *args, **kwargs)
        if isinstance(value, dict) and "column_url" in value and "url" in value:
            decoded.append(value["url"])  # a page record
        return value

    monkeypatch.setattr(factstore.json, "loads", counting_loads)
    rulebook = load_rulebook()
    checked = check_by_unit(store, rulebook, WorkCalendar.from_rulebook(rulebook), as_of=AS_OF,
                            cycle_start=AS_OF - dt.timedelta(days=7), crawled_pages=100, typos={}, unverified=[],
                            unit_for_url=lambda url: None)

    broken = [f for f in checked.findings if f.rule == "error.broken_link"]
    assert len(broken) == BROKEN_ON_ONE_PAGE + 5  # every target is still charged to 0107
    assert {f.unit for f in broken} == {"0107"}
    # One decode per page for attribution; the unit's own page read (store.pages) is the other.
    attribution_decodes = decoded.count(big.url) - 1
    assert attribution_decodes == 1
    assert decoded.count(small.url) - 1 == 1
    assert all(isinstance(f, F.Finding) for f in broken)


def test_endless_list_pagination_stops_at_rulebook_cap_and_column_unverified(tmp_path):
    """Item 11: an endless list_N trap (every page new items and a next page) is walked to the
    rulebook's max_list_pages, no further; the column is unverified (分页过多) and never charged."""
    import shutil

    from govwatch.checks import run_checks
    from govwatch.rulebook import DATA_DIR
    from govwatch.crawl import crawl_site
    from govwatch.crawl.discovery import PAGING_REASON
    from tests.crawl.sitefixture import Server, Site, list_page, page, site_config
    from tests.resilience.faultsite import AS_OF as CRAWL_AS_OF

    cap = 4
    # The crawl child loads the rulebook from its file: a copy of the bundled one with a small cap.
    books = tmp_path / "rulebook"
    shutil.copytree(DATA_DIR, books, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (books / "district-2017.toml").read_text(encoding="utf-8")
    assert "max_list_pages = 500" in text
    (books / "district-2017.toml").write_text(text.replace("max_list_pages = 500", f"max_list_pages = {cap}"),
                                              encoding="utf-8")
    rulebook = load_rulebook(books / "district-2017.toml")
    assert rulebook.max_list_pages == cap
    site = Site()
    server = Server(site)
    endless = 60

    def trap_page(n: int) -> str:
        items = [(f"/bm/czj/gzdt/t{n}_{k}.html", f"动态{n}-{k}", f"2025-{1 + n % 12:02d}-{1 + k:02d}") for k in range(3)]
        pager = f'<div class="page"><a href="/bm/czj/gzdt/index_{n + 1}.html">下一页</a></div>'
        return list_page("工作动态", items, pager)

    try:
        site.raw("/robots.txt", lambda req: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"))
        site.html("/bm/czj/", page("区财政局", '<ul class="menu"><li><a href="/bm/czj/gzdt/">工作动态</a></li></ul>'))
        site.html("/bm/czj/gzdt/", trap_page(0))
        for n in range(1, endless):
            site.html(f"/bm/czj/gzdt/index_{n}.html", trap_page(n))
        result = crawl_site(site_config(server.base), rulebook, tmp_path / "run", as_of=CRAWL_AS_OF, progress=False)
    finally:
        server.close()
    walked = [path for path in site.hits if path.startswith("/bm/czj/gzdt/index_")]
    assert len(walked) == cap
    columns = [c for c in result.columns if c.url.endswith("/bm/czj/gzdt/")]
    assert len(columns) == 1
    assert (columns[0].status, columns[0].reason) == ("unverified", PAGING_REASON)
    facts = F.RunFacts(as_of=CRAWL_AS_OF, cycle_start=CRAWL_AS_OF - dt.timedelta(days=7), columns=list(result.columns),
                       pages=list(result.pages), links=[], crawled_pages=len(result.pages))
    charged = [f for f in run_checks(facts, rulebook, WorkCalendar.from_rulebook(rulebook))
               if f.column_url == columns[0].url]
    assert charged == []
