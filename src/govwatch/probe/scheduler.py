"""Who runs the probes on schedule.

With a broker, Celery beat sends `govwatch.probe_due_sites` (monitoring/tasks.py). Without one, the
embedded scheduler below runs inside `govwatch serve`: a daemon thread that probes the due sites
every minute. A file lock in the data directory makes sure only one process on the machine does
it, however many server processes start.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

TICK_SECONDS = 60


class EmbeddedProbes(threading.Thread):
    def __init__(self, lock_path: str | Path, tick: float = TICK_SECONDS):
        super().__init__(name="govwatch-probes", daemon=True)
        self.lock = FileLock(str(lock_path))
        self.tick = tick
        self.stopping = threading.Event()
        self.holding = threading.Event()

    def run(self) -> None:
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            log.info("另一个进程正在执行可用性探测，本进程不重复探测")
            return
        self.holding.set()
        try:
            while not self.stopping.is_set():
                self.round()
                self.stopping.wait(self.tick)
        finally:
            self.lock.release()

    def round(self) -> None:
        from django.db import close_old_connections

        from .service import probe_due_sites

        try:
            probe_due_sites()
        except Exception:  # one bad round must not end the schedule
            log.exception("可用性探测失败")
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stopping.set()


def start_embedded(data_dir: str | Path) -> EmbeddedProbes | None:
    """Start the embedded probe scheduler unless a broker is set (then Celery beat runs the probes)."""
    from django.conf import settings

    if settings.BROKER_URL:
        return None
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    thread = EmbeddedProbes(Path(data_dir) / "probes.lock")
    thread.start()
    return thread
