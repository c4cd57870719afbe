"""A run that makes no progress for a set time is failed with a reason, instead of staying "running".

Progress is any crawl record other than the periodic progress tick, or a tick whose counters
moved (a page parsed, a link checked, a request answered). The limit is the setting
GOVWATCH_RUN_STALL_SECONDS (settings.RUN_STALL_SECONDS); 0 turns the watchdog off.
A stall is a failure on our side (or the site's silence), never charged to a unit: the run
fails and can be resumed.
"""

from __future__ import annotations

import time

from govwatch.lib.errors import GovwatchError

# The progress tick's counters that move when the crawl gets somewhere.
COUNTERS = ("pages", "links", "requests", "errors", "queue")


class Stalled(GovwatchError):
    pass


def _now() -> float:
    return time.monotonic()


class Watchdog:
    def __init__(self, limit_seconds: float, clock=None):
        self.limit = float(limit_seconds)
        self.clock = clock or _now
        self.last = self.clock()
        self._counters: tuple | None = None

    def beat(self) -> None:
        self.last = self.clock()

    def saw(self, rec: dict) -> None:
        if rec.get("t") != "progress":
            self.beat()
            return
        counters = tuple(rec.get(k) for k in COUNTERS)
        if counters != self._counters:
            self._counters = counters
            self.beat()

    def check(self) -> None:
        if self.limit <= 0:
            return
        idle = self.clock() - self.last
        if idle > self.limit:
            raise Stalled(f"监测运行已 {idle / 60:.0f} 分钟没有任何进展（上限 {self.limit / 60:.0f} 分钟），"
                          f"已终止采集，未发布得分；排除原因后可用 --resume 继续")
