"""Calendar arithmetic shared by the rules and the sample portal."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; the day clamps to the month's end (1-31 + 1 month = 2-28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def older_than_months(newest: dt.date, as_of: dt.date, months: int) -> bool:
    """True when `newest` is more than `months` calendar months before `as_of`."""
    return as_of > add_months(newest, months)


def days_between(earlier: dt.date, later: dt.date) -> int:
    return (later - earlier).days
