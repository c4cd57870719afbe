"""One run per site at a time on this machine, whoever starts it (CLI, web thread, Celery worker).

An OS file lock (filelock, flock on Linux) in the runs directory, one per site: the kernel
drops it when the holding process dies, even by `kill -9`, so a crashed run never leaves the
site locked. Under Celery the Redis site lock (monitoring/tasks.py) keeps workers on other
machines apart as well; this lock is what the embedded mode has.

The lock file itself is truncated by every attempt to take it, so the holder's run and pid go
to a small JSON file beside it, read by whoever is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from filelock import FileLock, Timeout

from govwatch.lib.errors import GovwatchError


class SiteBusy(GovwatchError):
    """Another run holds the site. The CLI turns a GovwatchError into exit status 2."""


def _paths(home: str) -> tuple[Path, Path]:
    folder = Path(settings.RUNS_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(home.encode("utf-8")).hexdigest()[:16]
    return folder / f"site-{name}.lock", folder / f"site-{name}.json"


class HeldSite:
    def __init__(self, holder: Path):
        self.holder = holder

    def record(self, run) -> None:
        """Say which run holds the site, for the message a second run prints."""
        self.holder.write_text(json.dumps({"run": run.pk, "pid": os.getpid()}), encoding="utf-8")


def _busy_message(home: str, holder: Path) -> str:
    try:
        info = json.loads(holder.read_text(encoding="utf-8"))
        who = f"监测运行 #{info['run']}（进程 {info['pid']}）"
    except (OSError, ValueError, KeyError):
        who = "另一次监测运行"
    return f"站点 {home} 正由{who}监测，同一站点同时只能有一次运行；请等待其结束后再试"


@contextmanager
def hold_site(home: str):
    """Hold the site for the duration of the block, or raise SiteBusy at once (never wait)."""
    lock_path, holder = _paths(home)
    lock = FileLock(str(lock_path), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise SiteBusy(_busy_message(home, holder)) from None
    try:
        yield HeldSite(holder)
    finally:
        try:
            holder.unlink()
        except OSError:
            pass
        lock.release()
