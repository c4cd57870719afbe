"""Read models for the pages: a fixed, small number of queries per page, whatever the
number of units or runs (the tests pin the counts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from govwatch.catalog.models import Site, Unit
from govwatch.monitoring.models import Finding, Run, Score
from govwatch.web.rulebooks import indicator_of, rulebook_for

TREND_RUNS = 12
LEVELS = {"warning": "预警", "warn": "预警", "veto": "否决", "ok": "正常", "info": "提示"}


def complete_runs(site):
    return Run.objects.filter(site=site, status=Run.Status.COMPLETE).order_by("-as_of", "-id")


def pick_site(site_id=None):
    sites = list(Site.objects.order_by("id"))
    if site_id:
        chosen = next((s for s in sites if str(s.pk) == str(site_id)), None)
        if chosen:
            return chosen, sites
    latest = Run.objects.filter(status=Run.Status.COMPLETE).order_by("-as_of", "-id").values_list("site_id", flat=True).first()
    chosen = next((s for s in sites if s.pk == latest), sites[0] if sites else None)
    return chosen, sites


def indicator_order(rulebook) -> list[str]:
    seen: list[str] = []
    for rule in rulebook.rules.values():
        if rule.indicator not in seen:
            seen.append(rule.indicator)
    return seen


def by_indicator(rulebook, by_rule: dict) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for rule_id, points in (by_rule or {}).items():
        out[indicator_of(rulebook, rule_id)] += points
    return dict(out)


@dataclass
class RankRow:
    rank: int
    unit: Unit
    score: int
    deductions: int
    bonuses: int
    change: int | None
    indicators: list[int | None]
    trend: list[float | None]
    coverage: dict | None = None  # checks.coverage JSON of the unit in this run


@dataclass
class Overview:
    site: Site | None
    sites: list
    run: Run | None = None
    previous: Run | None = None
    recent_runs: list = field(default_factory=list)
    rows: list[RankRow] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    trend_labels: list[str] = field(default_factory=list)
    overall_trend: list[float | None] = field(default_factory=list)
    best_trend: list[float | None] = field(default_factory=list)
    worst_trend: list[float | None] = field(default_factory=list)
    national: list[dict] = field(default_factory=list)
    pending: int = 0
    not_monitored: list[dict] = field(default_factory=list)  # {"unit": Unit, **coverage}: not scored, not ranked
    coverage_total: dict = field(default_factory=dict)  # coverage counts summed over the run's units


def national_rows(run: Run, rulebook) -> list[dict]:
    rows = []
    for item in run.national or []:
        if not isinstance(item, dict):
            rows.append({"id": "", "title": str(item), "level": "", "message": ""})
            continue
        rid = item.get("id") or item.get("rule") or item.get("indicator") or ""
        spec = rulebook.national.get(rid, {}) if hasattr(rulebook, "national") else {}
        level = str(item.get("level") or item.get("severity") or "")
        rows.append({
            "id": rid,
            "title": item.get("title") or spec.get("title") or rid,
            "level": LEVELS.get(level, level),
            "veto": level == "veto",
            "message": item.get("message") or item.get("summary") or "",
            "value": item.get("value", item.get("count", "")),
            "ok": level == "ok",
            "details": [_detail_text(d) for d in (item.get("details") or [])[:20] if d],
            "more": max(0, len(item.get("details") or []) - 20),
        })
    # Warnings and vetoes first; the indicators that are fine stay listed, quietly.
    rows.sort(key=lambda r: (r["ok"], not r["veto"]))
    return rows


def _detail_text(detail) -> str:
    if not isinstance(detail, dict):
        return str(detail)
    parts = [detail.get("unit"), detail.get("name") or detail.get("title"), detail.get("newest_item_date"),
             detail.get("url")]
    return " ".join(str(p) for p in parts if p)


def overview(user, site_id=None) -> Overview:
    from govwatch.web import roles

    site, sites = pick_site(site_id)
    ov = Overview(site=site, sites=sites)
    if site is None:
        return ov
    ov.recent_runs = list(
        Run.objects.filter(site=site).order_by("-id")
        .defer("stats", "warnings", "unverified", "national", "portal_findings", "not_configured", "unattributed")
        .annotate(pending_count=Count("findings", filter=Q(findings__state=Finding.State.PENDING)))[:5])
    runs = list(complete_runs(site).only("id", "as_of", "rulebook", "national", "unverified_count", "site_id")[:TREND_RUNS])
    if not runs:
        return ov
    ov.run = runs[0]
    ov.previous = runs[1] if len(runs) > 1 else None
    rulebook = rulebook_for(ov.run.rulebook)
    ov.indicators = indicator_order(rulebook)
    runs.reverse()  # oldest first, for the charts
    ov.trend_labels = [r.as_of.strftime("%m-%d") for r in runs]
    position = {r.pk: i for i, r in enumerate(runs)}

    see_all = roles.sees_all_units(user)
    own = roles.own_unit_ids(user) if not see_all else None
    trend: dict[int, list] = defaultdict(lambda: [None] * len(runs))
    latest: list[tuple] = []
    previous: dict[int, int] = {}
    for run_id, unit_id, score, deductions, bonuses, by_rule in (
            Score.objects.filter(run_id__in=list(position)).values_list(
                "run_id", "unit_id", "score", "deductions", "bonuses", "by_rule")):
        # Ranks come from every unit; only visible rows are kept below.
        trend[unit_id][position[run_id]] = score
        if run_id == ov.run.pk:
            latest.append((unit_id, score, deductions, bonuses, by_rule))
        elif ov.previous and run_id == ov.previous.pk:
            previous[unit_id] = score
    coverage = Run.objects.filter(pk=ov.run.pk).values_list("coverage", flat=True).first() or {}
    missed = {code: cov for code, cov in coverage.items() if not cov.get("monitored", True)}
    units = {u.pk: u for u in Unit.objects.filter(Q(pk__in=[row[0] for row in latest]) | Q(code__in=list(missed)))}
    latest.sort(key=lambda r: (-r[1], units[r[0]].code))
    rank, last_score = 0, None
    for i, (unit_id, score, deductions, bonuses, by_rule) in enumerate(latest, start=1):
        if score != last_score:
            rank, last_score = i, score
        if own is not None and unit_id not in own:
            continue
        per_ind = by_indicator(rulebook, by_rule)
        ov.rows.append(RankRow(
            rank=rank, unit=units[unit_id], score=score, deductions=deductions, bonuses=bonuses,
            change=score - previous[unit_id] if unit_id in previous else None,
            indicators=[per_ind.get(name) for name in ov.indicators], trend=trend[unit_id],
            coverage=coverage.get(units[unit_id].code)))
    # Units we could not read: listed apart, never ranked (checks.coverage).
    for unit in sorted((u for u in units.values() if u.code in missed), key=lambda u: u.code):
        if own is None or unit.pk in own:
            ov.not_monitored.append({"unit": unit, **missed[unit.code]})
    ov.coverage_total = {k: sum(int(c.get(k, 0)) for c in coverage.values())
                         for k in ("sections", "sections_reached", "columns", "columns_read", "pages_unverified")}
    visible_ids = {r.unit.pk for r in ov.rows}
    for i in range(len(runs)):
        vals = [trend[u][i] for u in visible_ids if trend[u][i] is not None]
        ov.overall_trend.append(round(sum(vals) / len(vals), 1) if vals else None)
        ov.best_trend.append(max(vals) if vals else None)
        ov.worst_trend.append(min(vals) if vals else None)
    if see_all:
        ov.national = national_rows(ov.run, rulebook)
    # Drop indicator columns with nothing in them, to keep the table readable.
    used = [i for i, _ in enumerate(ov.indicators) if any(r.indicators[i] for r in ov.rows)]
    ov.indicators = [ov.indicators[i] for i in used]
    for row in ov.rows:
        row.indicators = [row.indicators[i] for i in used]
    return ov


@dataclass
class UnitPage:
    unit: Unit
    run: Run | None
    runs: list
    score: Score | None
    indicators: list[dict]
    trend_labels: list[str]
    trend: list[float | None]
    coverage: dict | None = None  # the unit's coverage in `run`; monitored=false: not scored


def unit_page(unit: Unit, run_id=None) -> UnitPage:
    # Runs of the site(s) this unit has scores in; a single-site install has one site.
    scores = list(Score.objects.filter(unit=unit).select_related("run")
                  .only("id", "score", "deductions", "bonuses", "by_rule", "unit_id", "run_id", "run__id",
                        "run__as_of", "run__status", "run__rulebook", "run__site_id")
                  .order_by("run__as_of", "run_id"))
    runs = [s.run for s in scores if s.run.status == Run.Status.COMPLETE]
    # One query for the coverage to show: the runs in which the unit could not be monitored (no score,
    # but the page still shows them, and why) and the run asked for or the latest scored one.
    scored = {r.pk for r in runs}
    wanted = str(run_id) if run_id else (str(runs[-1].pk) if runs else "")
    shown = Q(coverage__has_key=unit.code) & ~Q(pk__in=list(scored))
    if wanted.isdigit():
        shown |= Q(pk=int(wanted))
    extra = list(Run.objects.filter(shown, status=Run.Status.COMPLETE)
                 .only("id", "as_of", "status", "rulebook", "site_id", "coverage"))
    coverage_of = {r.pk: (r.coverage or {}).get(unit.code) for r in extra}
    runs = sorted(runs + [r for r in extra if r.pk not in scored], key=lambda r: (r.as_of, r.pk))
    run = next((r for r in runs if str(r.pk) == str(run_id)), None) if run_id else None
    run = run or (runs[-1] if runs else None)
    score = next((s for s in scores if run and s.run_id == run.pk), None)
    indicators = []
    coverage = None
    if run is not None:
        coverage = coverage_of.get(run.pk)
        rulebook = rulebook_for(run.rulebook)
        by_ind = by_indicator(rulebook, score.by_rule if score else {})
        for name in indicator_order(rulebook):
            rules = [r for r in rulebook.rules.values() if r.indicator == name]
            indicators.append({
                "name": name, "points": by_ind.get(name, 0),
                "rules": [{"id": r.id, "title": r.title, "points": (score.by_rule or {}).get(r.id, 0) if score else 0}
                          for r in rules],
            })
    recent = [s for s in scores if s.run.status == Run.Status.COMPLETE][-52:]
    return UnitPage(unit=unit, run=run, runs=list(reversed(runs)), score=score, indicators=indicators,
                    trend_labels=[s.run.as_of.strftime("%m-%d") for s in recent],
                    trend=[s.score for s in recent], coverage=coverage)


def column_choices(site_id, urls) -> list[tuple[str, str]]:
    """Filter choices for the columns that carry findings: a person picks a column by its name, not its URL."""
    from govwatch.catalog.models import Column

    names = dict(Column.objects.filter(site_id=site_id, url__in=urls).values_list("url", "name"))
    seen: dict[str, int] = {}
    for url in urls:
        name = names.get(url) or url
        seen[name] = seen.get(name, 0) + 1
    choices = []
    for url in urls:
        name = names.get(url) or url
        # Two columns of one unit may share a name (两个“通知公告”); the path tells them apart.
        label = f"{name}（{url.split('://', 1)[-1].split('/', 1)[-1]}）" if seen[name] > 1 else name
        choices.append((url, label))
    return sorted(choices, key=lambda c: c[1])


def column_name(site_id, url) -> str | None:
    from govwatch.catalog.models import Column

    if not url:
        return None
    return Column.objects.filter(site_id=site_id, url=url).values_list("name", flat=True).first()
