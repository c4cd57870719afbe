"""Today's date where the office works (Asia/Shanghai), whatever the server's own zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_shanghai() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()
