"""Quarter figures: the mean of each unit's weekly scores (INDICATORS.md), from the database."""

from __future__ import annotations

import datetime as dt
import re

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import Run, Score


def parse_quarter(text: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"\s*(\d{4})\s*[Qq]([1-4])\s*", text or "")
    if not m:
        raise GovwatchError(f"季度格式应为 YYYYQn，如 2026Q4：{text}")
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


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
    # Weeks still to come are not missing: the quarter so far ends today.
    from django.utils import timezone

    so_far = min(end, timezone.localdate())
    for q in quarter_scores(weekly, [r.as_of for r in runs], quarter=(start, so_far)):
        rows.append({"quarter": quarter.upper().strip(), "unit": q.unit, "name": names.get(q.unit, ""),
                     "mean": q.mean, "weeks": q.weeks, "missing_weeks": [d.isoformat() for d in q.missing],
                     "rank": q.rank})
    return rows
