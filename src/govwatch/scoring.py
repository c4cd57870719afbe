"""Scores from findings: base, floor, per-rule caps, monthly bonus caps, quarter means.

Pure and deterministic: recomputing from the same findings gives the same answer.
`score = max(floor, base - deductions) + bonuses`, over `confirmed` findings only
(docs/rules.md "Scores"; INTERFACES.md §4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from govwatch.facts import Finding
from govwatch.rulebook import Rulebook

CONFIRMED = "confirmed"
PENDING = "pending"


@dataclass
class UnitScore:
    unit: str
    name: str
    deductions: int  # positive: the sum of |negative points| after caps
    bonuses: int  # after the monthly cap
    score: int
    by_rule: dict[str, int] = field(default_factory=dict)  # rule -> signed points after caps
    findings: int = 0  # confirmed findings counted
    pending: int = 0  # findings still waiting for a reviewer (not counted)


@dataclass
class QuarterScore:
    unit: str
    mean: float | None  # None when the unit has no score in any run of the quarter
    weeks: int  # runs with a score for the unit
    missing: list[dt.date] = field(default_factory=list)  # runs (or weeks) without a score: never counted as 100
    rank: int | None = None


def _capped(rule_id: str, raw: int, rulebook: Rulebook, prior: Mapping[tuple[str, str], int], unit: str) -> int:
    rule = rulebook.rules.get(rule_id)
    if rule is None:
        return raw  # a rule this rulebook does not know (an older rulebook's finding): no cap to apply
    value = raw
    if rule.cap is not None:
        value = max(value, -rule.cap) if value < 0 else min(value, rule.cap)
    monthly_cap = rule.get("monthly_cap")
    if monthly_cap is not None and value > 0:
        # The month's earlier runs already used part of the cap (summed in as-of order by the pipeline).
        value = min(value, max(0, monthly_cap - prior.get((unit, rule_id), 0)))
    return value


def score_unit(unit: str, name: str, findings: Iterable[Finding], rulebook: Rulebook,
               prior_month_bonus: Mapping[tuple[str, str], int] | None = None) -> UnitScore:
    prior = prior_month_bonus or {}
    raw: dict[str, int] = {}
    counted = pending = 0
    for f in findings:
        if f.state == PENDING:
            pending += 1
        if f.state != CONFIRMED:
            continue
        counted += 1
        raw[f.rule] = raw.get(f.rule, 0) + f.points
    by_rule = {rule_id: _capped(rule_id, points, rulebook, prior, unit) for rule_id, points in sorted(raw.items())}
    deductions = sum(-v for v in by_rule.values() if v < 0)
    bonuses = sum(v for v in by_rule.values() if v > 0)
    score = max(rulebook.floor, rulebook.base_score - deductions) + bonuses
    return UnitScore(unit=unit, name=name, deductions=deductions, bonuses=bonuses, score=score, by_rule=by_rule,
                     findings=counted, pending=pending)


def score_run(findings: Iterable[Finding], unit_codes_and_names: Iterable[tuple[str, str]], rulebook: Rulebook,
              prior_month_bonus: Mapping[tuple[str, str], int] | None = None,
              as_of: dt.date | None = None) -> list[UnitScore]:
    """One score per configured unit, in unit-code order. Findings of other units are not scored.

    `prior_month_bonus[(unit, rule)]` is the capped bonus the unit already got from that rule
    in earlier runs of the same calendar month as `as_of` (the pipeline supplies it).
    """
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        if f.unit is not None:
            by_unit.setdefault(f.unit, []).append(f)
    units = dict(unit_codes_and_names)
    return [score_unit(code, units[code], by_unit.get(code, ()), rulebook, prior_month_bonus)
            for code in sorted(units)]


def month_bonus_totals(runs: Iterable[tuple[dt.date, list[UnitScore]]]) -> dict[tuple[str, str], int]:
    """Sum of capped bonuses per (unit, rule) over runs: what the next run of the month starts from."""
    totals: dict[tuple[str, str], int] = {}
    for _as_of, scores in runs:
        for s in scores:
            for rule_id, points in s.by_rule.items():
                if points > 0:
                    totals[(s.unit, rule_id)] = totals.get((s.unit, rule_id), 0) + points
    return totals


def scores_to_json(run_id: int, as_of: dt.date | str, scores: Iterable[UnitScore]) -> list[dict]:
    """INTERFACES.md §4 objects."""
    day = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    return [
        {"run": run_id, "as_of": day, "unit": s.unit, "name": s.name, "deductions": s.deductions,
         "bonuses": s.bonuses, "score": s.score, "by_rule": dict(s.by_rule)}
        for s in scores
    ]


# ---------------------------------------------------------------------------
# Quarters


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def quarter_scores(weekly: Iterable[tuple[dt.date, str, int]], run_dates: Iterable[dt.date] | None = None,
                   quarter: tuple[dt.date, dt.date] | None = None) -> list[QuarterScore]:
    """Each unit's mean over the quarter's runs (INDICATORS.md), ranked by mean, best first.

    `weekly` holds (as_of, unit, score). A run at which a unit has no score is
    listed in `missing` and left out of the mean, never counted as 100. With
    `quarter` = (first day, last day), each week of the quarter that had no run
    at all is also listed in `missing`, by its Monday.
    """
    rows = list(weekly)
    dates = sorted(set(run_dates) if run_dates is not None else {d for d, _u, _s in rows})
    no_run_weeks: list[dt.date] = []
    if quarter is not None:
        run_weeks = {_week_start(d) for d in dates}
        week = _week_start(quarter[0])
        while week <= quarter[1]:
            if week not in run_weeks:
                # A week is named by its first day inside the period (a quarter may start mid-week).
                no_run_weeks.append(max(week, quarter[0]))
            week += dt.timedelta(days=7)
    scores: dict[str, dict[dt.date, int]] = {}
    for day, unit, score in rows:
        scores.setdefault(unit, {})[day] = score
    result = []
    for unit in sorted(scores):
        got = scores[unit]
        counted = [got[d] for d in dates if d in got]
        missing = sorted([d for d in dates if d not in got] + no_run_weeks)
        mean = round(sum(counted) / len(counted), 2) if counted else None
        result.append(QuarterScore(unit=unit, mean=mean, weeks=len(counted), missing=missing))
    _rank(result)
    return sorted(result, key=lambda q: (q.rank is None, q.rank or 0, q.unit))


def _rank(rows: list[QuarterScore]) -> None:
    """Competition ranking (1, 2, 2, 4) by mean, highest first; units without a mean get no rank."""
    ranked = sorted((q for q in rows if q.mean is not None), key=lambda q: -q.mean)
    previous, rank = None, 0
    for position, q in enumerate(ranked, start=1):
        if q.mean != previous:
            rank, previous = position, q.mean
        q.rank = rank
