"""Which sites are due for their weekly run."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govwatch.catalog.models import Site
from govwatch.monitoring.models import Run


def is_due(site: Site, now: dt.datetime, last_as_of: dt.date | None) -> bool:
    """Due once a week: on or after the scheduled weekday and hour, if this week has no run yet."""
    today = now.date()
    week_start = today - dt.timedelta(days=today.weekday())
    scheduled = week_start + dt.timedelta(days=site.run_weekday)
    if today < scheduled or (today == scheduled and now.hour < site.run_hour):
        return False
    return last_as_of is None or last_as_of < scheduled


def due_sites(now: dt.datetime | None = None) -> list[Site]:
    now = timezone.localtime(now or timezone.now())
    due = []
    for site in Site.objects.filter(active=True).exclude(config_path=""):
        last = (Run.objects.filter(site=site).exclude(status=Run.Status.FAILED)
                .order_by("-as_of").values_list("as_of", flat=True).first())
        if is_due(site, now, last):
            due.append(site)
    return due
