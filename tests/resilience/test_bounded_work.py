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
