"""Quarter figures: the mean of each unit's weekly scores (INDICATORS.md), from the database."""

from __future__ import annotations

import datetime as dt

from govwatch.lib.dates import parse_quarter  # noqa: F401 - re-exported for callers of this module
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import Run, Score


def so_far(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """A period cut before the current week: a week still to come, or still under way, is not missing."""
    from django.utils import timezone

    today = timezone.localdate()
    last_finished_week_ends = today - dt.timedelta(days=today.weekday() + 1)
    return start, min(end, last_finished_week_ends)


def quarter_export(quarter: str, site_id: int | None = None) -> list[dict]:
    """Per-unit quarter means for one site (by default the site of the quarter's latest run)."""
    from govwatch.scoring import quarter_scores

    start, end = parse_quarter(quarter)
    runs = Run.objects.filter(status=Run.Status.COMPLETE, as_of__gte=start, as_of__lte=end)
    latest = runs.order_by("-as_of", "-id").first()
    if latest is None:
        raise GovwatchError(f"{quarter} 没有已完成的监测运行")
    runs = list(runs.filter(site_id=site_id or latest.site_id).order_by("as_of"))
    weekly = [(s.run.as_of, s.unit.code, s.score)
              for s in Score.objects.filter(run__in=runs).select_related("run", "unit")]
    names = {s.unit.code: s.unit.name for s in Score.objects.filter(run__in=runs).select_related("unit")}
    rows = []
    for q in quarter_scores(weekly, [r.as_of for r in runs], quarter=so_far(start, end)):
        rows.append({"quarter": quarter.upper().strip(), "unit": q.unit, "name": names.get(q.unit, ""),
                     "mean": q.mean, "weeks": q.weeks, "missing_weeks": [d.isoformat() for d in q.missing],
                     "rank": q.rank})
    return rows
