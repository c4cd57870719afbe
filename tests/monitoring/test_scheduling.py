import datetime as dt
from types import SimpleNamespace

from govwatch.monitoring.scheduling import is_due

SITE = SimpleNamespace(run_weekday=4, run_hour=2)  # Friday 02:00
FRIDAY = dt.date(2026, 11, 27)


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour))


def test_site_is_not_due_before_its_weekday_and_hour():
    assert not is_due(SITE, _at(FRIDAY - dt.timedelta(days=1), 23), FRIDAY - dt.timedelta(days=7))
    assert not is_due(SITE, _at(FRIDAY, 1), FRIDAY - dt.timedelta(days=7))


def test_site_is_due_once_the_hour_has_come():
    assert is_due(SITE, _at(FRIDAY, 2), FRIDAY - dt.timedelta(days=7))
    assert is_due(SITE, _at(FRIDAY + dt.timedelta(days=2), 9), FRIDAY - dt.timedelta(days=7))


def test_site_is_not_due_twice_in_a_week():
    assert not is_due(SITE, _at(FRIDAY, 15), FRIDAY)
    assert not is_due(SITE, _at(FRIDAY + dt.timedelta(days=1), 15), FRIDAY)


def test_site_without_any_run_is_due():
    assert is_due(SITE, _at(FRIDAY, 3), None)
