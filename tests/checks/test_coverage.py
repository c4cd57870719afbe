"""Honest coverage (checks.coverage) and review of deductions resting on unsure judgements (checks.confidence)."""

from __future__ import annotations

import dataclasses

from govwatch import facts as F
from govwatch.checks.confidence import route_low_confidence
from govwatch.checks.coverage import NOT_MONITORED, coverage_line, unit_coverage

from .conftest import AS_OF, SITE, column, item

ROOT = f"{SITE}/0107/"


def _dated(name="工作动态", category="news", **kw):
    url = kw.pop("url", None) or f"{SITE}/0107/{category}/"
    return column(name, url=url, category=category, items=[item(f"{url}t1.html", AS_OF)], **kw)


def test_unit_coverage_without_any_column_is_not_monitored_with_reason_and_advice(rulebook):
    cov = unit_coverage("0107", [ROOT], (), (), [], rulebook)
    assert (cov.sections, cov.sections_reached, cov.columns, cov.columns_read, cov.monitored) == (1, 1, 0, 0, False)
    assert "未发现任何栏目" in cov.reason
    assert "[[columns]]" in cov.advice
    assert coverage_line(cov.to_json()).startswith(NOT_MONITORED)


def test_unit_coverage_with_a_dated_column_is_monitored(rulebook):
    cov = unit_coverage("0107", [ROOT], [_dated()], (), [], rulebook)
    assert (cov.columns, cov.columns_read, cov.monitored, cov.reason) == (1, 1, True, None)
    assert cov.to_json()["read_via"] == {"static": 1}
    assert "reason" not in cov.to_json()


def test_unit_coverage_columns_without_dated_items_are_not_read(rulebook):
    undated = column("通知公告", url=f"{ROOT}tzgg/", category="notice", items=[item(f"{ROOT}tzgg/a.html", None)])
    cov = unit_coverage("0107", [ROOT], [undated], (), [], rulebook)
    assert (cov.columns, cov.columns_read, cov.monitored) == (1, 0, False)
    assert cov.unverified == [(f"{ROOT}tzgg/", "列表中没有读出带日期的信息条目")]


def test_unit_coverage_placeholder_column_counts_as_read(rulebook):
    blank = column("人事信息", url=f"{ROOT}rsxx/", category="personnel", placeholder="暂无信息")
    cov = unit_coverage("0107", [ROOT], [blank], (), [], rulebook)
    assert (cov.columns_read, cov.monitored) == (1, True)


def test_unit_coverage_unreached_section_is_not_monitored(rulebook):
    cov = unit_coverage("0107", [ROOT], (), (), [(ROOT, "连接超时")], rulebook)
    assert (cov.sections_reached, cov.monitored) == (0, False)
    assert "栏目入口仅能访问 0/1 个" in cov.reason and "连接超时" in cov.reason
    assert cov.unverified == [(ROOT, "连接超时")]


def test_unit_coverage_below_read_share_is_not_monitored(rulebook):
    bad = [dataclasses.replace(column(f"栏目{i}", url=f"{ROOT}c{i}/", status=F.UNVERIFIED), reason="HTTP 503")
           for i in range(3)]
    cov = unit_coverage("0107", [ROOT], [_dated()] + bad, (), [], rulebook)
    assert (cov.columns, cov.columns_read, cov.pages_unverified, cov.monitored) == (4, 1, 3, False)
    assert "1/4" in cov.reason


def test_unit_coverage_counts_unverified_pages_with_their_reasons(rulebook):
    page = F.Page(url=f"{ROOT}news/t1.html", column_url=f"{ROOT}news/", unit="0107", kind="article",
                  status=F.UNVERIFIED, facts=None, reason="WAF 拦截")
    cov = unit_coverage("0107", [ROOT], [_dated()], [page], [], rulebook)
    assert (cov.pages_unverified, cov.monitored) == (1, True)
    assert cov.to_json()["unverified"] == [[f"{ROOT}news/t1.html", "WAF 拦截"]]


def _stale(url):
    return F.Finding(unit="0107", rule="stale.policy", points=-5, needs_review=False, url=url, column_url=url,
                     message="政策文件类栏目超过规定时间未更新", evidence={"newest_item_date": "2026-01-01"})


def test_route_low_confidence_list_judgement_makes_deduction_pending(rulebook):
    col = dataclasses.replace(_dated(category="policy"), list_confidence=0.3)
    [f] = route_low_confidence([_stale(col.url)], [col], (), rulebook)
    assert (f.state, f.needs_review) == ("pending", True)
    assert [d["judgement"] for d in f.evidence["low_confidence"]] == ["list"]
    assert "是否为栏目列表" in f.evidence["review_reason"]


def test_route_low_confidence_category_and_unit_judgements_make_deduction_pending(rulebook):
    col = dataclasses.replace(_dated(category="policy"), category_confidence=0.2, unit_confidence=0.1)
    [f] = route_low_confidence([_stale(col.url)], [col], (), rulebook)
    assert f.state == "pending"
    assert [d["judgement"] for d in f.evidence["low_confidence"]] == ["category", "unit"]


def test_route_low_confidence_confirmed_column_stays_confirmed(rulebook):
    col = dataclasses.replace(_dated(category="policy"), list_confidence=0.3, category_confidence=0.2)
    [f] = route_low_confidence([_stale(col.url)], [col], (), rulebook, confirmed={col.url})
    assert (f.state, f.needs_review) == ("confirmed", False)
    assert "low_confidence" not in f.evidence


def test_route_low_confidence_confident_column_stays_confirmed(rulebook):
    col = _dated(category="policy")
    [f] = route_low_confidence([_stale(col.url)], [col], (), rulebook)
    assert f.state == "confirmed"


def test_route_low_confidence_page_type_makes_page_deduction_pending(rulebook):
    col = _dated()
    page = F.Page(url=f"{col.url}t1.html", column_url=col.url, unit="0107", kind="article", status=F.OK, facts=None,
                  page_type="article", page_type_signal="dated_sidebar", page_type_confidence=0.4)
    late = F.Finding(unit="0107", rule="timeliness.news", points=-1, needs_review=False, url=page.url,
                     column_url=col.url, message="动态信息发布不及时")
    [f] = route_low_confidence([late], [col], [page], rulebook, confirmed={col.url})
    assert f.state == "pending"
    assert f.evidence["low_confidence"][0]["signal"] == "dated_sidebar"


def test_route_low_confidence_leaves_bonuses_alone(rulebook):
    col = dataclasses.replace(_dated(), list_confidence=0.1)
    bonus = F.Finding(unit="0107", rule="bonus.news", points=1, needs_review=False, url=col.url, column_url=col.url,
                      message="加分")
    [f] = route_low_confidence([bonus], [col], (), rulebook)
    assert f.state == "confirmed"
