"""Progress display for a running crawl: rich on a terminal, a few plain lines otherwise,
or a caller's callback (CLI, tests)."""

from __future__ import annotations

import sys
import time
from typing import Callable

PHASES = {"discover": "发现栏目", "details": "抓取页面", "links": "检查链接"}


class Progress:
    def __init__(self, spec: bool | Callable, site_name: str):
        self.callback = spec if callable(spec) else None
        self.enabled = bool(spec)
        self.site_name = site_name
        self.live = None
        self.last_plain = 0.0
        self.tty = sys.stderr.isatty()
        if self.enabled and self.callback is None and self.tty:
            from rich.console import Console
            from rich.live import Live

            self.live = Live(console=Console(stderr=True), refresh_per_second=4, transient=True)
            self.live.start()

    def update(self, rec: dict) -> None:
        if not self.enabled:
            return
        if self.callback is not None:
            self.callback(rec)
            return
        phase = PHASES.get(rec.get("phase"), rec.get("phase", ""))
        line = (f"{self.site_name} [{phase}] 页面 {rec.get('pages', 0)}  链接 {rec.get('links', 0)}  "
                f"队列 {rec.get('queue', 0)}  错误 {rec.get('errors', 0)}  请求 {rec.get('requests', 0)}  "
                f"{rec.get('rate', 0)} 次/秒")
        if self.live is not None:
            from rich.text import Text

            self.live.update(Text(line))
        elif time.monotonic() - self.last_plain >= 10:
            # Not a terminal (a log file, CI): one line every 10 s, no redraws.
            self.last_plain = time.monotonic()
            print(line, file=sys.stderr, flush=True)

    def close(self, summary: str | None = None) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self.enabled and self.callback is None and summary:
            print(summary, file=sys.stderr, flush=True)
