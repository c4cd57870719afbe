"""Quarter and year figures: the mean of each unit's weekly scores.

A week in which a unit had no score (no run covered it, or the unit was not
configured that week) is marked as missing and never counted as 100.

`govwatch.scoring.quarter_scores` is the project's pure aggregation; the
reports, the score workbook and `govwatch scores --quarter` all go through it
with the same period so that their missing weeks agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence


@dataclass(frozen=True)
class UnitPeriod:
    unit: str
    mean: float | None
    weeks: int
    missing: tuple[dt.date, ...]
    rank: int | None


def quarter_scores(weekly, run_dates, period: tuple[dt.date, dt.date] | None = None) -> list[UnitPeriod]:
    """`govwatch.scoring.quarter_scores` as report rows: the one definition of a unit's missing weeks.

    With `period` (first day, last day so far) every week of it in which the
    unit has no score is missing, whether or not a run happened that week;
    `govwatch scores --quarter` passes the same period.
    """
    from govwatch.scoring import quarter_scores as shared

    result = []
    for q in shared(list(weekly), list(run_dates), quarter=period):
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
