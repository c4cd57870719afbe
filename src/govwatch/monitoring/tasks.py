"""Distribution: one Celery task per site run, workers on many machines.

Crawling is bounded by politeness per host, so scale comes from running many
sites in parallel. A Redis lock per site makes sure two workers never crawl the
same site at once.

What happens when a worker dies mid-run (kill -9, power cut, OOM):

- Tasks are acknowledged late (task_acks_late): until the run is published, the
  message stays in Redis's "unacked" set. Redis hands it out again once it is
  older than the visibility timeout (GOVWATCH_VISIBILITY_TIMEOUT). If only the
  pool child dies and the worker lives, task_reject_on_worker_lost puts the
  message back at once.
- The dead run's site lock is no longer renewed, so it expires within
  GOVWATCH_SITE_LOCK_SECONDS. A copy that finds the site still locked retries
  when the lock would expire; a copy of the very task that holds the lock keeps
  retrying (never gives up) until that run finishes or its lock expires.
- The copy that takes the lock finds the run record (same site and as-of date)
  still "running" and resumes its crawl from crawl.jsonl instead of starting over.
- A finished task leaves a done marker under its task id; any later copy of it
  (redelivered because the run outlived the visibility timeout, or a retry)
  returns that result instead of crawling again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import uuid

import click
from celery import Celery

log = logging.getLogger(__name__)


def _env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = int(float(value))
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None
    if seconds < 1:
        raise ValueError(f"{name} must be at least 1 second, not {value!r}")
    return seconds


# The site lock lives this long unless renewed; a live run renews it every third of that. A
# worker killed mid-run (kill -9, power cut) stops renewing, so the lock is gone within this
# time and the redelivered task (acks_late) can take the site and resume the run.
LOCK_SECONDS = _env_seconds("GOVWATCH_SITE_LOCK_SECONDS", 600)
# An unacknowledged task (its worker died, or the run is still going) is handed out again after
# this long. A killed worker's run therefore resumes after about this long; a run that outlives it
# is handed out a second time while it runs, and that copy waits on the site lock and then returns
# the first copy's result (the done marker), so a short timeout never crawls twice. Must be well
# above the retry countdown (capped at half of it) or delayed retries would be duplicated.
VISIBILITY_TIMEOUT = _env_seconds("GOVWATCH_VISIBILITY_TIMEOUT", 1800)
# A site busy with another task is tried again after at most this long, up to max_retries times.
BUSY_RETRY_SECONDS = 300
# How long a finished task's result is kept for late copies of it.
DONE_SECONDS = 8 * 24 * 3600
# Dispatcher's "queued, not finished yet" marker: at most this long (a lost task is re-queued after it).
QUEUED_SECONDS = 24 * 3600


def broker_url() -> str:
    return os.environ.get("GOVWATCH_BROKER_URL", "")


def transport_options(visibility_timeout: int = VISIBILITY_TIMEOUT) -> dict:
    return {
        "visibility_timeout": visibility_timeout,
        # Sweep for abandoned (unacked, timed-out) messages every tenth of the timeout, 1 s to 1 min,
        # so redelivery follows the timeout closely (kombu's default sweep is every ~100 s).
        "unacked_restore_interval": max(1, min(60, visibility_timeout // 10)),
        "unacked_restore_throttle": 1,
        # The sweep's mutex; a worker killed while holding it (a millisecond window) must not stall
        # every other worker's sweep for kombu's default five minutes when the timeout is short.
        "unacked_mutex_expire": max(5, min(300, visibility_timeout // 2)),
    }


def make_app() -> Celery:
    url = broker_url() or "redis://127.0.0.1:6379/0"
    app = Celery("govwatch", broker=url, backend=url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a crawl is long: never hoard tasks
        broker_transport_options=transport_options(),
        # A short Redis outage must not abort hours of crawling: the task keeps running and is
        # acknowledged when it ends (the Redis transport acks by tag, across reconnections).
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Asia/Shanghai",
        broker_connection_retry_on_startup=True,
        beat_schedule={"dispatch-due-runs": {"task": "govwatch.dispatch_due_runs", "schedule": 600.0},
                       # Each site's own probe interval (rulebook) decides whether a tick probes it.
                       "probe-due-sites": {"task": "govwatch.probe_due_sites", "schedule": 60.0}},
    )
    return app


app = make_app()


class SiteBusy(Exception):
    pass


def _redis():
    import redis

    return redis.Redis.from_url(broker_url() or "redis://127.0.0.1:6379/0")


def site_lock(site_key: str):
    """A Redis lock named after the site; non-blocking: a second crawl of the same site is refused."""
    # thread_local=False: the renewal thread must see the token the task thread acquired with.
    return _redis().lock(f"govwatch:site-lock:{site_key}", timeout=LOCK_SECONDS, blocking=False, thread_local=False)


def _done_key(task_id: str) -> str:
    return f"govwatch:task-done:{task_id}"


def _queued_key(site_key: str, day: dt.date) -> str:
    return f"govwatch:queued:{site_key}:{day.isoformat()}"


def _done(client, task_id: str | None) -> dict | None:
    if not task_id:
        return None
    raw = client.get(_done_key(task_id))
    return json.loads(raw) if raw else None


class _Renewal:
    """Keeps a held lock alive while the run goes on (a thread; stops with the context)."""

    def __init__(self, lock):
        self.lock = lock
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="govwatch-site-lock", daemon=True)

    def _loop(self):
        from redis.exceptions import LockNotOwnedError

        complained = False
        while not self.stop.wait(max(LOCK_SECONDS / 3, 0.1)):
            try:
                self.lock.reacquire()
                complained = False
            except LockNotOwnedError:
                # Renewals came too late (a stalled process) and the lock expired: take it back if
                # nobody else has; if another task has the site now, say so (the run goes on).
                if self.lock.redis.set(self.lock.name, self.lock.local.token, nx=True,
                                       px=int(LOCK_SECONDS * 1000)):
                    log.warning("站点锁曾过期，已重新取得：%s", self.lock.name)
                    continue
                log.error("站点锁已过期并被其他任务取得：%s", self.lock.name)
                return
            except Exception:  # Redis away for a moment: keep trying, say so once
                if not complained:
                    log.warning("站点锁续期失败，稍后重试：%s", self.lock.name, exc_info=True)
                    complained = True

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def _retry_busy(task, client, lock, site_key: str):
    """The site is locked. Retry when the lock would expire (a dead holder's lock does), never later
    than BUSY_RETRY_SECONDS or half the visibility timeout (a delayed message older than the timeout
    would be handed out twice). A copy of the task holding the lock retries without limit: that run
    either finishes (this copy then returns its result) or dies (its lock expires, this copy resumes)."""
    holder = client.get(lock.name) or b""
    ttl_ms = client.pttl(lock.name)
    wait = (ttl_ms / 1000 + 1) if ttl_ms and ttl_ms > 0 else 1
    countdown = max(1, min(wait, BUSY_RETRY_SECONDS, VISIBILITY_TIMEOUT / 2))
    own = bool(task.request.id) and holder.decode(errors="replace").split(" ")[0] == task.request.id
    options = {"max_retries": task.request.retries + 1} if own else {}
    log.info("站点正在监测中（%s），%d 秒后重试%s", site_key, countdown, "（同一任务的副本）" if own else "")
    return task.retry(countdown=countdown, exc=SiteBusy(site_key), **options)


def _was_interrupted(site_key: str, day: dt.date) -> bool:
    """The run record of this site and date says "running" although nobody holds the site: its
    worker died mid-crawl, and the crawl can resume from its records."""
    from govwatch.monitoring.models import Run

    run = Run.objects.filter(site__home=site_key, as_of=day).order_by("-id").only("status").first()
    return run is not None and run.status == Run.Status.RUNNING


@app.task(name="govwatch.run_site", bind=True, max_retries=3)
def run_site(self, site_path: str, as_of: str | None = None) -> dict:
    client = _redis()
    done = _done(client, self.request.id)
    if done is not None:  # a late copy of a task that already finished
        return done

    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.lib.clock import today_shanghai
    from govwatch.pipeline import run as pipeline
    from govwatch.siteconfig import load_site

    config = load_site(site_path)
    day = dt.date.fromisoformat(as_of) if as_of else today_shanghai()
    lock = site_lock(config.home)
    # The holder's task id in the lock's value tells a copy of the same task from another task.
    if not lock.acquire(token=f"{self.request.id or '-'} {uuid.uuid4().hex}"):
        raise _retry_busy(self, client, lock, config.home)
    try:
        done = _done(client, self.request.id)  # finished while this copy waited for the site
        if done is not None:
            return done
        resume = _was_interrupted(config.home, day)
        if resume:
            log.warning("继续此前中断的监测运行：%s %s", config.home, day)
        with _Renewal(lock):
            outcome = pipeline.execute_run(site_path, day, progress=False, resume=resume)
        result = {"run": outcome.run.pk, "status": outcome.run.status, "error": outcome.run.error,
                  "resumed": resume}
        if self.request.id:
            client.set(_done_key(self.request.id), json.dumps(result), ex=DONE_SECONDS)
        return result
    finally:
        client.delete(_queued_key(config.home, day))  # the dispatcher may queue the site again (if it failed)
        try:
            lock.release()
        except Exception:  # the lock expired: nothing to release
            pass


@app.task(name="govwatch.dispatch_due_runs")
def dispatch_due_runs() -> list[int]:
    """Queue this week's run of every active site whose scheduled weekday and hour have come.

    A site already queued for today and not finished is not queued again: a backlog of queued runs
    would otherwise be queued once more every ten minutes (the run record appears only when a
    worker starts it). The marker goes when the task ends, so a failed run is queued again."""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.monitoring.scheduling import due_sites
    from govwatch.lib.clock import today_shanghai

    client = _redis()
    today = today_shanghai()
    queued = []
    for site in due_sites():
        if not client.set(_queued_key(site.home, today), "1", nx=True, ex=QUEUED_SECONDS):
            continue
        run_site.delay(site.config_path, today.isoformat())
        queued.append(site.pk)
    return queued


@app.task(name="govwatch.probe_due_sites")
def probe_due_sites() -> int:
    """Availability probes of the sites that are due (national.site_unreachable)."""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.probe.service import probe_due_sites as probe

    return probe()


def submit_run(site_path: str, as_of: dt.date | None):
    """Queue one run. The date is fixed now, so a run redelivered after midnight stays the same run."""
    if as_of is None:
        from govwatch.lib.clock import today_shanghai

        as_of = today_shanghai()
    return run_site.delay(str(site_path), as_of.isoformat())


@click.command()
@click.option("--concurrency", "-c", default=2, show_default=True, help="同时监测的站点数")
@click.option("--beat/--no-beat", default=False, help="同时运行定时调度（整个集群只需一个）")
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--hostname", "-n", default=None,
              help="工作进程名（同一台机器上多个工作进程时各不相同，例如 worker1@%h）")
def worker(concurrency, beat, loglevel, hostname):
    """启动分布式监测工作进程。"""
    if not broker_url():
        raise click.UsageError("未设置 GOVWATCH_BROKER_URL（例如 redis://127.0.0.1:6379/0）；没有消息队列时，govwatch run 会直接在本进程内运行")
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--pool=prefork"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    if beat:
        argv.append("--beat")
    app.worker_main(argv)
