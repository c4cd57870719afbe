"""Child processes that do not outlive their parent.

`kill -9` on a process runs none of its clean-up, so its children must learn of the death from
the kernel: on Linux, prctl(PR_SET_PDEATHSIG) sends the child a signal when its parent dies.
Elsewhere this is a no-op (the children then end when their pipes close, if they read them).

A forkserver's workers are children of the forkserver, not of the process that uses them, and
they hold the forkserver's "alive" pipe open, so neither ends when that process dies. They
watch that process instead (`exit_with`), through a pidfd that becomes readable when it exits.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(expected_parent: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies. True when it is armed.

    `expected_parent` closes the race where the parent died before the call: the child then
    has a new parent already, and ends itself at once."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        return False
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), sig)
    return True


def exit_with(pid: int) -> None:
    """End this process as soon as process `pid` has exited (a pool initializer)."""
    def watch():
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): ask the kernel every second
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                threading.Event().wait(1.0)
        else:
            select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="govwatch-exit-with", daemon=True).start()
