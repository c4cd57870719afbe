"""Monitoring data for the web tests and the web benchmark, created directly as rows.

41 units from the bundled rulebook (附件1), runs with findings of many rules carrying
realistic Chinese messages and evidence, some of them pointing at a small WARC file
written with warcio, and scores computed by the real scoring service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from govwatch.catalog.models import Site, Unit
from govwatch.crawl.warc import WarcStore
from govwatch.monitoring import runs as run_records
from govwatch.monitoring.scores import SYSTEM, recompute_scores
from govwatch.monitoring.models import Finding, Run
from govwatch.rulebook import load_rulebook

HOME = "http://www.junshan.test/"
SLUGS = {"0107": "czj", "0302": "gaj"}

# An archived page that would set a flag if any of its scripts ran.
ARCHIVED_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于做好2026年冬季安全生产工作的通知</title>
<base href="http://evil.test/">
<script>document.documentElement.setAttribute('data-pwned', 'script'); window.gwPwned = 1;</script>
<meta http-equiv="refresh" content="0;url=http://evil.test/">
</head>
<body onload="document.documentElement.setAttribute('data-pwned','onload')">
<h1>关于做好2026年冬季安全生产工作的通知</h1>
<p>各科室：为切实做好冬季安全生产工作，请各单位认真组织人员按装消防设施，确保不留死角。</p>
<p>附件：<a href="http://www.junshan.test/czj/tzgg/fj/anquan.doc">安全检查表.doc</a>
 <a href="javascript:document.documentElement.setAttribute('data-pwned','href')">点此查看</a></p>
<img src="x" onerror="document.documentElement.setAttribute('data-pwned','onerror')">
<iframe src="http://evil.test/frame.html"></iframe>
<p>君山区财政局<br>2026年11月20日</p>
</body></html>"""

TYPO_WRONG, TYPO_RIGHT = "按装", "安装"
BROKEN_TARGET = "http://www.junshan.test/czj/tzgg/fj/anquan.doc"


def seed_units() -> list[Unit]:
    run_records.seed_units(load_rulebook())
    return list(Unit.objects.order_by("code"))


def make_site(config_text: str = "") -> Site:
    site, _ = Site.objects.get_or_create(home=HOME, defaults={"name": "君山区人民政府门户网站", "config_text": config_text})
    return site


def write_warc(run_dir: Path, url: str, html: str, status: int = 200) -> str:
    store = WarcStore(Path(run_dir))
    try:
        return store.write_response(url, status, "OK", [("Content-Type", "text/html; charset=utf-8")],
                                    html.encode("utf-8"))
    finally:
        store.close()


def _key(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()  # Finding.key is 64 chars


def _slug(code: str) -> str:
    return SLUGS.get(code, f"u{code}")


def _column_findings(unit: Unit, as_of: dt.date, rng: random.Random) -> list[dict]:
    base = f"{HOME}{_slug(unit.code)}/"
    out = []
    if unit.code in SLUGS or rng.random() < 0.6:  # the fixture units always have one
        days = rng.randint(11, 60)
        newest = as_of - dt.timedelta(days=days)
        out.append(dict(rule="stale.news", points=-5, url=f"{base}gzdt/", column_url=f"{base}gzdt/",
                        message=f"动态要闻类栏目“工作动态”超过10天未更新（最新信息 {newest}，已 {days} 天）",
                        evidence={"newest_item_date": newest.isoformat(), "days": days}))
    if rng.random() < 0.25:
        out.append(dict(rule="blank.column", points=-10, url=f"{base}rsxx/", column_url=f"{base}rsxx/",
                        message="空白栏目“人事信息”：栏目中没有任何信息", evidence={"placeholder": "暂无信息"}))
    for i in range(rng.randint(0, 3)):
        target = f"{base}fj/file{i}.doc"
        out.append(dict(rule="error.broken_link", points=-1, url=f"{base}tzgg/t{i}.html", column_url=f"{base}tzgg/",
                        message=f"错链接：{target}（HTTP 404）",
                        evidence={"target": target, "http_status": 404, "reason": "HTTP 404",
                                  "carriers": [f"{base}tzgg/t{i}.html"]}))
    if rng.random() < 0.5:
        element = rng.choice(["办理时间", "联系电话", "设定依据", "办理流程"])
        out.append(dict(rule="guide.missing_element", points=-1, url=f"{base}bszn/g1.html", column_url=f"{base}bszn/",
                        message=f"办事指南《城乡居民最低生活保障申请》缺少要素：{element}", evidence={"element": element}))
    if rng.random() < 0.3:
        out.append(dict(rule="consult.unanswered_7d", points=-10, url=f"{base}zxzx/q1.html", column_url=f"{base}zxzx/",
                        message="政务咨询“关于农村危房改造补助的咨询”7日内未予以回复且未申请延期（已 9 天）",
                        evidence={"asked": (as_of - dt.timedelta(days=9)).isoformat(), "days": 9}))
    if rng.random() < 0.4:
        out.append(dict(rule="timeliness.news", points=-1, url=f"{base}gzdt/t5.html", column_url=f"{base}gzdt/",
                        message="动态要闻未在24小时内公开：事件日期 11月18日，发布日期 11月21日",
                        evidence={"event_date": (as_of - dt.timedelta(days=9)).isoformat(),
                                  "published_at": (as_of - dt.timedelta(days=6)).isoformat()}))
    if rng.random() < 0.5:
        out.append(dict(rule="error.typo", points=-1, url=f"{base}tzgg/t9.html", column_url=f"{base}tzgg/",
                        needs_review=True, state="pending",
                        message="疑似错别字：“按装”应为“安装”", evidence={"wrong": "按装", "right": "安装",
                                                                       "context": "组织人员按装消防设施"}))
    for i in range(rng.randint(0, 3)):
        out.append(dict(rule="bonus.news", points=1, url=f"{base}gzdt/n{i}.html", column_url=f"{base}gzdt/",
                        message=f"动态要闻类栏目周期内更新：第 {i + 1} 条", evidence={}))
    return out


def make_run(site: Site, as_of: dt.date, units: list[Unit], *, run_dir: Path | None = None, seed: int = 0,
             status: str = Run.Status.COMPLETE, score: bool = True, special: bool = True) -> Run:
    """One run with findings for every unit. With `special`, unit 0107 gets the archived typo
    and broken-link findings whose evidence points at a WARC record under run_dir."""
    rng = random.Random(seed)
    run = Run.objects.create(site=site, as_of=as_of, cycle_start=as_of - dt.timedelta(days=7), status=status,
                             rulebook="district-2017", run_dir=str(run_dir or ""), pages=1200,
                             unverified_count=rng.randint(0, 3),
                             national=[{"id": "national.blank_columns", "title": "空白栏目过多", "level": "warning",
                                        "message": "全站空白栏目 4 个（达到预警线 3 个）", "value": 4}])
    rows = []
    for unit in units:
        for spec in _column_findings(unit, as_of, rng):
            rows.append(Finding(run=run, unit=unit, rule=spec["rule"], points=spec["points"],
                                needs_review=spec.get("needs_review", False), state=spec.get("state", "confirmed"),
                                url=spec["url"], column_url=spec["column_url"], message=spec["message"],
                                evidence=spec["evidence"], key=_key(run.pk, unit.code, spec["rule"], spec["url"], len(rows))))
    if special and run_dir is not None:
        unit = next(u for u in units if u.code == "0107")
        page = f"{HOME}czj/tzgg/t20261120_1.html"
        pointer = write_warc(Path(run_dir), page, ARCHIVED_HTML)
        rows.append(Finding(run=run, unit=unit, rule="error.typo", points=-1, needs_review=True, state="pending",
                            url=page, column_url=f"{HOME}czj/tzgg/", key=f"typo-{run.pk}",
                            message=f"疑似错别字：“{TYPO_WRONG}”应为“{TYPO_RIGHT}”",
                            evidence={"wrong": TYPO_WRONG, "right": TYPO_RIGHT, "context": "组织人员按装消防设施",
                                      "warc": pointer}))
        rows.append(Finding(run=run, unit=unit, rule="error.broken_link", points=-1, needs_review=False,
                            state="confirmed", url=page, column_url=f"{HOME}czj/tzgg/", key=f"link-{run.pk}",
                            message=f"错链接：{BROKEN_TARGET}（HTTP 404）",
                            evidence={"target": BROKEN_TARGET, "http_status": 404, "reason": "HTTP 404",
                                      "carriers": [page], "warc": pointer}))
    Finding.objects.bulk_create(rows, batch_size=1000)
    if score and status == Run.Status.COMPLETE:
        recompute_scores(run, actor_label=SYSTEM, reason="测试数据")
    return run


def make_world(run_dir: Path, as_of: dt.date = dt.date(2026, 11, 27), runs: int = 2) -> dict:
    """A site, the 41 units and `runs` weekly runs (the last one has the archived evidence)."""
    units = seed_units()
    site = make_site()
    made = []
    for i in range(runs):
        day = as_of - dt.timedelta(days=7 * (runs - 1 - i))
        last = i == runs - 1
        made.append(make_run(site, day, units, run_dir=run_dir if last else None, seed=i, special=last))
    return {"site": site, "units": {u.code: u for u in units}, "runs": made, "run": made[-1]}
