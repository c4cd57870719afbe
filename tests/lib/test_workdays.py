import datetime as dt

import pytest

from govwatch.lib.dates import add_months, older_than_months
from govwatch.lib.workdays import UnknownCalendarYear, WorkCalendar


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_older_than_months_exact_boundary_is_not_older():
    assert not older_than_months(dt.date(2026, 6, 27), dt.date(2026, 11, 27), 5)
    assert older_than_months(dt.date(2026, 6, 26), dt.date(2026, 11, 27), 5)


def test_workday_make_up_saturday_counts_and_holiday_does_not():
    cal = WorkCalendar()
    assert cal.is_workday(dt.date(2025, 9, 28))  # Sunday, 调休 working day before National Day 2025
    assert not cal.is_workday(dt.date(2025, 10, 1))
    assert not cal.is_workday(dt.date(2025, 10, 8))


def test_working_days_after_spans_national_day():
    cal = WorkCalendar()
    # (2025-09-26, 2025-10-24]: 28 calendar days but only 16 working days:
    # holiday 10-01..10-08, make-up working days Sunday 9-28 and Saturday 10-11
    assert cal.working_days_after(dt.date(2025, 9, 26), dt.date(2025, 10, 24)) == 16


def test_override_file_decides_for_an_unknown_year():
    cal = WorkCalendar({"2027-01-01": "off", "2027-01-02": "work"})
    assert not cal.is_workday(dt.date(2027, 1, 1))
    assert cal.is_workday(dt.date(2027, 1, 2))  # a Saturday made a working day
    assert cal.is_workday(dt.date(2027, 1, 4))
    assert cal.fallback_years == set()


def test_unknown_year_falls_back_to_weekends_loudly():
    cal = WorkCalendar(unknown_year="weekends")
    assert cal.is_workday(dt.date(2028, 1, 3))
    assert not cal.is_workday(dt.date(2028, 1, 8))
    assert cal.fallback_years == {2028}
    assert "2028" in cal.warnings()[0]


def test_unknown_year_can_be_refused():
    cal = WorkCalendar(unknown_year="error")
    with pytest.raises(UnknownCalendarYear):
        cal.is_workday(dt.date(2028, 1, 3))


def test_calendar_agrees_with_the_published_holiday_files():
    import json

    from tests.conftest import shared_data

    cal = WorkCalendar()
    checked = 0
    for year in (2024, 2025, 2026):
        data = json.loads(shared_data("holidays", f"holiday-cn_{year}.json").read_text(encoding="utf-8"))
        for day in data["days"]:
            date = dt.date.fromisoformat(day["date"])
            assert cal.is_workday(date) is (not day["isOffDay"]), day
            checked += 1
    assert checked > 100
