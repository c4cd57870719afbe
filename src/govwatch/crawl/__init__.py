"""The crawler: Scrapy in a child process, results streamed back as JSONL.

    crawl_site(site, rulebook, run_dir, as_of=..., previous=..., progress=True, resume=False) -> CrawlResult

See spider.py for the three phases, middlewares.py for politeness and guards,
warc.py for the evidence archive (read_warc_record).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable

from govwatch import facts as F
from govwatch.crawl.result import CrawlError, CrawlResult
from govwatch.crawl.warc import read_warc_record

__all__ = ["crawl_site", "CrawlResult", "CrawlError", "read_warc_record"]


def _write_job(path: Path, site, rulebook, run_dir: Path, as_of: date, previous: F.PreviousState | None,
               resume: bool) -> None:
    """Write the child's job file. The previous run's pages are streamed into it one at a time:
    a re-run of a large portal must not build them all in memory first."""
    head = {
        "run_dir": str(run_dir), "as_of": as_of.isoformat(), "resume": resume,
        "site": F.jsonable(dataclasses.asdict(site)), "rulebook_path": str(rulebook.path), "progress_interval": 0.5,
    }
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    with open(path, "w", encoding="utf-8") as out:
        out.write(dumps(head)[:-1] + ', "prev_pages": {')
        sep = ""
        # Template links repeat on every page: each page lists its links as ids into one table
        # ("3 17 52"), so the child holds each link once (spider.prev_links_of decodes them).
        table: dict[tuple[str, str], int] = {}
        for p in (previous.iter_pages() if previous is not None else ()):
            # The child needs what decides a refetch and the links of reused pages, not the facts.
            ids = (table.setdefault((l.url, l.kind), len(table)) for l in p.links)
            entry = {"kind": p.kind, "list_row": p.list_row, "etag": p.etag, "last_modified": p.last_modified,
                     "text_hash": p.text_hash, "ok": bool(p.facts), "warc": p.warc,
                     "links": " ".join(map(str, ids))}
            out.write(f"{sep}{dumps(p.url)}: {dumps(entry)}")
            sep = ", "
        out.write('}, "prev_link_table": [')
        out.write(", ".join(dumps(list(key)) for key in table))
        table.clear()
        out.write('], "prev_links": {')
        sep = ""
        for l in (previous.iter_links() if previous is not None else ()):
            entry = {"outcome": l.outcome, "reason": l.reason, "http_status": l.http_status,
                     "checked_on": l.checked_on.isoformat() if l.checked_on else None}
            out.write(f"{sep}{dumps(l.target)}: {dumps(entry)}")
            sep = ", "
        out.write("}}")


def crawl_site(site, rulebook, run_dir: Path, *, as_of: date, previous: F.PreviousState | None = None,
               progress: bool | Callable = True, resume: bool = False, text_hook: Callable | None = None,
               watchdog=None) -> CrawlResult:
    """Crawl in a child process. `watchdog`, when given, sees every record (`saw(rec)`) and is
    asked after each poll whether the crawl still makes progress (`check()`, which raises when not)."""
    from govwatch.crawl.assemble import Assembler
    from govwatch.crawl.progress import Progress
    from govwatch.crawl.records import RECORDS, Tail
    from govwatch.crawl.worker import JOB, PARENT_ENV
    from govwatch.store import STORE

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    resume = bool(resume and (run_dir / RECORDS).exists())
    _write_job(run_dir / JOB, site, rulebook, run_dir, as_of, previous, resume)
    if not resume:
        # A fresh crawl in a used run directory starts clean: no stale records or evidence files.
        if (run_dir / RECORDS).exists():
            (run_dir / RECORDS).unlink()
        for old in (run_dir / "warc").glob("*.warc.gz"):
            old.unlink()
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env[PARENT_ENV] = str(os.getpid())
    stderr_path = run_dir / "crawl.stderr"
    display = Progress(progress, site.name)
    assembler = Assembler(as_of, previous, text_hook, store_path=run_dir / STORE)
    tail = Tail(run_dir / RECORDS)
    with open(stderr_path, "ab") as err:
        child = subprocess.Popen([sys.executable, "-m", "govwatch.crawl.worker", "run", str(run_dir)],
                                 stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env)
        try:
            while True:
                code = child.poll()
                for rec in tail.poll():
                    if watchdog is not None:
                        watchdog.saw(rec)
                    if rec.get("t") == "progress":
                        display.update(rec)
                    else:
                        assembler.feed(rec)
                if code is not None:
                    break
                if watchdog is not None:
                    watchdog.check()
                time.sleep(0.2)
        except BaseException:
            child.terminate()
            try:
                # The crawl is abandoned and its records are resumable: a short grace, then the hard way.
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            display.close()
            raise
    for rec in tail.poll():
        if rec.get("t") != "progress":
            assembler.feed(rec)
    if assembler.done is None:
        display.close()
        tail_text = stderr_path.read_text(encoding="utf-8", errors="replace")[-2000:] if stderr_path.exists() else ""
        raise CrawlError(f"采集进程异常退出（退出码 {code}）；可用 resume=True 继续。{tail_text}")
    result = assembler.result()
    if resume:  # replayed records point into the killed attempt's files too
        result.warc_files = sorted(f"warc/{p.name}" for p in (run_dir / "warc").glob("*.warc.gz"))
    stats = result.stats
    display.close(f"{site.name}：栏目 {len(result.columns)}，详情页 {len(result.pages)}，链接 {len(result.links)}，"
                  f"请求 {result.requests} 次，用时 {stats.get('elapsed_s', 0)} 秒")
    return result
