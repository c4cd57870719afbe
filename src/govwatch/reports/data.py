"""What each report says, read from the database as plain dicts.

The Word templates, the Excel sheets and the tests all read these contexts,
so a number in a document is the number computed here once. Run scores come
from `monitoring.exports.scores_export`, so every figure equals the scores export.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache

from govwatch.lib.errors import GovwatchError
from govwatch.reports import cn
from govwatch.reports.aggregate import Grid, competition_rank, quarter_scores

NO_RECTIFICATION = "暂无整改数据"
DEFAULT_ISSUER = "区政务公开领导小组办公室"


# ---------------------------------------------------------------------------
# Rule wording


@lru_cache(maxsize=8)
def _rulebook(name: str):
    from govwatch.rulebook import load_rulebook

    try:
        return load_rulebook(name)
    except Exception:  # a run whose custom rulebook file is gone still gets the default wording
        return load_rulebook()


def rule_title(rule: str, rulebook: str = "district-2017") -> str:
    rb = _rulebook(rulebook)
    return rb.rules[rule].title if rule in rb.rules else rule


def rule_indicator(rule: str, rulebook: str = "district-2017") -> str:
    rb = _rulebook(rulebook)
    return rb.rules[rule].indicator if rule in rb.rules else "其他"


def evidence_excerpt(evidence: dict, limit: int = 160, rulebook: str = "district-2017") -> str:
    """The evidence on one line through the one presenter: Chinese labels and dates, no archive pointer."""
    from govwatch.lib.evidence import cn_date, summary

    return summary(evidence, rulebook=_rulebook(rulebook), date_text=cn_date, limit=limit)


# ---------------------------------------------------------------------------
# Runs and periods


def previous_complete_run(run):
    from govwatch.monitoring.models import Run

    return (Run.objects.filter(site=run.site, status=Run.Status.COMPLETE, as_of__lt=run.as_of)
            .order_by("-as_of", "-id").first())


def period_runs(start: dt.date, end: dt.date, site=None) -> list:
    """The complete runs of one site in [start, end], one per as-of date (the latest).

    Without a site, the site of the period's most recent run: two portals'
    weekly scores must not be averaged together.
    """
    from govwatch.monitoring.models import Run

    qs = Run.objects.filter(status=Run.Status.COMPLETE, as_of__gte=start, as_of__lte=end)
    if site is None:
        last = qs.order_by("-as_of", "-id").first()
        if last is None:
            return []
        site = last.site
    by_date = {}
    for run in qs.filter(site=site).order_by("as_of", "id"):
        by_date[run.as_of] = run
    return [by_date[d] for d in sorted(by_date)]


def build_grid(runs: list, start: dt.date, end: dt.date) -> Grid:
    """Weekly scores of `runs`, with each unit's figures for the period [start, end] so far."""
    from govwatch.monitoring.models import Score
    from govwatch.monitoring.quarters import so_far

    grid = Grid(dates=[r.as_of for r in runs], run_ids=[r.pk for r in runs], names={})
    for s in Score.objects.filter(run__in=runs).select_related("run", "unit"):
        grid.names[s.unit.code] = s.unit.name
        grid.cells.setdefault(s.unit.code, {})[s.run.as_of] = s.score
    weekly = [(d, u, v) for u, cells in grid.cells.items() for d, v in cells.items()]
    grid.periods = {p.unit: p for p in quarter_scores(weekly, grid.dates, period=so_far(start, end))}
    return grid


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date, int, int]:
    from govwatch.lib.dates import parse_quarter

    start, end = parse_quarter(quarter)
    return start, end, start.year, (start.month - 1) // 3 + 1


def _ranked_scores(run) -> list[dict]:
    from govwatch.monitoring.exports import scores_export

    # Units not effectively monitored have no score: they are listed apart, never ranked.
    rows = [r for r in scores_export(run) if r["score"] is not None]
    ranks = competition_rank([(r["unit"], r["score"]) for r in rows])
    for r in rows:
        r["rank"] = ranks[r["unit"]]
    return rows


def _finding_row(f, rulebook: str) -> dict:
    return {
        "id": f.pk, "unit": f.unit.code if f.unit else None, "name": f.unit.name if f.unit else "",
        "rule": f.rule, "title": rule_title(f.rule, rulebook), "indicator": rule_indicator(f.rule, rulebook),
        "points": f.points, "state": f.state, "message": f.message, "url": f.url, "column_url": f.column_url,
        "evidence": f.evidence, "excerpt": evidence_excerpt(f.evidence), "key": f.key,
    }


def new_finding_keys(run) -> tuple[set[str], set[str]]:
    """(keys new since the previous complete run, of those the keys seen in some earlier run: come back)."""
    from govwatch.monitoring.models import Finding, Run

    current = set(run.findings.exclude(state=Finding.State.DISMISSED).values_list("key", flat=True))
    prev = previous_complete_run(run)
    before = set()
    if prev is not None:
        before = set(prev.findings.exclude(state=Finding.State.DISMISSED).values_list("key", flat=True))
    new = current - before
    earlier_runs = Run.objects.filter(site=run.site, status=Run.Status.COMPLETE, as_of__lt=run.as_of)
    if prev is not None:
        earlier_runs = earlier_runs.exclude(pk=prev.pk)
    returned = set(Finding.objects.filter(run__in=earlier_runs, key__in=new)
                   .exclude(state=Finding.State.DISMISSED).values_list("key", flat=True))
    return new, returned


# ---------------------------------------------------------------------------
# Weekly bulletin


def weekly_context(run) -> dict:
    from govwatch.monitoring.models import Finding

    if run.status != run.Status.COMPLETE:
        raise GovwatchError(f"监测运行 {run.pk} 未完成（{run.get_status_display()}），不能生成周监测结果")
    rows = _ranked_scores(run)
    findings = [_finding_row(f, run.rulebook) for f in run.findings.select_related("unit")
                .filter(state=Finding.State.CONFIRMED, unit__isnull=False).order_by("unit__code", "rule", "url", "id")]
    by_unit = defaultdict(list)
    for f in findings:
        by_unit[f["unit"]].append(f)
    units = []
    for r in sorted(rows, key=lambda r: (r["rank"], r["unit"])):
        items = by_unit.get(r["unit"], [])
        deductions = [f for f in items if f["points"] < 0]
        if not deductions:
            continue
        units.append({**r, "items": deductions, "count": len(deductions),
                      "bonus_items": [f for f in items if f["points"] > 0]})
    new, returned = new_finding_keys(run)
    news = []
    for f in run.findings.select_related("unit").filter(key__in=new, unit__isnull=False, points__lt=0) \
            .exclude(state=Finding.State.DISMISSED).order_by("unit__code", "rule", "url", "id"):
        row = _finding_row(f, run.rulebook)
        row["returned"] = f.key in returned
        row["status"] = "再次出现" if row["returned"] else "新增"
        if f.state == Finding.State.PENDING:
            row["status"] += "（待复核）"
        news.append(row)
    scores = [r["score"] for r in rows]
    prev = previous_complete_run(run)
    return {
        "kind": "weekly",
        "title": "政府门户网站内容保障周监测结果",
        "site": run.site.name,
        "run": run.pk,
        "as_of": run.as_of.isoformat(),
        "as_of_text": cn.ymd(run.as_of),
        "as_of_cn": cn.cn_date(run.as_of),
        "period_text": f"{cn.ymd(run.cycle_start + dt.timedelta(days=1))}至{cn.ymd(run.as_of)}",
        "previous_text": cn.ymd(prev.as_of) if prev else "无（首次监测）",
        "unit_count": len(rows),
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
        "full_marks": sum(1 for s in scores if s >= 100),
        "deducted_units": len(units),
        "ranking": rows,
        "units": units,
        "new_problems": news,
        "new_count": sum(1 for n in news if not n["returned"]),
        "returned_count": sum(1 for n in news if n["returned"]),
        "pending_count": run.findings.filter(state=Finding.State.PENDING).count(),
        "not_configured": "、".join(u["name"] for u in run.not_configured) or "无",
        "unverified_count": run.unverified_count,
        "chart_rows": [(r["name"], r["score"]) for r in rows],
        **coverage_context(run),
    }


# ---------------------------------------------------------------------------
# Quarterly report


def period_context(runs: list, *, label: str, start: dt.date, end: dt.date, threshold: float) -> dict:
    from govwatch.monitoring.models import Finding

    if not runs:
        raise GovwatchError(f"{label}没有已完成的监测运行")
    grid = build_grid(runs, start, end)
    rulebook = runs[-1].rulebook
    ranking = []
    for code in grid.units:
        p = grid.periods[code]
        ranking.append({
            "rank": p.rank if p.rank is not None else "—", "unit": code, "name": grid.names[code],
            "mean": p.mean, "mean_text": "未监测" if p.mean is None else f"{p.mean:.2f}",
            "weeks": p.weeks, "missing": [d.isoformat() for d in p.missing],
            "missing_text": "、".join(cn.md(d) for d in p.missing) or "无",
            "weekly": [grid.cells[code].get(d) for d in grid.dates],
        })
    confirmed = list(Finding.objects.filter(run__in=runs, state=Finding.State.CONFIRMED, unit__isnull=False)
                     .select_related("unit", "run").order_by("run__as_of", "unit__code", "rule", "url", "id"))
    deductions = [f for f in confirmed if f.points < 0]
    per_rule: dict[str, dict] = {}
    for f in deductions:
        s = per_rule.setdefault(f.rule, {"rule": f.rule, "title": rule_title(f.rule, rulebook),
                                         "indicator": rule_indicator(f.rule, rulebook), "count": 0, "points": 0,
                                         "units": set(), "sample": None})
        s["count"] += 1
        s["points"] += f.points
        s["units"].add(f.unit.code)
        s["sample"] = f  # the latest occurrence: the one most likely still on the site
    indicators = sorted(per_rule.values(), key=lambda s: (s["points"], s["rule"]))
    for s in indicators:
        s["unit_count"] = len(s.pop("units"))
    typical = []
    for s in sorted(indicators, key=lambda s: (-s["count"], s["rule"]))[:6]:
        f = s.pop("sample")
        typical.append({"title": s["title"], "indicator": s["indicator"], "count": s["count"],
                        "name": f.unit.name, "message": f.message, "url": f.url,
                        "excerpt": evidence_excerpt(f.evidence) or "（无）", "as_of_text": cn.ymd(f.run.as_of)})
    for s in indicators:
        s.pop("sample", None)
    by_unit_rules: dict[str, Counter] = defaultdict(Counter)
    for f in deductions:
        by_unit_rules[f.unit.code][rule_title(f.rule, rulebook)] += 1
    below = []
    for r in ranking:
        if r["mean"] is not None and r["mean"] < threshold:
            top = by_unit_rules.get(r["unit"], Counter()).most_common(3)
            below.append({**r, "problems": "；".join(f"{t}{n}次" for t, n in top) or "—"})
    means = [r["mean"] for r in ranking if r["mean"] is not None]
    week_means = [grid.week_mean(d) for d in grid.dates]
    best = [r for r in ranking if r["rank"] == 1]
    worst = sorted((r for r in ranking if r["mean"] is not None), key=lambda r: (r["mean"], r["unit"]))[:3]
    rect = rectification_summary(runs, deductions)
    return {
        "label": label,
        "site": runs[-1].site.name,
        "start_text": cn.ymd(start), "end_text": cn.ymd(end),
        "run_count": len(runs),
        "run_dates_text": "、".join(cn.md(d) for d in grid.dates),
        "dates": [d.isoformat() for d in grid.dates],
        "date_labels": [cn.md(d) for d in grid.dates],
        "unit_count": len(ranking),
        "mean_score": _two(grid.overall_mean()),
        "max_score": _two(max(means) if means else None),
        "min_score": _two(min(means) if means else None),
        "best_text": "、".join(r["name"] for r in best) or "无",
        "worst_text": "、".join(f"{r['name']}（{r['mean_text']}分）" for r in worst) or "无",
        "missing_units": [r for r in ranking if r["missing"]],
        **period_coverage_context(runs),
        "threshold": int(threshold) if float(threshold).is_integer() else threshold,
        "ranking": ranking,
        "week_means": week_means,
        "indicators": indicators,
        "finding_count": len(deductions),
        "deducted_points": -sum(f.points for f in deductions),
        "below": below,
        "below_count": len(below),
        "typical": typical,
        "rectification": rect,
        "rectification_text": rect["text"],
        "_grid": grid,
    }


def coverage_context(run) -> dict:
    """What the weekly bulletin says about coverage: totals, and each unit not effectively monitored."""
    from govwatch.catalog.models import Unit
    from govwatch.checks.coverage import coverage_line
    from govwatch.monitoring.coverage import unmonitored

    coverage = run.coverage or {}
    total = {k: sum(int(c.get(k, 0)) for c in coverage.values())
             for k in ("sections", "sections_reached", "columns", "columns_read", "pages_unverified")}
    missed = unmonitored(run)
    names = dict(Unit.objects.filter(code__in=list(missed)).values_list("code", "name"))
    rows = [{"unit": code, "name": names.get(code, code), "reason": cov.get("reason") or "",
             "advice": cov.get("advice") or "", "line": coverage_line(cov)} for code, cov in sorted(missed.items())]
    return {"coverage_text": coverage_line({**total, "monitored": True}) if coverage else "无覆盖记录",
            "not_monitored": rows, "not_monitored_count": len(rows)}


def period_coverage_context(runs: list) -> dict:
    """Units with weeks in which they could not be monitored effectively (those weeks are not averaged)."""
    from govwatch.catalog.models import Unit
    from govwatch.monitoring.coverage import unmonitored

    weeks: dict[str, list[dt.date]] = defaultdict(list)
    for run in runs:
        for code in unmonitored(run):
            weeks[code].append(run.as_of)
    names = dict(Unit.objects.filter(code__in=list(weeks)).values_list("code", "name"))
    rows = [{"unit": code, "name": names.get(code, code), "weeks": len(days),
             "weeks_text": "、".join(cn.md(d) for d in days)} for code, days in sorted(weeks.items())]
    return {"not_monitored_units": rows}


def _two(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def quarterly_context(quarter: str, *, threshold: float = 90, site=None) -> dict:
    start, end, year, q = quarter_bounds(quarter)
    runs = period_runs(start, end, site)
    label = cn.quarter_name(year, q)
    ctx = period_context(runs, label=label, start=start, end=end, threshold=threshold)
    ctx.update({"kind": "quarterly", "quarter": f"{year}Q{q}", "title": f"{label}政府门户网站内容保障监测报告"})
    return ctx


# ---------------------------------------------------------------------------
# Rectification (整改)


def _web_model(name: str):
    from django.apps import apps

    try:
        return apps.get_model("web", name)
    except LookupError:
        return None


def _web_answers(web, runs: list, per_unit: dict) -> tuple[int, int]:
    answers = surveys = 0
    last = runs[-1]
    for r in web.objects.filter(finding__run__in=runs).select_related("finding__unit"):
        if r.finding.unit is None or r.finding.unit.code not in per_unit:
            continue
        per_unit[r.finding.unit.code]["fixed" if r.kind == "fixed" else "appeal"] += 1
        answers += 1
    survey = _web_model("Survey")
    if survey is not None:
        for sv in survey.objects.filter(unit__code__in=list(per_unit), submitted_at__isnull=False,
                                        submitted_at__date__gte=runs[0].cycle_start,
                                        submitted_at__date__lte=last.as_of).select_related("unit"):
            per_unit[sv.unit.code]["survey"] = "已提交"
            surveys += 1
    return answers, surveys


def survey_contradictions(runs: list) -> list[dict]:
    """Each submitted 附件4 answer of the period that the monitor's confirmed findings contradict."""
    from govwatch.monitoring.surveycheck import contradictions

    survey = _web_model("Survey")
    if survey is None or not runs:
        return []
    out = []
    for sv in survey.objects.filter(submitted_at__isnull=False, submitted_at__date__gte=runs[0].cycle_start,
                                    submitted_at__date__lte=runs[-1].as_of).select_related("unit") \
            .order_by("unit__code", "period"):
        for q in contradictions(sv, survey.QUESTIONS):
            out.append({"unit": sv.unit.code, "name": sv.unit.name, "period": sv.period, "question": q.label,
                        "answer": q.answer_label, "reason": q.verdict.reason,
                        "links": [{"text": f.message, "url": f.url} for f in q.verdict.findings]
                        or [{"text": c.name or c.url, "url": c.url} for c in q.verdict.columns]})
    return out


def rectification_summary(runs: list, deductions: list) -> dict:
    """What became of the period's problems.

    Measured by monitoring itself: each distinct problem (Finding.key) is either
    gone from the latest run or still there. Answered by the units: 已整改 / 申诉
    answers and submitted 整改调查表 from the web app's models, when the web app
    is installed; otherwise the report says 暂无整改数据.
    """
    from govwatch.monitoring.models import Finding

    last = runs[-1]
    still = set(last.findings.exclude(state=Finding.State.DISMISSED).values_list("key", flat=True))
    per_unit: dict[str, dict] = {}
    for f in deductions:
        u = per_unit.setdefault(f.unit.code, {"unit": f.unit.code, "name": f.unit.name, "keys": set(),
                                              "fixed": 0, "appeal": 0, "survey": "—"})
        u["keys"].add(f.key)
    answers = 0
    surveys = 0
    contradicted: list[dict] = []
    web = _web_model("Rectification")
    if web is not None:
        from django.db import transaction

        try:
            with transaction.atomic():  # a savepoint: a failed query must not poison the caller's transaction
                answers, surveys = _web_answers(web, runs, per_unit)
                contradicted = survey_contradictions(runs)
        except Exception:  # an incompatible or unmigrated web app must not stop the quarterly report
            answers = surveys = 0
            contradicted = []
            for u in per_unit.values():
                u.update(fixed=0, appeal=0, survey="—")
    rows = []
    for code in sorted(per_unit):
        u = per_unit[code]
        keys = u.pop("keys")
        found, remaining = len(keys), len(keys & still)
        rows.append({**u, "found": found, "remaining": remaining, "resolved": found - remaining})
    found = sum(r["found"] for r in rows)
    remaining = sum(r["remaining"] for r in rows)
    measured = (f"本期共发现扣分问题{found}个（同一问题多次监测只计一次），截至{cn.ymd(last.as_of)}监测，"
                f"已消除{found - remaining}个，仍存在{remaining}个。") if rows else "本期未发现扣分问题。"
    if answers or surveys:
        fixed = sum(r["fixed"] for r in rows)
        appeal = sum(r["appeal"] for r in rows)
        answered = f"各单位答复已整改{fixed}个、申诉{appeal}个；{surveys}个单位提交了网站整改调查表。"
        available = True
    else:
        answered = f"单位整改答复：{NO_RECTIFICATION}。"
        available = False
    if contradicted:
        answered += (f"经与监测结果核对，{len({c['unit'] for c in contradicted})}个单位的整改调查表"
                     f"共{len(contradicted)}项勾选与监测结果矛盾（见下表）。")
    return {"available": available, "rows": rows, "text": measured + answered, "contradictions": contradicted}


# ---------------------------------------------------------------------------
# Circular (通报)


def circular_context(*, run=None, quarter: str | None = None, threshold: float | None = None,
                     doc_number: str | None = None, issued: dt.date | None = None,
                     issuer: str = DEFAULT_ISSUER) -> dict:
    """Units named in the circular: for a run, those with a confirmed deduction (or below `threshold`);
    for a quarter, those whose quarter mean is below `threshold` (default 90)."""
    from govwatch.monitoring.models import Finding

    named = []
    if run is not None:
        w = weekly_context(run)
        period = f"{w['period_text']}（{w['as_of_text']}监测）"
        # The ranking's order, as in the weekly results and the quarterly report: best first.
        for u in sorted(w["units"], key=lambda u: (-u["score"], u["unit"])):
            if threshold is not None and u["score"] >= threshold:
                continue
            named.append({"name": u["name"], "unit": u["unit"], "score_text": f"{u['score']}分",
                          "problems": [{"text": f["message"], "url": f["url"], "points": f["points"]} for f in u["items"]]})
        year = run.as_of.year
        who = f"得分低于{threshold:g}分" if threshold is not None else "存在扣分问题"
        intro = f"本次监测{who}的{len(named)}个单位"
        subject = f"{cn.ymd(run.as_of)}政府门户网站内容保障监测情况"
        summary = (f"{cn.ymd(run.as_of)}，我办对{w['unit_count']}个单位的政府门户网站内容保障情况进行了监测，"
                   f"平均得分{w['mean_score']}分，{w['full_marks']}个单位得满分，{w['deducted_units']}个单位被扣分。")
        site = w["site"]
        issued = issued or run.as_of
    elif quarter:
        threshold = 90 if threshold is None else threshold
        q = quarterly_context(quarter, threshold=threshold)
        period = q["label"]
        runs = period_runs(*quarter_bounds(quarter)[:2])
        for b in q["below"]:
            seen, problems = set(), []
            for f in (Finding.objects.filter(run__in=runs, unit__code=b["unit"], state=Finding.State.CONFIRMED,
                                             points__lt=0).order_by("-run__as_of", "rule", "url", "id")):
                if f.key in seen:
                    continue
                seen.add(f.key)
                problems.append({"text": f.message, "url": f.url, "points": f.points})
            named.append({"name": b["name"], "unit": b["unit"], "score_text": f"季度平均{b['mean_text']}分",
                          "problems": problems[:10]})
        year = q["_grid"].dates[-1].year
        intro = f"{q['label']}平均得分低于{threshold:g}分的{len(named)}个单位"
        subject = f"{q['label']}政府门户网站内容保障监测情况"
        summary = (f"{q['label']}，我办对{q['unit_count']}个单位的政府门户网站内容保障情况开展了{q['run_count']}次监测，"
                   f"各单位季度平均得分{q['mean_score']}分，{q['below_count']}个单位平均得分低于{threshold:g}分。")
        site = q["site"]
        issued = issued or quarter_bounds(quarter)[1]
    else:
        raise GovwatchError("通报需要 --run 或 --quarter")
    from govwatch.lib.clock import today_shanghai

    issued = issued or today_shanghai()
    return {
        "kind": "circular",
        "issuer": issuer,
        "doc_number": doc_number or f"〔{issued.year}〕　号",
        "title": f"关于{subject}的通报",
        "subject": subject,
        "site": site,
        "period": period,
        "summary": summary,
        "named": named,
        "named_count": len(named),
        "named_intro": intro,
        "named_text": "、".join(n["name"] for n in named) or "无",
        "date_cn": cn.cn_date(issued),
        "issued": issued.isoformat(),
        "year": year,
    }


# ---------------------------------------------------------------------------
# Year


def annual_context(year: int, *, site=None) -> dict:
    from govwatch.monitoring.models import Finding

    runs = period_runs(dt.date(year, 1, 1), dt.date(year, 12, 31), site)
    if not runs:
        raise GovwatchError(f"{year}年没有已完成的监测运行")
    grid = build_grid(runs, dt.date(year, 1, 1), dt.date(year, 12, 31))
    quarters = []
    for q in range(1, 5):
        qruns = [r for r in runs if (r.as_of.month - 1) // 3 + 1 == q]
        quarters.append(build_grid(qruns, *quarter_bounds(f"{year}Q{q}")[:2]) if qruns else None)
    rulebook = runs[-1].rulebook
    indicator_names: list[str] = []
    ded: dict[str, Counter] = defaultdict(Counter)
    counts: Counter = Counter()
    for f in Finding.objects.filter(run__in=runs, state=Finding.State.CONFIRMED, unit__isnull=False, points__lt=0) \
            .select_related("unit"):
        ind = rule_indicator(f.rule, rulebook)
        if ind not in indicator_names:
            indicator_names.append(ind)
        ded[f.unit.code][ind] += -f.points
        counts[f.unit.code] += 1
    order: dict[str, int] = {}
    for i, r in enumerate(_rulebook(rulebook).rules.values()):
        order.setdefault(r.indicator, i)
    indicator_names.sort(key=lambda n: order.get(n, 99))
    rows = []
    for code in grid.units:
        p = grid.periods[code]
        qmeans = []
        for g in quarters:
            qp = g.periods.get(code) if g else None
            qmeans.append(qp.mean if qp else None)
        rows.append({"unit": code, "name": grid.names[code], "quarters": qmeans, "mean": p.mean, "rank": p.rank,
                     "weeks": p.weeks, "missing": len(p.missing), "findings": counts[code],
                     "deductions": [ded[code][n] for n in indicator_names]})
    return {"kind": "annual", "year": year, "site": runs[-1].site.name, "rows": rows,
            "indicators": indicator_names, "_grid": grid, "run_count": len(runs)}
