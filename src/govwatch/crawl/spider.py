"""The Scrapy spider: a thin coordinator of three phases driven from `start()`.

1. discover (phase_discover.py): section roots and pinned columns → navigation pages → list
   pages and their pagination; list pages group into columns.
2. details (phase_details.py): every item of every column (new, changed or previously
   unverified items only, on an incremental run).
3. links (phase_links.py): every distinct link/image/attachment target on crawled pages.

This module holds the state the phases share, the request plumbing (pending-task accounting,
errbacks, the parse pool) and the phase driver. Each phase's requests are fed lazily (the
scheduler is kept short), so memory stays flat on large sites. Results stream to the JSONL
record file; per-page state kept in memory is small (URLs, list rows, link carriers as integer ids).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from array import array
from collections import Counter, deque
from urllib.parse import urlsplit

import scrapy
from scrapy import signals

from govwatch.crawl import discovery as D
from govwatch.crawl import httpcache as H
from govwatch.crawl import parse as P
from govwatch.crawl import verdicts as V
from govwatch.crawl.phase_details import DetailsPhase
from govwatch.crawl.phase_discover import DiscoveryPhase, pushed_off  # noqa: F401 (re-exported)
from govwatch.crawl.phase_links import LinksPhase
from govwatch.crawl.warc import WarcStore

HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "")
GATE = 64  # scheduler length above which start() waits before feeding more requests


class GovSpider(DiscoveryPhase, DetailsPhase, LinksPhase, scrapy.Spider):
    name = "govwatch"
    custom_settings: dict = {}

    def __init__(self, job: dict, site, rulebook, extract: dict, writer, replay: dict, pool=None, **kwargs):
        super().__init__(**kwargs)
        self.job = job
        self.site = site
        self.rulebook = rulebook
        self.fx = extract
        self.out = writer
        self.replay = replay  # resume checkpoint: ("fetch"|"page"|"link", url) -> record
        self.allowed = {h.lower() for h in site.allowed_hosts}
        self.guide_elements = dict(rulebook.rule("guide.missing_element").get("elements", {}))
        self.prev_pages: dict = job.get("prev_pages", {})
        self.prev_link_table: list = job.get("prev_link_table", [])
        self.prev_links: dict = job.get("prev_links", {})
        self.warc = WarcStore(job["run_dir"])
        self.pool = pool
        self.pool_failed = False
        self.pending = 0
        self.local: deque = deque()  # replayed work, processed in start()
        self.phase = "discover"
        self.t0 = time.monotonic()
        self.phase_times: dict[str, float] = {}
        self.counts = {"pages": 0, "errors": 0, "links": 0, "reused_pages": 0, "reused_links": 0}
        self.errors_by_kind: dict[str, int] = {}
        self.html_fetches = 0
        self.max_pages_hit = False
        # discovery state
        self.order = 0
        self.requested: set[str] = set()
        self.lists: dict[str, dict] = {}  # list page url -> info (items, pages, status...)
        self.groups = D.ListGroups()
        self.traps = D.TrapGuard(int(site.extra.get("query_variants", D.QUERY_VARIANTS)))
        self.trap_warned: set[str] = set()
        self.nav_depth = int(site.extra.get("nav_depth", D.NAV_DEPTH))
        self.column_pages: dict[str, int] = {}
        self.paging_capped: set[str] = set()  # column heads whose walk hit the rulebook's max_list_pages
        self.root_lists: dict[str, tuple] = {}  # section roots that looked like lists
        self.column_items: dict[str, set] = {}  # column head -> item URLs seen (pagination trap guard)
        # pages and links
        self.page_ids: dict[str, int] = {}
        self.page_urls: list[str] = []
        self.targets: dict[str, list] = {}  # target -> [kind, array of carrier page ids]
        self.fresh_targets: set[str] = set()
        self.url_outcome: dict[str, tuple] = {}  # crawled url -> (outcome, reason, http_status, warc)
        self.probes: dict[str, object] = {}  # host -> None (pending) | fingerprint | False
        self.probe_waiting: dict[str, list] = {}
        self.unverified: list[tuple[str, str]] = []
        # request breakdown (middlewares.RequestTally counts discovery requests per URL)
        self.discover_requests: Counter = Counter()
        self.head_urls: set[str] = set()  # list pages that head a column (not pagination)
        # incremental list walks (httpcache.py): the per-site cache sets self.list_cache when it opens
        self.list_cache = None
        self.incremental = bool(self.prev_pages or self.prev_links)
        self.as_of = dt.date.fromisoformat(job["as_of"])
        self.walk_days = H.full_walk_days(site)
        self.walks: dict[str, dict] = {}  # column head -> how its list is walked this run (_walk_decision)
        self.head_newest: dict[str, dt.date | None] = {}  # column head -> newest item date on it
        self.deeper_newest: dict[str, dt.date] = {}  # column head -> newest item date on its other pages
        self.walk_failed: set[str] = set()  # heads with a list page that could not be read this run
        self.cache_counts = Counter()

    # ------------------------------------------------------------------ plumbing

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def _closed(self, spider, reason):
        self.warc.close()

    def warn(self, text: str) -> None:
        self.out.write({"t": "warning", "text": text})

    def _error(self, reason: str) -> None:
        self.counts["errors"] += 1
        self.errors_by_kind[reason] = self.errors_by_kind.get(reason, 0) + 1

    def progress(self) -> dict:
        engine = self.crawler.engine
        queue = self.pending
        try:
            queue = len(engine._slot.scheduler) + len(engine.downloader.active)
        except Exception:
            pass
        elapsed = max(time.monotonic() - self.t0, 1e-6)
        requests = self.crawler.stats.get_value("downloader/request_count", 0)
        return {"t": "progress", "phase": self.phase, "pages": self.counts["pages"], "links": self.counts["links"],
                "queue": queue, "pending": self.pending, "errors": self.counts["errors"], "requests": requests,
                "rate": round(requests / elapsed, 1)}

    def _page_id(self, url: str) -> int:
        pid = self.page_ids.get(url)
        if pid is None:
            pid = self.page_ids[url] = len(self.page_urls)
            self.page_urls.append(url)
        return pid

    def prev_links_of(self, prev: dict | None) -> list:
        """A previous page's links: ids into the job's link table, or (older job files) a list."""
        links = (prev or {}).get("links") or []
        if isinstance(links, str):
            table = self.prev_link_table
            return [{"url": table[i][0], "kind": table[i][1]} for i in map(int, links.split())]
        return links

    def _carry(self, page_url: str, links, fresh: bool) -> None:
        pid = self._page_id(page_url)
        for link in links:
            url, kind = (link["url"], link["kind"]) if isinstance(link, dict) else (link.url, link.kind)
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            entry = self.targets.get(url)
            if entry is None:
                entry = self.targets[url] = [kind, array("I")]
            elif kind == "attachment" or (kind == "img" and entry[0] == "a"):
                entry[0] = kind
            carriers = entry[1]
            if not carriers or carriers[-1] != pid:
                carriers.append(pid)
            if fresh:
                self.fresh_targets.add(url)

    def _request(self, url: str, callback, meta: dict, *, method: str = "GET", headers=None, priority: int = 0,
                 errback=None) -> scrapy.Request:
        self.pending += 1
        meta = {"handle_httpstatus_all": True, **meta}
        return scrapy.Request(url, callback=callback, errback=errback or self._errback, meta=meta, method=method,
                              headers=headers, priority=priority, dont_filter=True)

    def _task_done(self) -> None:
        self.pending -= 1

    def _html(self, response) -> str | None:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if ctype and not ctype.lower().startswith(HTML_TYPES[:3]) and not P.looks_like_html(response.body):
            return None  # servers label extension-less pages octet-stream: sniff before giving up
        if ctype and not ctype.lower().startswith(HTML_TYPES[:3]):
            ctype = ""
        return self.fx["decode_html"](response.body, ctype or None)

    @staticmethod
    def _origin_url(request) -> str:
        chain = request.meta.get("redirect_urls")
        return chain[0] if chain else request.url

    def _errback(self, failure):
        request = failure.request
        outcome, reason = V.failure_verdict(failure.value)
        role = request.meta.get("role")
        self._error(reason)
        try:
            if role == "discover":
                return list(self._discovered(request.meta, self._origin_url(request), None, [], None, reason,
                                             request.meta.get("warc")))
            if role == "detail":
                self._detail_failed(request.meta, reason, None, request.meta.get("warc"), outcome)
                return []
            if role == "link":
                return list(self._link_failure(request, outcome, reason))
            if role == "probe":
                self._probe_done(request.meta["host"], False)
                return []
        finally:
            self._task_done()
        return []

    # ------------------------------------------------------------------ phase driver

    async def start(self):
        site = self.site
        problem = getattr(self.list_cache, "problem", None)
        if problem:
            self.warn(problem)
        for unit in site.units:
            for root in unit.sections:
                for r in self._discover(root, unit.code, depth=0, anchor="", via="root"):
                    yield r
        for pin in site.columns:
            for r in self._discover(pin.url, pin.unit or site.unit_for_url(pin.url), depth=0, anchor=pin.name or "",
                                    via="pin"):
                yield r
        async for r in self._drain():
            yield r
        self._save_walks()
        self.phase_times["discover"] = time.monotonic() - self.t0

        for phase, jobs in (("details", self._detail_jobs), ("links", self._link_jobs)):
            async for r in self._run_phase(phase, jobs):
                yield r
        self._finish()

    async def _run_phase(self, phase: str, jobs):
        """Feed one phase's requests as the scheduler can take them, then wait for it to finish."""
        self.phase = phase
        t = time.monotonic()
        for r in jobs():
            if r is not None:
                yield r
            async for q in self._gate():
                yield q
        async for r in self._drain():
            yield r
        self.phase_times[phase] = time.monotonic() - t

    async def _gate(self):
        """Wait while the scheduler is long: requests are created only as they can be sent."""
        while True:
            while self.local:
                for r in self._run_local():
                    yield r
            try:
                backlog = len(self.crawler.engine._slot.scheduler)
            except Exception:
                backlog = 0
            if backlog < GATE:
                return
            await asyncio.sleep(0.005)

    async def _drain(self):
        """Wait until every task of the phase has finished."""
        idle_since = None
        while True:
            while self.local:
                for r in self._run_local():
                    yield r
            if self.pending <= 0:
                return
            engine = self.crawler.engine
            try:
                busy = len(engine._slot.scheduler) or engine.downloader.active or engine.scraper.slot.active
            except Exception:
                busy = True
            # Safety net: tasks that vanished without callback must not hang the crawl.
            if not busy:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 5:
                    self.warn(f"采集阶段 {self.phase} 有 {self.pending} 个任务未返回结果，已跳过")
                    self.pending = 0
                    return
            else:
                idle_since = None
            await asyncio.sleep(0.01)

    def _run_local(self):
        fn, args = self.local.popleft()
        out = fn(*args) or []
        self._task_done()
        return out

    async def _parse(self, fn, *args):
        """Run a parse function in the pool when there is one (a spare core), else inline."""
        if self.pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)
            except Exception as exc:  # a broken pool must not lose the page
                if not self.pool_failed:
                    self.pool_failed = True
                    self.warn(f"解析进程出错，改为在采集进程内解析：{type(exc).__name__}")
                self.pool = None
        return fn(*args)


    # ------------------------------------------------------------------ end

    def _finish(self):
        stats = self.crawler.stats
        elapsed = time.monotonic() - self.t0
        requests = stats.get_value("downloader/request_count", 0)
        self.out.write({
            "t": "done", "requests": requests, "crawled_pages": self.counts["pages"],
            "unverified": self.unverified, "warc_files": self.warc.files,
            "stats": {
                "elapsed_s": round(elapsed, 3), "requests": requests,
                "pages_per_s": round(self.counts["pages"] / elapsed, 1) if elapsed else None,
                "requests_per_s": round(requests / elapsed, 1) if elapsed else None,
                "bytes": stats.get_value("govwatch/bytes", 0),
                "errors_by_kind": self.errors_by_kind, "phase_seconds": {k: round(v, 3) for k, v in self.phase_times.items()},
                "reused_pages": self.counts["reused_pages"], "reused_links": self.counts["reused_links"],
                # The re-check rota: links reusable from the previous run, and how many were checked again.
                "recheck_candidates": self.counts.get("recheck_candidates", 0),
                "rechecked_links": self.counts.get("rechecked_links", 0),
                "link_targets": len(self.targets), "html_fetches": self.html_fetches,
                "requests_by_kind": self.request_breakdown(),
                "list_cache": {**dict(self.cache_counts),
                               # columns with pagination, by how their list was walked
                               **{f"walk_{how}": sum(1 for w in self.walks.values() if w["paged"] and w["how"] == how)
                                  for how in ("full", "reuse", "shift")}},
                "status_counts": {k.rsplit("/", 1)[-1]: v for k, v in stats.get_stats().items()
                                  if k.startswith("downloader/response_status_count/")},
            },
        })
        self.warc.flush()

    def request_breakdown(self) -> dict[str, int]:
        """Requests by what they were for: robots, section_root, nav (pages that were not lists),
        list_head, list_pagination, detail_new, detail_refetch, link_head, link_get, probe."""
        out: dict[str, int] = {}
        for key, n in self.crawler.stats.get_stats().items():
            if key.startswith("govwatch/requests/"):
                out[key.rsplit("/", 1)[-1]] = n
        roots = {r for unit in self.site.units for r in unit.sections}
        for url, n in self.discover_requests.items():
            if url in self.head_urls:
                kind = "list_head"
            elif url in roots:
                kind = "section_root"
            else:
                kind = "nav"
            out[kind] = out.get(kind, 0) + n
        return dict(sorted(out.items()))

