"""The dashboard's availability strip: staff see the portal's week of probes; unit admins do not."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from govwatch.monitoring.models import Probe


def test_overview_shows_availability_strip_with_failures_to_staff(client_for, world):
    now = timezone.now()
    site = world["site"]
    Probe.objects.bulk_create([Probe(site=site, url=site.home, at=now - dt.timedelta(minutes=72 * i),
                                     status=200 if i else 503, seconds=0.2, reason="" if i else "http", size=1000)
                               for i in range(20)])
    html = client_for("office").get("/").content.decode()
    assert "首页可用性（近7天）" in html
    assert "探测 20 次，失败 1 次（5%）" in html
    assert "达到否决线" in html
    assert "HTTP 错误（HTTP 503）" in html
    assert "首页可用性" not in client_for("unit0107").get("/").content.decode()
