"""The link re-check rota: a planned share of previously OK links is checked again each run,
so a link deleted after the first run is found within the rota's period."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from govwatch.crawl import crawl_site
from govwatch.crawl.rota import recheck_plan
from govwatch.facts import PreviousState
from govwatch.rulebook import load_rulebook
from tests.crawl.conftest import AS_OF, rulebook_with_rota
from tests.crawl.sitefixture import Server, Site, article, list_page, page, site_config

WEEK = dt.timedelta(days=7)
FILES = 12


def test_recheck_plan_takes_the_share_oldest_first():
    last = {f"http://x.gov.cn/f{i}.doc": AS_OF - dt.timedelta(days=i) for i in range(20)}
    plan = recheck_plan(last, AS_OF, 0.1, 90)
    assert plan == {"http://x.gov.cn/f19.doc", "http://x.gov.cn/f18.doc"}


def test_recheck_plan_always_takes_links_not_checked_for_the_period():
    last = {"http://x.gov.cn/a.doc": AS_OF - dt.timedelta(days=90), "http://x.gov.cn/b.doc": AS_OF}
    assert recheck_plan(last, AS_OF, 0.0, 90) == {"http://x.gov.cn/a.doc"}


def test_recheck_plan_weekly_default_covers_every_link_within_90_days():
    rule = load_rulebook().rule("error.broken_link")
    last = {f"http://x.gov.cn/f{i}.doc": AS_OF for i in range(1000)}
    seen: set[str] = set()
    day = AS_OF
    while len(seen) < len(last):
        day += WEEK
        plan = recheck_plan(last, day, rule["recheck_share"], rule["recheck_period_days"])
        assert len(plan) >= math.ceil(len(last) * rule["recheck_share"])
        seen |= plan
        last.update({t: day for t in plan})
    assert (day - AS_OF).days <= 90


@pytest.fixture
def attachments_portal():
    """One column of articles, each carrying one attachment that the test can delete."""
    site = Site()
    server = Server(site)
    items = [(f"/czj/tzgg/t{i}.html", f"关于第{i}批项目的通知", "2026-11-02") for i in range(FILES)]
    site.html("/", page("君山区人民政府", '<a href="/czj/">财政局</a>'))
    site.html("/czj/", page("财政局", '<a href="/czj/tzgg/">通知公告</a>'))
    site.html("/czj/tzgg/", list_page("通知公告", items))
    for i, (href, title, day) in enumerate(items):
        site.html(href, article(title, day, f'<p>附件：<a href="/czj/fj/f{i}.doc">附件{i}.doc</a></p>'))
        site.raw(f"/czj/fj/f{i}.doc", lambda req: (200, {"Content-Type": "application/msword"}, b"doc"))
    yield site, server
    server.close()


def test_recheck_rota_finds_a_link_deleted_after_the_first_run_within_its_period(tmp_path, attachments_portal):
    site, server = attachments_portal
    rulebook = rulebook_with_rota(tmp_path, 0.25, 28)  # a short period keeps the simulated sequence short
    cfg = site_config(server.base, sections=("/czj/",),
                      extra={"retries": 1, "backoff_seconds": 0.05, "parse_workers": 0, "list_full_walk_days": 3650})
    deleted = server.base + "/czj/fj/f5.doc"
    first = crawl_site(cfg, rulebook, tmp_path / "run-1", as_of=AS_OF, progress=False)
    assert {l.target: l.outcome for l in first.links}[deleted] == "ok"
    site.routes.pop("/czj/fj/f5.doc")
    previous, as_of, found = first, AS_OF, None
    for n in range(2, 7):
        prev_state = PreviousState(as_of=as_of, pages={s.url: s for s in previous.page_states},
                                   links={s.target: s for s in previous.link_states})
        as_of += WEEK
        result = crawl_site(cfg, rulebook, tmp_path / f"run-{n}", as_of=as_of, previous=prev_state, progress=False)
        stats = result.stats
        assert stats["recheck_candidates"] >= FILES  # the attachments, and the portal's other links
        assert stats["rechecked_links"] == math.ceil(stats["recheck_candidates"] * 0.25)
        link = next(l for l in result.links if l.target == deleted)
        if link.outcome == "broken":
            # Charged like any broken link: on the page that carries it.
            assert list(link.carriers) == [server.base + "/czj/tzgg/t5.html"]
            found = as_of
            break
        outcome = link.outcome
        assert outcome == "ok"  # reused from the earlier check until the rota reaches it
        previous = result
    assert found is not None
    assert (found - AS_OF).days <= 28
