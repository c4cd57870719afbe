"""national.homepage_stale: the homepage's own dated items (its news and notice boxes) show nothing
newer than the rulebook's limit. Pure; an early warning for the portal, never a unit's deduction."""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

from govwatch.facts import ListItem

WARNING_ID = "national.homepage_stale"


def newest_date(items: Iterable[ListItem]) -> dt.date | None:
    return max((i.date for i in items if i.date is not None), default=None)


def homepage_stale(newest: dt.date | None, dated: int, as_of: dt.date, conf: Mapping) -> dict:
    """The warning for a homepage read on `as_of` whose `dated` items' newest date is `newest`.

    A homepage without any dated item cannot be judged: that is reported, never a warning."""
    limit = conf.get("max_age_days", 14)
    out = {"id": WARNING_ID, "title": conf.get("title", WARNING_ID), "as_of": as_of.isoformat(),
           "dated_items": dated, "max_age_days": limit}
    if newest is None or not dated:
        return out | {"level": "ok", "judged": False, "newest_item_date": None, "days": None,
                      "message": "首页未发现带日期的信息，无法判断"}
    days = (as_of - newest).days
    stale = days > limit
    return out | {"level": "veto" if stale else "ok", "judged": True, "newest_item_date": newest.isoformat(),
                  "days": days,
                  "message": f"首页最新信息 {newest.isoformat()}，已 {days} 天" + (f"（超过 {limit} 天）" if stale else "")}
