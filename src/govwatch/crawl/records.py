"""The crawl's JSONL stream: the child process appends one JSON object per line,
the parent tails it for progress and loads it for the result. It doubles as the
resume checkpoint: a killed crawl's records are replayed instead of refetched."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

RECORDS = "crawl.jsonl"


class RecordWriter:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._fh = open(self.path, "a", encoding="utf-8")

    def write(self, record: dict) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        # One record per flush: a kill loses at most the line being written.
        self._fh.flush()

    def close(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()


def read_records(path: Path):
    """Every complete record; a torn last line (killed writer) is skipped."""
    path = Path(path)
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def truncate_torn_tail(path: Path) -> None:
    """Cut a half-written last line so that appended records start on a fresh line."""
    path = Path(path)
    if not path.exists():
        return
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            chunk = fh.read(step)
            idx = chunk.rfind(b"\n")
            if idx >= 0:
                fh.truncate(pos - step + idx + 1)
                return
            pos -= step
        fh.truncate(0)


class Tail:
    """Reads records appended since the last call (for live progress), one at a time.

    Reads in bounded chunks: the link phase writes its records in a burst (a template link's
    record lists every page of the site), and a resumed crawl replays the whole file, so
    reading everything new at once would hold hundreds of megabytes on a large portal."""

    CHUNK = 1 << 20

    def __init__(self, path: Path):
        self.path = Path(path)
        self.offset = 0
        self.partial = b""

    def poll(self) -> Iterator[dict]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            while True:
                data = fh.read(self.CHUNK)
                if not data:
                    return
                self.offset += len(data)
                lines = (self.partial + data).split(b"\n")
                self.partial = lines.pop()
                for line in lines:
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    yield rec
