"""Calendar arithmetic shared by the rules and the sample portal."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from govwatch.lib.errors import GovwatchError


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


def parse_quarter(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter written `2026Q4`; a bad spelling is the user's mistake."""
    m = re.fullmatch(r"\s*(\d{4})\s*[Qq]([1-4])\s*", text or "")
    if not m:
        raise GovwatchError(f"季度格式应为 YYYYQn，如 2026Q4：{text}")
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end
