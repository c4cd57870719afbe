"""Who runs the probes on schedule.

With a broker, Celery beat sends `govwatch.probe_due_sites` (monitoring/tasks.py). Without one,
`govwatch serve` starts the embedded scheduler below in a child process (`python -m
govwatch.probe.scheduler`) that probes the due sites every minute. Not a thread inside the server:
gunicorn forks its workers from the server process, and a fork taken while a thread holds an
import or logging lock leaves the worker hung. The child stops when its parent goes away. A file
lock in the data directory keeps it to one process on the machine, however many servers start.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

TICK_SECONDS = 60


class EmbeddedProbes(threading.Thread):
    def __init__(self, lock_path: str | Path, tick: float = TICK_SECONDS, parent: int | None = None):
        super().__init__(name="govwatch-probes", daemon=True)
        self.lock = FileLock(str(lock_path))
        self.tick = tick
        self.parent = parent  # stop when this process is no longer our parent (the server ended)
        self.stopping = threading.Event()
        self.holding = threading.Event()

    def run(self) -> None:
        # Wait for the lock rather than give up: another server's scheduler may be about to end.
        while not self.lock.is_locked:
            if not self._alive():
                return
            try:
                self.lock.acquire(timeout=self.tick)
            except Timeout:
                log.info("另一个进程正在执行可用性探测，本进程等待")
        self.holding.set()
        try:
            while self._alive():
                self.round()
                self.stopping.wait(self.tick)
        finally:
            self.lock.release()

    def _alive(self) -> bool:
        return not self.stopping.is_set() and (self.parent is None or os.getppid() == self.parent)

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


def start_embedded(data_dir: str | Path) -> subprocess.Popen | None:
    """Start the embedded probe scheduler in a child process, unless a broker is set (then Celery
    beat runs the probes). The caller terminates it when the server stops."""
    from django.conf import settings

    if settings.BROKER_URL:
        return None
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "govwatch.probe.scheduler", str(Path(data_dir) / "probes.lock"),
                             str(os.getpid())])
    proc.owner_pid = os.getpid()
    return proc


def stop_embedded(proc: subprocess.Popen | None) -> None:
    # gunicorn's forked workers unwind through the same frames when they exit: only the process
    # that started the scheduler stops it.
    if proc is None or proc.poll() is not None or getattr(proc, "owner_pid", None) != os.getpid():
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def main(argv: list[str]) -> None:
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    EmbeddedProbes(argv[0], parent=int(argv[1])).run()  # in this process's main thread


if __name__ == "__main__":
    main(sys.argv[1:])
