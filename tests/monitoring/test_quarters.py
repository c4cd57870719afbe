import datetime as dt

import pytest

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.quarters import parse_quarter, quarter_export
from tests.monitoring.conftest import AS_OF, _stale_and_fresh

pytestmark = pytest.mark.django_db


def test_parse_quarter_bounds():
    assert parse_quarter("2026Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert parse_quarter("2027q1") == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    with pytest.raises(GovwatchError):
        parse_quarter("2026Q5")


def test_quarter_export_marks_past_weeks_without_a_run_but_not_future_weeks(site_path, fake_crawl, monkeypatch):
    from django.utils import timezone

    from govwatch.pipeline.run import execute_run

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)
    fake_crawl.append(_stale_and_fresh())
    execute_run(site_path, AS_OF, progress=False)
    rows = {r["unit"]: r for r in quarter_export("2026Q4")}
    assert rows["0107"]["mean"] == 95 and rows["0302"]["mean"] == 100
    assert rows["0302"]["rank"] == 1
    missing = rows["0107"]["missing_weeks"]
    assert "2026-10-05" in missing
    assert all(day <= AS_OF.isoformat() for day in missing)
