"""The link re-check rota: which links that checked OK in earlier runs are checked again this run.

A link is otherwise reused while no page carrying it is refetched, so an attachment deleted later
would go unnoticed. Each run re-checks the rulebook's share of the reusable links, those checked
longest ago first, plus any not checked for the rulebook's period: every link is checked again
within that period. Pure (no Scrapy), so the plan can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Mapping


def _spread(target: str) -> str:
    # Links last checked on the same day are taken in a fixed order that does not follow the site's layout.
    return hashlib.sha1(target.encode("utf-8")).hexdigest()


def recheck_plan(last_checked: Mapping[str, dt.date | None], as_of: dt.date, share: float,
                 period_days: int) -> set[str]:
    """Targets to re-check now, from reusable targets -> the day each was last actually checked."""
    if not last_checked or (share <= 0 and period_days <= 0):
        return set()
    planned = math.ceil(len(last_checked) * min(max(share, 0.0), 1.0))
    order = sorted(last_checked, key=lambda t: (last_checked[t] or dt.date.min, _spread(t)))
    chosen = set(order[:planned])
    if period_days > 0:
        chosen |= {t for t, day in last_checked.items() if day is None or (as_of - day).days >= period_days}
    return chosen
