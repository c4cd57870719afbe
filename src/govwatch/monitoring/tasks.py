"""Distribution: one Celery task per site run, workers on many machines.

Crawling is bounded by politeness per host, so scale comes from running many
sites in parallel. A Redis lock per site makes sure two workers never crawl the
same site at once. Tasks are acknowledged late: a worker killed mid-run leaves
its task on the queue, and the next worker resumes the same run (same site and
as-of date), which the run service makes idempotent.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import click
from celery import Celery

# The site lock lives this long unless renewed; a live run renews it every third of that. A
# worker killed mid-run (kill -9, power cut) stops renewing, so the lock is gone within this
# time and the redelivered task (acks_late) can take the site and resume the run.
LOCK_SECONDS = 600


def broker_url() -> str:
    return os.environ.get("GOVWATCH_BROKER_URL", "")


def make_app() -> Celery:
    url = broker_url() or "redis://127.0.0.1:6379/0"
    app = Celery("govwatch", broker=url, backend=url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a crawl is long: never hoard tasks
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Asia/Shanghai",
        broker_connection_retry_on_startup=True,
        beat_schedule={"dispatch-due-runs": {"task": "govwatch.dispatch_due_runs", "schedule": 600.0}},
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


class _Renewal:
    """Keeps a held lock alive while the run goes on (a thread; stops with the context)."""

    def __init__(self, lock):
        self.lock = lock
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="govwatch-site-lock", daemon=True)

    def _loop(self):
        while not self.stop.wait(max(LOCK_SECONDS / 3, 0.1)):
            try:
                self.lock.reacquire()
            except Exception:  # lost the lock (expired, Redis away): the run goes on, say so once
                import logging

                logging.getLogger(__name__).warning("站点锁续期失败：%s", self.lock.name)
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


@app.task(name="govwatch.run_site", bind=True, max_retries=3)
def run_site(self, site_path: str, as_of: str | None = None) -> dict:
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.monitoring import services
    from govwatch.siteconfig import load_site

    config = load_site(site_path)
    lock = site_lock(config.home)
    if not lock.acquire():
        # Another worker is crawling this site: try again later instead of crawling twice.
        raise self.retry(countdown=300, exc=SiteBusy(config.home))
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
        # A redelivered task (its worker died) resumes the interrupted crawl of the same run.
        resume = bool(self.request.delivery_info and self.request.delivery_info.get("redelivered"))
        with _Renewal(lock):
            outcome = services.execute_run(site_path, day, progress=False, resume=resume)
        return {"run": outcome.run.pk, "status": outcome.run.status, "error": outcome.run.error}
    finally:
        try:
            lock.release()
        except Exception:  # the lock expired: nothing to release
            pass


@app.task(name="govwatch.dispatch_due_runs")
def dispatch_due_runs() -> list[int]:
    """Queue this week's run of every active site whose scheduled weekday and hour have come."""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.monitoring.scheduling import due_sites

    queued = []
    for site in due_sites():
        run_site.delay(site.config_path, None)
        queued.append(site.pk)
    return queued


def submit_run(site_path: str, as_of: dt.date | None):
    return run_site.delay(str(site_path), as_of.isoformat() if as_of else None)


@click.command()
@click.option("--concurrency", "-c", default=2, show_default=True, help="同时监测的站点数")
@click.option("--beat/--no-beat", default=False, help="同时运行定时调度（整个集群只需一个）")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency, beat, loglevel):
    """启动分布式监测工作进程。"""
    if not broker_url():
        raise click.UsageError("未设置 GOVWATCH_BROKER_URL（例如 redis://127.0.0.1:6379/0）；没有消息队列时，govwatch run 会直接在本进程内运行")
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--pool=prefork"]
    if beat:
        argv.append("--beat")
    app.worker_main(argv)
