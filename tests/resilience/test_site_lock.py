"""Issue #16 item 10, in one process: the site lock every run takes (CLI, web thread, worker)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from govwatch.monitoring.models import Run
from govwatch.pipeline.lock import SiteBusy, hold_site
from govwatch.pipeline.run import execute_run
from tests.resilience.test_interruptions import write_config

AS_OF = dt.date(2026, 11, 27)
HOME = "http://portal.test/"


class _Run:
    pk = 7


def test_site_lock_refuses_a_second_holder_naming_the_first(runs_dir):
    with hold_site(HOME) as held:
        held.record(_Run())
        with pytest.raises(SiteBusy) as refused:
            with hold_site(HOME):
                pass
    assert str(refused.value) == (f"站点 {HOME} 正由监测运行 #7（进程 {os.getpid()}）监测，"
                                  "同一站点同时只能有一次运行；请等待其结束后再试")


def test_site_lock_is_free_again_after_its_holder_ends(runs_dir):
    with hold_site(HOME):
        pass
    with hold_site(HOME) as again:
        again.record(_Run())
    assert list((runs_dir / "locks").glob("*.json")) == []


def test_site_lock_of_another_site_is_independent(runs_dir):
    with hold_site(HOME):
        with hold_site("http://other.test/") as other:
            other.record(_Run())
    assert (runs_dir / "locks").is_dir()


@pytest.mark.django_db
def test_run_on_a_held_site_raises_site_busy_and_creates_no_run(runs_dir, tmp_path):
    cfg = write_config(tmp_path / "site.toml", "http://127.0.0.1:9")
    with hold_site("http://127.0.0.1:9/"):
        with pytest.raises(SiteBusy):
            execute_run(cfg, AS_OF, progress=False)
    assert Run.objects.count() == 0
