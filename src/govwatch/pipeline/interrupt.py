"""SIGTERM ends a run as failed (interrupted, 已中断), resumable with `--resume`.

Without a handler, SIGTERM kills the process before it can say so and the run stays "running".
The handler is installed by whoever owns the process (the `govwatch run` command) and only
from the main thread, where Python delivers signals; Celery workers keep their own handling.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

INTERRUPTED = "已中断：监测进程收到终止信号，未发布得分；可用 govwatch run --resume 继续本次运行"


class Interrupted(BaseException):
    """A BaseException, like KeyboardInterrupt: no `except Exception` on the way may swallow it."""


def _raise(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


@contextmanager
def sigterm_interrupts():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
