"""Distribution (Issue #7): `govwatch worker` on Celery + Redis, the per-site lock, the weekly
dispatcher, and the idempotency a redelivered (acks_late) task relies on.

Killing a real worker mid-crawl and watching Redis redeliver the task to a second worker is
tests/distributed/test_redelivery.py; here are the pieces it relies on, at task level.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.utils import timezone

from govwatch.catalog.models import Site as SiteModel
from govwatch.monitoring import tasks
from govwatch.pipeline import run as pipeline_run
from govwatch.monitoring.models import Finding, Run
from tests.distributed.conftest import REDIS_URL
from tests.resilience.faultsite import AS_OF
from tests.resilience.test_interruptions import fixture_portal, write_config


@pytest.fixture
def small_site(tmp_path):
    """The crawler tests' one-unit portal: a few columns with planted problems (so findings exist)."""
    _portal, server = fixture_portal()
    yield write_config(tmp_path / "site.toml", server.base), server
    server.close()


def _env(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVWATCH_")}
    env.update(GOVWATCH_DATA_DIR=str(data_dir), GOVWATCH_BROKER_URL=REDIS_URL, PYTHONUNBUFFERED="1")
    return env


def _govwatch(*args):
    return [sys.executable, "-c", "from govwatch.cli import main; main()", *args]


@pytest.mark.slow
def test_worker_runs_a_site_submitted_through_the_queue(tmp_path, redis15, small_site):
    config, _server = small_site
    data = tmp_path / "data"
    env = _env(data)
    # The submitting side migrates the shared SQLite file first, as `govwatch run` always does.
    worker = subprocess.Popen(_govwatch("worker", "-c", "1", "--loglevel", "WARNING"), env=env,
                              stdout=open(tmp_path / "worker.log", "wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        done = subprocess.run(_govwatch("run", "--site", str(config), "--as-of", AS_OF.isoformat(), "--no-progress"),
                              env=env, capture_output=True, text=True, timeout=240)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert done.returncode == 0, done.stdout + done.stderr + log
    assert "已提交到监测队列" in done.stdout
    findings = subprocess.run(_govwatch("findings", "--run", "latest", "--format", "json"), env=_env(data),
                              capture_output=True, text=True, timeout=120)
    import json

    rows = json.loads(findings.stdout)
    assert rows, findings.stderr
    assert {r["as_of"] for r in rows} == {AS_OF.isoformat()}
    # The work happened in the worker: its run directory holds the crawl's records.
    assert list((data / "runs").glob("run-*/crawl.jsonl"))


@pytest.mark.django_db(transaction=True)
def test_second_task_for_a_busy_site_is_retried_never_run_concurrently(tmp_path, redis15, small_site, monkeypatch):
    config, _server = small_site
    active, peak, calls = [0], [0], []
    first_inside, second_done = threading.Event(), threading.Event()

    def execute_run(site_path, as_of=None, *, progress=True, resume=False, run=None):
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        calls.append(site_path)
        first_inside.set()
        second_done.wait(60)  # hold the site while the second task tries
        active[0] -= 1
        return pipeline_run.RunOutcome(Run(pk=1, status="complete", error=""), None)

    monkeypatch.setattr(pipeline_run, "execute_run", execute_run)
    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    retries = []
    original_retry = tasks.run_site.retry

    def retry(*args, **kwargs):
        retries.append(kwargs.get("exc"))
        kwargs["max_retries"] = 0  # eager apply would retry in-line; one refusal is the point
        return original_retry(*args, **kwargs)

    monkeypatch.setattr(tasks.run_site, "retry", retry)
    results = {}

    def first():
        results["first"] = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()))

    t = threading.Thread(target=first)
    t.start()
    assert first_inside.wait(60)
    results["second"] = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()))
    second_done.set()
    t.join(60)

    assert peak[0] == 1
    assert len(calls) == 1
    assert [type(e).__name__ for e in retries] == ["SiteBusy"]
    assert results["first"].successful()
    assert not results["second"].successful()
    # The lock is released afterwards: the next task for the site runs.
    assert tasks.run_site.apply(args=(str(config), AS_OF.isoformat())).successful()
    assert len(calls) == 2


@pytest.mark.django_db
def test_dispatcher_queues_only_due_active_sites(monkeypatch, redis15):
    now = timezone.localtime()
    today = now.date()
    due = SiteModel.objects.create(name="到期", home="http://a.test/", config_path="/s/a.toml",
                                   run_weekday=today.weekday(), run_hour=0)
    done = SiteModel.objects.create(name="本周已运行", home="http://b.test/", config_path="/s/b.toml",
                                    run_weekday=today.weekday(), run_hour=0)
    Run.objects.create(site=done, as_of=today, cycle_start=today - dt.timedelta(days=7), status="complete")
    SiteModel.objects.create(name="停用", home="http://c.test/", config_path="/s/c.toml", active=False,
                             run_weekday=today.weekday(), run_hour=0)
    SiteModel.objects.create(name="没有配置", home="http://d.test/", config_path="",
                             run_weekday=today.weekday(), run_hour=0)
    later = (today.weekday() + 1) % 7
    if later > today.weekday():
        SiteModel.objects.create(name="还没到", home="http://e.test/", config_path="/s/e.toml", run_weekday=later,
                                 run_hour=0)
    queued = []
    monkeypatch.setattr(tasks.run_site, "delay", lambda path, as_of: queued.append((path, as_of)))
    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    assert tasks.dispatch_due_runs() == [due.pk]
    # The date is fixed when queued: a task redelivered after midnight is still this run.
    assert queued == [("/s/a.toml", today.isoformat())]
    # Ten minutes later the run has not started yet (a backlog): it is not queued a second time.
    assert tasks.dispatch_due_runs() == []
    assert len(queued) == 1
    # The task's end (complete or failed) lifts the marker: a failed run is queued again.
    redis15.delete(tasks._queued_key(due.home, today))
    assert tasks.dispatch_due_runs() == [due.pk]


def test_celery_app_is_configured_for_redelivery():
    conf = tasks.app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.beat_schedule["dispatch-due-runs"]["task"] == "govwatch.dispatch_due_runs"
    options = conf.broker_transport_options
    assert options["visibility_timeout"] == 1800  # GOVWATCH_VISIBILITY_TIMEOUT unset in tests
    assert options["unacked_restore_interval"] == 60 and options["unacked_restore_throttle"] == 1
    # Retries of a busy site wait at most half the timeout: a delayed message older than the
    # timeout would be handed out twice.
    assert tasks.BUSY_RETRY_SECONDS <= options["visibility_timeout"] / 2
    assert tasks.LOCK_SECONDS == 600


def test_visibility_timeout_and_lock_time_come_from_the_environment():
    code = ("from govwatch.monitoring import tasks; o = tasks.app.conf.broker_transport_options;"
            "print(o['visibility_timeout'], o['unacked_restore_interval'], tasks.LOCK_SECONDS)")
    env = {**os.environ, "GOVWATCH_VISIBILITY_TIMEOUT": "12", "GOVWATCH_SITE_LOCK_SECONDS": "4"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["12", "1", "4"], out.stderr
    env["GOVWATCH_VISIBILITY_TIMEOUT"] = "an hour"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "GOVWATCH_VISIBILITY_TIMEOUT" in out.stderr


def _fake_execute_run(calls):
    def execute_run(site_path, as_of=None, *, progress=True, resume=False, run=None):
        calls.append({"as_of": as_of, "resume": resume})
        return pipeline_run.RunOutcome(Run(pk=7, status="complete", error=""), None)

    return execute_run


def test_a_late_copy_of_a_finished_task_returns_its_result_without_crawling(tmp_path, redis15, small_site,
                                                                          monkeypatch):
    """A run longer than the visibility timeout is handed out a second time; the copy must not
    crawl again once the first has finished."""
    config, _server = small_site
    calls = []
    monkeypatch.setattr(pipeline_run, "execute_run", _fake_execute_run(calls))
    monkeypatch.setattr(tasks, "_was_interrupted", lambda home, day: False)
    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    first = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()), task_id="task-1")
    copy = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()), task_id="task-1",
                                delivery_info={"redelivered": True})
    assert first.successful() and copy.successful()
    assert copy.result == first.result == {"run": 7, "status": "complete", "error": "", "resumed": False}
    assert len(calls) == 1
    other = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()), task_id="task-2")
    assert other.successful() and len(calls) == 2  # a new submission is a new run


def test_a_copy_of_the_task_holding_the_site_waits_for_it_without_limit(tmp_path, redis15, small_site,
                                                                       monkeypatch):
    """The copy retries when the holder's lock would expire, and never runs out of retries (a
    copy of another task does, after max_retries)."""
    config, _server = small_site
    from govwatch.siteconfig import load_site

    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    monkeypatch.setattr(pipeline_run, "execute_run", _fake_execute_run([]))
    holder = tasks.site_lock(load_site(config).home)
    assert holder.acquire(token="task-1 0123")
    seen = []

    def retry(*args, **kwargs):
        seen.append(kwargs)
        raise tasks.SiteBusy("stop here")

    monkeypatch.setattr(tasks.run_site, "retry", retry)
    assert not tasks.run_site.apply(args=(str(config), AS_OF.isoformat()), task_id="task-1",
                                    retries=7).successful()
    assert not tasks.run_site.apply(args=(str(config), AS_OF.isoformat()), task_id="task-2").successful()
    own, other = seen
    assert own["max_retries"] == 8 and "max_retries" not in other
    assert 1 <= own["countdown"] <= tasks.LOCK_SECONDS + 1
    assert type(own["exc"]).__name__ == "SiteBusy"


@pytest.mark.django_db(transaction=True)
def test_the_task_resumes_the_crawl_when_the_run_record_says_running(tmp_path, redis15, small_site, monkeypatch):
    """Resume is decided by the run record, not the redelivered flag: a run left "running" by a
    dead worker resumes (whichever way its task came back); a finished one is crawled afresh."""
    config, _server = small_site
    from govwatch.siteconfig import load_site

    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    calls = []
    monkeypatch.setattr(pipeline_run, "execute_run", _fake_execute_run(calls))
    site = SiteModel.objects.create(name="中断测试门户", home=load_site(config).home, config_path=str(config))
    run = Run.objects.create(site=site, as_of=AS_OF, cycle_start=AS_OF - dt.timedelta(days=7),
                             status=Run.Status.RUNNING)
    result = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()))
    assert result.successful(), result.traceback
    Run.objects.filter(pk=run.pk).update(status=Run.Status.COMPLETE)
    assert tasks.run_site.apply(args=(str(config), AS_OF.isoformat()),
                                delivery_info={"redelivered": True}).successful()
    assert calls == [{"as_of": AS_OF, "resume": True}, {"as_of": AS_OF, "resume": False}]
    assert result.result["resumed"] is True


@pytest.mark.django_db(transaction=True)
def test_redelivered_task_reuses_the_run_without_duplicate_findings(tmp_path, settings, redis15, small_site,
                                                                    monkeypatch):
    """What a redelivered task does: the same site and as-of again, with resume. Same Run, the
    findings of one run, each once."""
    settings.RUNS_DIR = tmp_path / "runs"
    config, _server = small_site
    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    first = pipeline_run.execute_run(config, AS_OF, progress=False).run
    before = sorted(Finding.objects.filter(run=first).values_list("key", "rule", "url", "state"))
    assert before

    redelivered = tasks.run_site.apply(args=(str(config), AS_OF.isoformat()),
                                       kwargs={}, delivery_info={"redelivered": True})
    assert redelivered.successful(), redelivered.traceback
    assert redelivered.result["run"] == first.pk
    assert Run.objects.count() == 1
    after = sorted(Finding.objects.filter(run=first).values_list("key", "rule", "url", "state"))
    assert after == before
    assert max(Counter(k for k, *_ in after).values()) == 1


@pytest.mark.django_db
def test_site_lock_is_renewed_while_the_run_lives_and_expires_after_a_dead_worker(tmp_path, redis15, small_site,
                                                                                  monkeypatch):
    """A killed worker cannot hold a site for hours: the lock has a short TTL that only a live run
    renews. (Before: a 6-hour lock that nothing renewed, so a redelivered task of a killed worker
    was refused three times and dropped.)"""
    config, _server = small_site
    monkeypatch.setattr(tasks, "LOCK_SECONDS", 1)
    monkeypatch.setattr("govwatch.monitoring.bootstrap._ready", True)
    from govwatch.siteconfig import load_site

    key = f"govwatch:site-lock:{load_site(config).home}"
    seen = {}

    def execute_run(site_path, as_of=None, *, progress=True, resume=False, run=None):
        # Outlive the TTL several times over; the renewal keeps the key.
        for _ in range(4):
            time.sleep(1)
            seen.setdefault("alive", []).append(redis15.exists(key))
        return pipeline_run.RunOutcome(Run(pk=1, status="complete", error=""), None)

    monkeypatch.setattr(pipeline_run, "execute_run", execute_run)
    assert tasks.run_site.apply(args=(str(config), AS_OF.isoformat())).successful()
    assert seen["alive"] == [1, 1, 1, 1]
    assert not redis15.exists(key)  # released at the end

    # A dead worker's lock: taken, never renewed, never released.
    dead = tasks.site_lock(load_site(config).home)
    assert dead.acquire()
    assert redis15.pttl(key) <= 1000
    deadline = time.monotonic() + 30
    while redis15.exists(key) and time.monotonic() < deadline:
        time.sleep(0.1)
    seen.clear()
    assert tasks.run_site.apply(args=(str(config), AS_OF.isoformat())).successful()
    assert seen["alive"] == [1, 1, 1, 1]


def test_lock_renewal_takes_an_expired_lock_back_but_never_steals_it(redis15, monkeypatch):
    """A stalled run whose lock expired takes it back if the site is still free; Redis errors
    do not end the renewal; a lock another task took is left alone."""
    monkeypatch.setattr(tasks, "LOCK_SECONDS", 1)
    key = "govwatch:site-lock:http://renewal.test/"
    lock = tasks.site_lock("http://renewal.test/")
    assert lock.acquire(token="task-1 abc")
    with tasks._Renewal(lock) as renewal:
        redis15.delete(key)  # as if it had expired
        deadline = time.monotonic() + 10
        while redis15.get(key) != b"task-1 abc" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert redis15.get(key) == b"task-1 abc"
        assert renewal.thread.is_alive()
        redis15.set(key, "task-2 def", px=5000)  # expired again, and another task took the site
        renewal.thread.join(10)
        assert not renewal.thread.is_alive()
    assert redis15.get(key) == b"task-2 def"
