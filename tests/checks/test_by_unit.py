"""Checking one unit at a time from the fact store gives exactly what one whole-run check gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from govwatch import facts as F
from govwatch.checks import national_warnings, portal_findings, run_checks
from govwatch.checks.by_unit import check_by_unit
from govwatch.store import store_from_lists

from .conftest import AS_OF, SITE, article, column, guide, item, link, page, question

UNITS = ("0107", "0302", "0415")
CATEGORIES = ("news", "notice", "policy", "consultation", "guide")


def unit_for_url(url: str) -> str | None:
    part = url[len(SITE) + 1:].split("/", 1)[0]
    return part if part in UNITS else None


def _world(seed: int):
    """A random multi-unit run: stale and fresh columns, documents missing parts, old questions,
    guides whose forms are broken, links broken across units, a template link, typos."""
    rnd = random.Random(seed)
    columns, pages, typos = [], [], {}
    for unit in UNITS + (None,):
        for category in CATEGORIES:
            url = f"{SITE}/{unit or 'x'}/{category}/"
            items, col_pages = [], []
            for n in range(rnd.randint(0, 30)):
                day = AS_OF - dt.timedelta(days=rnd.randint(0, 400))
                purl = f"{url}t{n}.html"
                items.append(item(purl, day if rnd.random() < 0.8 else None))
                col_pages.append((purl, day))
            col = column(url=url, unit=unit, category=category, status=F.OK if rnd.random() < 0.9 else F.UNVERIFIED,
                         items=items)
            columns.append(col)
            for purl, day in col_pages:
                if category == "consultation":
                    facts = question(purl, asked=day, answered=day + dt.timedelta(days=rnd.randint(0, 30))
                                     if rnd.random() < 0.5 else None)
                elif category == "guide":
                    forms = [F.FormRef(name=f"《表{k}》", url=f"{SITE}/{unit or 'x'}/files/f{rnd.randint(0, 5)}.doc"
                                       if rnd.random() < 0.8 else None) for k in range(rnd.randint(0, 3))]
                    if rnd.random() < 0.3:  # the portal's shared form, linked from every page's footer
                        forms.append(F.FormRef(name="《通用申请表》", url=f"{SITE}/tpl/apply.doc"))
                    facts = guide(purl, elements=rnd.sample(["办理依据", "办理条件", "办理材料", "办理流程", "办理时限"],
                                                            rnd.randint(2, 5)), forms=forms)
                else:
                    facts = article(purl, published=day, doc_number=None if rnd.random() < 0.3 else "君发〔2026〕1号",
                                    organ=None if rnd.random() < 0.2 else "区政府",
                                    meta={} if rnd.random() < 0.5 else {"ArticleTitle": "x"},
                                    title="关于印发方案的通知")
                status = F.OK if rnd.random() < 0.93 else F.UNVERIFIED
                pages.append(page(facts, column=col, status=status, list_date=day))
                if status == F.OK and category in ("news", "notice") and rnd.random() < 0.1:
                    typos[purl] = [F.TypoHit(3, 5, "按装", "安装", "typo", 0.9, "…按装…")]
    carriers_pool = [p.url for p in pages] + [c.url for c in columns] + [f"{SITE}/{u}/about.html" for u in UNITS]
    # On every page: the portal's template. A broken shared form is the template's, yet a guide
    # that names it still lacks a working form.
    links = [link(f"{SITE}/tpl/logo.png", carriers_pool, kind="img"),
             link(f"{SITE}/tpl/apply.doc", carriers_pool, kind="attachment")]
    for target in sorted({f.url for p in pages if isinstance(p.facts, F.GuideFacts) for f in p.facts.forms
                          if f.url and "/tpl/" not in f.url}):
        outcome = rnd.choice(["ok", "broken", "unverified"])
        owners = [p.url for p in pages if isinstance(p.facts, F.GuideFacts) and any(f.url == target for f in p.facts.forms)]
        links.append(link(target, owners, outcome=outcome, kind="attachment"))
    for n in range(40):
        carriers = rnd.sample(carriers_pool, rnd.randint(1, 6))
        links.append(link(f"http://gone.example.com/{n}", carriers, outcome=rnd.choice(["broken", "broken", "ok"])))
    return columns, pages, links, typos, len(carriers_pool)


@pytest.mark.parametrize("seed", range(6))
def test_checks_by_unit_equal_whole_run_checks(seed, rulebook, calendar):
    columns, pages, links, typos, crawled = _world(seed)
    page_units = {c: unit_for_url(c) for l in links for c in l.carriers}
    whole = F.RunFacts(as_of=AS_OF, cycle_start=AS_OF - dt.timedelta(days=7), columns=columns, pages=pages,
                       links=links, crawled_pages=crawled, typos=typos, page_units=page_units)
    store = store_from_lists(columns=columns, pages=pages, links=links)

    checked = check_by_unit(store, rulebook, calendar, as_of=whole.as_of, cycle_start=whole.cycle_start,
                            crawled_pages=crawled, typos=typos, unverified=[], unit_for_url=unit_for_url)

    assert checked.findings == run_checks(whole, rulebook, calendar)
    assert {f.rule for f in checked.findings} >= {"error.broken_link", "error.typo", "error.nonstandard",
                                                   "guide.form_unavailable", "consult.unanswered_15d"}
    assert checked.portal == portal_findings(whole, rulebook) and checked.portal
    assert checked.national == national_warnings(whole, rulebook)


def test_national_warnings_merge_keeps_first_examples_and_judges_the_total(rulebook):
    # 3 units x 30 articles without meta tags: 90 in all, details cut to the first 50 by URL.
    from govwatch.checks import NationalWarnings

    acc = NationalWarnings(rulebook)
    everything = []
    for unit in reversed(UNITS):
        col = column(url=f"{SITE}/{unit}/news/", unit=unit)
        part = [page(article(f"{SITE}/{unit}/news/t{n:02d}.html", published=AS_OF), column=col) for n in range(30)]
        everything += part
        acc.add(F.RunFacts(as_of=AS_OF, cycle_start=AS_OF, columns=[col], pages=part, links=[], crawled_pages=90))
    whole = national_warnings(F.RunFacts(as_of=AS_OF, cycle_start=AS_OF, columns=[], pages=everything, links=[],
                                         crawled_pages=90), rulebook)
    merged = {w["id"]: w for w in acc.result()}
    assert merged["national.meta_tags"]["count"] == 90
    assert merged["national.meta_tags"] == {w["id"]: w for w in whole}["national.meta_tags"]
    assert [d["url"] for d in merged["national.meta_tags"]["details"]] == sorted(p.url for p in everything)[:50]


def test_template_share_uses_whole_site_count_when_carriers_are_one_units_share(rulebook):
    from govwatch.checks.errors import is_template_link

    rule = rulebook.rules["error.broken_link"]
    facts = F.RunFacts(as_of=AS_OF, cycle_start=AS_OF, columns=[], pages=[], links=[], crawled_pages=10)
    share = dataclasses.replace(link("http://t/x", ["a"]), carrier_count=8)
    assert is_template_link(share, facts, rule)
    assert not is_template_link(link("http://t/x", ["a"]), facts, rule)
