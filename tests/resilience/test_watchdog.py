"""Issue #16 "Bounded work": a run with no progress for a set time is failed with a reason.

A fake clock stands in for time: no test here waits for the limit to pass.
"""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.monitoring.models import Run
from govwatch.pipeline import watchdog
from govwatch.pipeline.run import execute_run
from govwatch.pipeline.watchdog import Stalled, Watchdog
from tests.resilience.test_interruptions import fixture_portal, write_config

AS_OF = dt.date(2026, 11, 27)


class FakeClock:
    def __init__(self, step: float = 0.0):
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_watchdog_fails_only_after_the_limit_without_progress():
    clock = FakeClock()
    dog = Watchdog(60, clock=clock)
    clock.now = 59
    dog.check()  # within the limit
    dog.saw({"t": "page", "url": "http://p.test/a.html"})
    clock.now = 110
    dog.check()  # 51 s since the page
    clock.now = 121
    with pytest.raises(Stalled) as raised:
        dog.check()
    assert "没有任何进展" in str(raised.value) and "--resume" in str(raised.value)


def test_watchdog_counts_a_moving_progress_tick_and_not_a_still_one():
    clock = FakeClock()
    dog = Watchdog(60, clock=clock)
    tick = {"t": "progress", "pages": 3, "links": 10, "requests": 14, "errors": 0, "queue": 2}
    dog.saw(tick)
    clock.now = 50
    dog.saw(dict(tick, requests=15))  # a request answered: progress
    clock.now = 100
    dog.saw(dict(tick, requests=15))  # the same counters again: the crawl is stuck
    dog.check()
    clock.now = 111
    with pytest.raises(Stalled):
        dog.check()


def test_watchdog_with_limit_zero_never_fires():
    clock = FakeClock()
    dog = Watchdog(0, clock=clock)
    clock.now = 10 ** 9
    dog.check()
    assert dog.limit == 0


@pytest.mark.django_db(transaction=True)
def test_run_without_progress_is_failed_with_a_reason(tmp_path, settings, monkeypatch):
    settings.RUNS_DIR = tmp_path / "runs"
    settings.RUN_STALL_SECONDS = 60
    # Every reading of the clock is 100 s later than the one before: the first check finds a stall.
    monkeypatch.setattr(watchdog, "_now", FakeClock(step=100.0))
    _, server = fixture_portal()
    try:
        outcome = execute_run(write_config(tmp_path / "site.toml", server.base), AS_OF, progress=False)
    finally:
        server.close()
    run = Run.objects.get(pk=outcome.run.pk)
    assert run.status == Run.Status.FAILED
    assert "没有任何进展" in run.error
    assert run.scores.count() == 0
