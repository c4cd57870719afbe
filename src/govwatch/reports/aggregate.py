"""Quarter and year figures: the mean of each unit's weekly scores.

A week in which a unit had no score (no run covered it, or the unit was not
configured that week) is marked as missing and never counted as 100.

`govwatch.scoring.quarter_scores` is the project's pure aggregation; when it
is importable it supplies mean and rank so that the reports and
`govwatch scores --quarter` agree. Until then the local `quarter_scores`
below (same inputs, same outputs) does the work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence


@dataclass(frozen=True)
class UnitPeriod:
    unit: str
    mean: float | None
    weeks: int
    missing: tuple[dt.date, ...]
    rank: int | None


def local_quarter_scores(weekly: Iterable[tuple[dt.date, str, int]], run_dates: Sequence[dt.date]) -> list[UnitPeriod]:
    """Mean of each unit's weekly scores, competition-ranked (1, 2, 2, 4) on the mean, best first."""
    by_unit: dict[str, dict[dt.date, int]] = {}
    for day, unit, score in weekly:
        by_unit.setdefault(unit, {})[day] = score
    dates = sorted(set(run_dates))
    rows = []
    for unit, scores in by_unit.items():
        values = [scores[d] for d in dates if d in scores]
        mean = round(sum(values) / len(values), 2) if values else None
        rows.append([unit, mean, len(values), tuple(d for d in dates if d not in scores)])
    ranked = sorted((r for r in rows if r[1] is not None), key=lambda r: (-r[1], r[0]))
    ranks: dict[str, int] = {}
    for i, r in enumerate(ranked):
        ranks[r[0]] = ranks[ranked[i - 1][0]] if i and ranked[i - 1][1] == r[1] else i + 1
    out = [UnitPeriod(unit=u, mean=m, weeks=w, missing=miss, rank=ranks.get(u)) for u, m, w, miss in rows]
    return sorted(out, key=lambda p: (p.rank is None, p.rank or 0, p.unit))


def quarter_scores(weekly, run_dates) -> list[UnitPeriod]:
    weekly = list(weekly)
    try:
        from govwatch.scoring import quarter_scores as shared
    except ImportError:
        return local_quarter_scores(weekly, run_dates)
    result = []
    for q in shared(weekly, list(run_dates)):
        result.append(UnitPeriod(unit=q.unit, mean=None if q.mean is None else round(float(q.mean), 2),
                                 weeks=q.weeks, missing=tuple(q.missing), rank=q.rank))
    return sorted(result, key=lambda p: (p.rank is None, p.rank or 0, p.unit))


def competition_rank(values: Sequence[tuple[str, float]]) -> dict[str, int]:
    """Rank keys by value, best (highest) first; equal values share a rank."""
    ordered = sorted(values, key=lambda r: (-r[1], r[0]))
    ranks: dict[str, int] = {}
    for i, (key, value) in enumerate(ordered):
        ranks[key] = ranks[ordered[i - 1][0]] if i and ordered[i - 1][1] == value else i + 1
    return ranks


@dataclass
class Grid:
    """Units × weeks for one period, with the period figures."""

    dates: list[dt.date]
    run_ids: list[int]
    names: dict[str, str]
    cells: dict[str, dict[dt.date, int]] = field(default_factory=dict)
    periods: dict[str, UnitPeriod] = field(default_factory=dict)

    @property
    def units(self) -> list[str]:
        return [p.unit for p in sorted(self.periods.values(), key=lambda p: (p.rank is None, p.rank or 0, p.unit))]

    def week_mean(self, day: dt.date) -> float | None:
        values = [cells[day] for cells in self.cells.values() if day in cells]
        return round(sum(values) / len(values), 2) if values else None

    def overall_mean(self) -> float | None:
        values = [p.mean for p in self.periods.values() if p.mean is not None]
        return round(sum(values) / len(values), 2) if values else None
