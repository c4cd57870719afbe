"""Report test data: one portal, the 41 units of 附件1, six weekly runs in 2026Q4.

Rows are created directly (no crawl). Scores are computed from the confirmed
findings exactly as INTERFACES.md §4 says, so the documents can be checked
against `monitoring.exports.scores_export`.

The story the data tells:
- every third unit has a stale news column in every week;
- units 1, 6, 11, … had a broken link in the first three weeks, then fixed it;
- units 2, 9, 16, … miss two guide elements all quarter;
- unit 4 (0105) gets a new unanswered question in the last week;
- unit 6 (0107 区财政局) gets a confirmed typo in the last week; unit 8 a typo still pending review;
- unit 10 (0111) had a blank column in week 1, fixed it, and it came back in the last week;
- unit 12 (0113) reported false information: the lowest scores, below 90;
- unit 13's broken link was dismissed by a reviewer (never counted);
- units 3, 7, 11, … earn +2 news bonus each week;
- unit 40 (0405 广兴洲镇) has no score in week 3 (2026-11-06): a missing week.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from govwatch.catalog.models import Site, Unit
from govwatch.monitoring.models import Finding, Run, Score
from govwatch.rulebook import load_rulebook

HOME = "http://www.junshan.example.gov.cn/"
AS_OFS = [dt.date(2026, 10, 23) + dt.timedelta(days=7 * w) for w in range(6)]
MISSING = ("0405", dt.date(2026, 11, 6))
LOW_UNIT = "0113"


@dataclass
class Data:
    site: Site
    runs: list[Run]
    units: list[Unit]


def _key(*parts) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _problems(i: int, code: str, w: int, as_of: dt.date) -> list[dict]:
    base = f"{HOME}bm/{code}/"
    out = []
    if i % 3 == 0:
        newest = dt.date(2026, 10, 10)
        days = (as_of - newest).days
        out.append(dict(rule="stale.news", points=-5, url=f"{base}gzdt/", column_url=f"{base}gzdt/",
                        message=f"动态要闻类栏目“工作动态”超过10天未更新（最新信息 {newest.isoformat()}，已 {days} 天）",
                        evidence={"newest_item_date": newest.isoformat(), "days": days,
                                  "warc": f"run-{w}/000001.warc.gz#offset={1000 + i}"},
                        ident=("stale.news", newest)))
    if i % 5 == 1 and w <= 2:
        target = f"{base}files/2026/ztfj{i}.doc"
        out.append(dict(rule="error.broken_link", points=-1, url=f"{base}tzgg/t20261012_{i}.html",
                        column_url=f"{base}tzgg/", message=f"页面中的附件链接失效：{target}（HTTP 404）",
                        evidence={"target": target, "http_status": 404, "reason": "404",
                                  "carriers": [f"{base}tzgg/t20261012_{i}.html"]},
                        ident=("link", target)))
    if i % 7 == 2:
        for element in ("办理时间", "联系电话"):
            out.append(dict(rule="guide.missing_element", points=-1, url=f"{base}bszn/t{i}.html",
                            column_url=f"{base}bszn/",
                            message=f"办事指南“城乡居民最低生活保障申请”缺少要素：{element}",
                            evidence={"element": element, "title": "城乡居民最低生活保障申请"},
                            ident=("guide", element)))
    if i == 4 and w == 5:
        out.append(dict(rule="consult.unanswered_7d", points=-10, url=f"{base}zxly/q{i}.html",
                        column_url=f"{base}zxly/",
                        message="群众留言“关于小区路灯长期不亮的咨询”7日内未予以回复且未申请延期（提问时间 2026-11-18）",
                        evidence={"asked_at": "2026-11-18", "days": 9}, ident=("q",)))
    if i == 6 and w == 5:
        out.append(dict(rule="error.typo", points=-1, url=f"{base}gzdt/t20261125_1.html", column_url=f"{base}gzdt/",
                        needs_review=True,
                        message="错别字：“按装”应为“安装”（……为辖区老旧小区按装路灯120盏……）",
                        evidence={"wrong": "按装", "right": "安装", "context": "为辖区老旧小区按装路灯120盏"},
                        ident=("typo",)))
    if i == 8 and w == 5:
        out.append(dict(rule="error.typo", points=-1, url=f"{base}gzdt/t20261124_3.html", column_url=f"{base}gzdt/",
                        needs_review=True, state=Finding.State.PENDING,
                        message="错别字：“既使”应为“即使”", evidence={"wrong": "既使", "right": "即使"}, ident=("typo",)))
    if i == 10 and w in (0, 5):
        out.append(dict(rule="blank.column", points=-10, url=f"{base}zxzj/", column_url=f"{base}zxzj/",
                        message="栏目“专项资金”为空白栏目（页面显示“暂无信息”）",
                        evidence={"placeholder": "暂无信息"}, ident=("blank",)))
    if code == LOW_UNIT:
        out.append(dict(rule="error.false_info", points=-10, url=f"{base}tzgg/t20261001_9.html",
                        column_url=f"{base}tzgg/", manual=True,
                        message="通知“关于2026年秋季征兵工作的通告”发布的报名时间与实际不符（人工录入）",
                        evidence={"note": "报名截止日期应为 10 月 31 日"}, ident=("false",)))
        for n in range(3):
            out.append(dict(rule="error.nonstandard", points=-1, url=f"{base}zcwj/t2026100{n}_1.html",
                            column_url=f"{base}zcwj/",
                            message=f"政策文件“关于印发农村人居环境整治实施方案的通知（{n + 1}）”缺少落款日期",
                            evidence={"missing": ["落款日期"]}, ident=("ns", n)))
    if i == 13:
        target = f"{base}img/banner.jpg"
        out.append(dict(rule="error.broken_link", points=-1, url=f"{base}index.html", column_url="",
                        state=Finding.State.DISMISSED, message=f"页面中的图片链接失效：{target}（HTTP 404）",
                        evidence={"target": target, "http_status": 404}, ident=("link", target)))
    if i % 4 == 3:
        for n in range(2):
            url = f"{base}gzdt/t{as_of:%Y%m%d}_{n}.html"
            out.append(dict(rule="bonus.news", points=1, url=url, column_url=f"{base}gzdt/",
                            message=f"动态要闻类栏目本周期更新信息《工作动态{n + 1}》", evidence={}, ident=("bonus", url)))
    return out


def build(*, weeks: int = 6) -> Data:
    rulebook = load_rulebook()
    units = [Unit.objects.get_or_create(code=u.code, defaults={"name": u.name})[0] for u in rulebook.units]
    site = Site.objects.create(name="君山区人民政府门户网站", home=HOME, rulebook="district-2017")
    runs = []
    for w, as_of in enumerate(AS_OFS[:weeks]):
        run = Run.objects.create(site=site, as_of=as_of, cycle_start=as_of - dt.timedelta(days=7),
                                 status=Run.Status.COMPLETE, rulebook="district-2017", pages=1200, requests=1500)
        findings, scores = [], []
        for i, unit in enumerate(units):
            if (unit.code, as_of) == MISSING:
                continue
            by_rule: dict[str, int] = {}
            for p in _problems(i, unit.code, w, as_of):
                state = p.get("state", Finding.State.CONFIRMED)
                findings.append(Finding(
                    run=run, unit=unit, rule=p["rule"], points=p["points"], needs_review=p.get("needs_review", False),
                    state=state, url=p["url"], column_url=p["column_url"], message=p["message"],
                    evidence=p["evidence"], key=_key(site.pk, unit.code, p["rule"], p["url"], *p["ident"]),
                    manual=p.get("manual", False)))
                if state == Finding.State.CONFIRMED:
                    by_rule[p["rule"]] = by_rule.get(p["rule"], 0) + p["points"]
            deductions = -sum(v for v in by_rule.values() if v < 0)
            bonuses = sum(v for v in by_rule.values() if v > 0)
            scores.append(Score(run=run, unit=unit, deductions=deductions, bonuses=bonuses,
                                score=max(0, 100 - deductions) + bonuses, by_rule=by_rule))
        Finding.objects.bulk_create(findings)
        Score.objects.bulk_create(scores)
        runs.append(run)
    return Data(site=site, runs=runs, units=units)
