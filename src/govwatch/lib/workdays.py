"""Working days (工作日) from the State Council calendar.

chinese-calendar knows 2004 up to its release year; the rulebook's
`[calendar] days` table overrides it and covers later years. For a year
neither knows, the rulebook decides: fall back to Monday-Friday and record a
loud warning (`unknown_year = "weekends"`), or refuse (`"error"`).
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

import chinese_calendar

from govwatch.lib.errors import GovwatchError


class UnknownCalendarYear(GovwatchError):
    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year} 年的法定节假日安排未知：请在规则库 [calendar] days 中补充该年的放假和调休日期")


class WorkCalendar:
    def __init__(self, overrides: Mapping[str, str] | None = None, unknown_year: str = "weekends"):
        self._overrides = {dt.date.fromisoformat(k): v == "work" for k, v in (overrides or {}).items()}
        self._override_years = {d.year for d in self._overrides}
        self.unknown_year = unknown_year
        self.fallback_years: set[int] = set()  # years judged on weekends only: the run report must say so

    @classmethod
    def from_rulebook(cls, rulebook) -> "WorkCalendar":
        return cls(rulebook.calendar_days, rulebook.unknown_year)

    def is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if day.year in self._override_years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if self.unknown_year == "error":
                raise UnknownCalendarYear(day.year) from None
            self.fallback_years.add(day.year)
            return day.weekday() < 5

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: 0 when `end` is not after `start`."""
        if end <= start:
            return 0
        count = 0
        day = start + dt.timedelta(days=1)
        while day <= end:
            if self.is_workday(day):
                count += 1
            day += dt.timedelta(days=1)
        return count

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start`."""
        day = start
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def warnings(self) -> list[str]:
        return [
            f"{year} 年不在节假日日历中，工作日按周一至周五计算，可能不准确；请在规则库中补充该年安排"
            for year in sorted(self.fallback_years)
        ]
