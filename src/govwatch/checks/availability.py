"""national.site_unreachable: a week of availability probes judged against the rulebook.

Pure: probes come in as values (the probe module fetches and stores them). The
national check counts a portal whose homepage fails to open within the rulebook's
limit in its failure share or more of a week's probes. It is an early warning for
the portal, never a deduction for a unit.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Iterable, Mapping

WARNING_ID = "national.site_unreachable"

# Why a probe failed. A probe refused by our own address guard is our failure, not the portal's.
DNS, CONNECT, TLS, TIMEOUT, HTTP, WAF, SLOW, BLOCKED = "dns", "connect", "tls", "timeout", "http", "waf", "slow", "blocked"
REASON_LABELS = {
    DNS: "域名无法解析", CONNECT: "无法连接", TLS: "TLS 握手失败", TIMEOUT: "超时", HTTP: "HTTP 错误",
    WAF: "WAF 拦截", SLOW: "打开过慢", BLOCKED: "地址不允许访问（本系统安全规则）",
}
OURS = frozenset({BLOCKED})


@dataclass(frozen=True)
class Probe:
    at: dt.datetime
    url: str
    status: int | None
    seconds: float | None
    reason: str = ""          # "" when the page opened in time
    size: int = 0
    homepage: bool = True
    # A homepage that opened: the newest date among its dated items, and how many it showed.
    newest_item_date: dt.date | None = None
    dated_items: int = 0

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def counted(self) -> bool:
        """Whether the probe says anything about the portal (not refused by our own guard)."""
        return self.reason not in OURS


def classify(status: int | None, seconds: float, limit: float, *, waf: bool = False) -> str:
    """The reason code of a probe that got an HTTP answer ("" when it is a success)."""
    if waf:
        return WAF
    if status is None or status >= 400:
        return HTTP
    if seconds > limit:
        return SLOW
    return ""


def percentile(values: list[float], q: int) -> float | None:
    """The q-th percentile (1..99) of response times, or None without any."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def window(conf: Mapping) -> dt.timedelta:
    return dt.timedelta(days=conf.get("window_days", 7))


def site_unreachable(probes: Iterable[Probe], conf: Mapping, now: dt.datetime) -> dict:
    """The warning over the homepage probes of the week before `now`."""
    start = now - window(conf)
    week = sorted((p for p in probes if p.homepage and p.counted and start < p.at <= now), key=lambda p: p.at)
    failed = [p for p in week if not p.ok]
    share = len(failed) / len(week) if week else 0.0
    limit = conf.get("max_failure_share")
    days = window(conf).days or 1
    per_day = conf.get("min_probes_per_day")
    times = [p.seconds for p in week if p.seconds is not None and p.reason not in (TIMEOUT,)]
    level = "veto" if week and limit is not None and share >= limit else "ok"
    return {
        "id": WARNING_ID, "title": conf.get("title", WARNING_ID), "level": level, "count": len(failed),
        "probes": len(week), "failure_share": round(share, 4),
        "enough_probes": per_day is None or len(week) >= per_day * days,
        "p50_seconds": _round(percentile(times, 50)), "p95_seconds": _round(percentile(times, 95)),
        "details": [{"at": p.at.isoformat(), "url": p.url, "reason": p.reason, "reason_label": REASON_LABELS[p.reason],
                     "status": p.status, "seconds": _round(p.seconds)} for p in failed],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
