"""The Scrapy spider: three phases driven from `start()`.

1. discover: section roots and pinned columns → navigation pages → list pages and
   their pagination; list pages group into columns.
2. details: every item of every column (new, changed or previously unverified
   items only, on an incremental run).
3. links: every distinct link/image/attachment target on crawled pages.

Each phase's requests are fed lazily (the scheduler is kept short), so memory
stays flat on large sites. Results stream to the JSONL record file; per-page
state kept in memory is small (URLs, list rows, link carriers as integer ids).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
import uuid
from array import array
from collections import Counter, deque
from urllib.parse import urlsplit

import scrapy
from scrapy import signals

from govwatch import facts as F
from govwatch.crawl import discovery as D
from govwatch.crawl import httpcache as H
from govwatch.crawl import parse as P
from govwatch.crawl import verdicts as V
from govwatch.crawl.warc import WarcStore

HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "")
GATE = 64  # scheduler length above which start() waits before feeding more requests


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class GovSpider(scrapy.Spider):
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

    # ------------------------------------------------------------------ phase 1: discovery

    def _in_allowed(self, url: str) -> bool:
        return _host(url) in self.allowed

    def _discover(self, url: str, unit: str | None, *, depth: int, anchor: str, via: str, column: str | None = None):
        url = D.strip_fragment(url)
        if url in self.requested or not self._in_allowed(url):
            return []
        if self.html_fetches >= self.site.max_pages:
            self._max_pages_warning()
            return []
        self.requested.add(url)
        self.order += 1
        meta = {"role": "discover", "unit": unit, "depth": depth, "anchor": anchor, "via": via,
                "order": self.order, "column": column}
        cached = self.replay.get(("fetch", url))
        if cached is not None:
            self.pending += 1
            self.local.append((self._replay_discovered, (meta, cached)))
            return []
        if via == "page" and self.walks.get(column, {}).get("how") in ("reuse", "shift"):
            meta["govwatch_reuse"] = True  # answered from the list cache when it has the page
        self.html_fetches += 1
        priority = 10 if via == "page" else -depth
        return [self._request(url, self._on_discover, meta, priority=priority)]

    def _max_pages_warning(self):
        if not self.max_pages_hit:
            self.max_pages_hit = True
            self.warn(f"已达到最大抓取页数 {self.site.max_pages}，其余页面未抓取")

    def _replay_discovered(self, meta, rec):
        listing = P.listpage_from_json(rec["list"]) if rec.get("list") else None
        return list(self._discovered(meta, rec["url"], listing, rec.get("links") or [], rec.get("status_code"),
                                     rec.get("reason"), rec.get("warc"), replayed=True,
                                     list_hint=bool(rec.get("list_hint")), walk=rec.get("walk")))

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

    async def _on_discover(self, response):
        request = response.request
        url = self._origin_url(request)
        warc = request.meta.get("warc")
        try:
            reason = None
            listing, links = None, []
            if response.status != 200:
                body = self.fx["decode_html"](response.body, None) if response.body else ""
                reason = V.WAF_REASON if V.is_waf_challenge(response.status, body) else V.http_reason(response.status)
            else:
                ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
                parsed = await self._parse(P.parse_list, response.url, response.body, ctype)
                if not parsed["html"]:
                    reason = "不是网页"
                else:
                    listing = P.listpage_from_json(parsed["list"])
                    links = parsed["links"]
            if reason:
                self._error(reason)
            hint = bool(listing is not None and parsed.get("list_hint"))
            source = request.meta.get("govwatch_cache")
            if source:
                self.cache_counts[source] += 1
                if source == "reused":
                    self.html_fetches -= 1  # not a fetch
            walk = None
            if listing is not None and request.meta["via"] != "page":
                walk = self._walk_decision(url, parsed["list"])
            self.out.write({"t": "fetch", "url": url, "final_url": response.url, "status_code": response.status,
                            "reason": reason, "warc": warc, "list": parsed["list"] if listing else None,
                            "links": links, "list_hint": hint, "walk": walk, "cache": source})
            return list(self._discovered(request.meta, url, listing, links, response.status, reason, warc,
                                         list_hint=hint, walk=walk))
        finally:
            self._task_done()

    def _walk_decision(self, head: str, data: dict) -> dict:
        """How to walk the pagination of a list page that may head a column (recorded in the fetch
        record, so a resumed crawl keeps it). On a re-run, with the column's periodic full walk not
        due (httpcache.full_walk_due) and the column not a consultation column (its rows change as
        questions are answered):

        - "reuse": the page lists exactly what it listed last time (same items, row texts, dates,
          page links, placeholder). The deeper pages come from the list cache without a request.
        - "shift": the page lists new items on top and then, in the same order and unchanged, the
          items it listed last time minus as many at the bottom (a newest-first list that grew).
          The items pushed off it are known, so the deeper pages are reused as well.
        - "full" otherwise: every page is asked (conditionally).

        "extra" holds the items pushed off the first page since the last full walk: they are
        below it now, on pages reused from the cache as they were before the push."""
        digest = P.list_digest(data)
        full = {"how": "full", "digest": digest}
        if not (self.incremental and self.list_cache is not None and self.walk_days > 0):
            return full
        items = list(data.get("items", ()))
        if any((self.prev_pages.get(i["url"]) or {}).get("kind") == "question" for i in items):
            return full
        last = self.list_cache.last_walk(head)
        if last is None or H.full_walk_due(head, self.as_of, last["walked_on"], self.walk_days):
            return full
        keep = {"digest": digest, "walked_on": last["walked_on"].isoformat()}
        if last["digest"] == digest:
            return {"how": "reuse", **keep, "extra": last["extra"]}
        pushed = pushed_off(last["items"], items)
        if pushed is None:
            return full
        return {"how": "shift", **keep, "extra": pushed + last["extra"]}

    def _save_walks(self) -> None:
        """Remember how each column's list stands after this run: a complete full walk, or a first
        page that grew on top (its new items and the items pushed off it). Forget the columns
        whose walk could not read every list page (cached pages may be older than the first page)
        and those whose list is undated or not newest first (a deeper page has an item newer than
        the first page's newest: new items may land there): they are walked in full every run."""
        if self.list_cache is None:
            return
        update = {}
        for head, walk in self.walks.items():
            newest, deeper = self.head_newest.get(head), self.deeper_newest.get(head)
            newest_first = newest is not None and (deeper is None or deeper <= newest)
            if head in self.walk_failed or not newest_first:
                update[head] = None
            elif head not in self.head_urls or not walk.get("digest"):
                continue
            elif walk["how"] == "full":
                update[head] = {"walked_on": self.as_of, "digest": walk["digest"], "items": walk["items"],
                                "extra": []}
            elif walk["how"] == "shift":
                update[head] = {"walked_on": dt.date.fromisoformat(walk["walked_on"]), "digest": walk["digest"],
                                "items": walk["items"], "extra": walk["extra"]}
        self.list_cache.set_walks(update)
        problem = self.list_cache.problem
        if problem and problem.startswith("列表页缓存写入失败"):
            self.warn(problem)

    def _discovered(self, meta, url, listing, links, status_code, reason, warc, replayed=False, list_hint=False,
                    walk=None):
        """Handle a fetched (or replayed, or failed) discovery page; yields follow-up requests."""
        if replayed is False and reason is not None and status_code is None:
            self.out.write({"t": "fetch", "url": url, "status_code": None, "reason": reason, "warc": warc,
                            "list": None, "links": []})
        ok = reason is None
        self.url_outcome[url] = self._crawl_outcome(status_code, reason, warc)
        if ok:
            self.counts["pages"] += 1
            self._carry(url, links, fresh=False)
        via, unit, depth = meta["via"], meta["unit"], meta["depth"]
        if via == "page" and status_code in (404, 410):
            # A dead pagination link is the site's broken link (the link check reports it),
            # not a failure to read the column.
            ok, reason, listing = True, None, None
        is_list = listing is not None and (D.is_list_page(listing) or list_hint)
        if via == "root" and is_list and not (listing.pages or listing.placeholder or list_hint):
            is_list = False  # a unit's home page shows blocks of other columns' items
            self.root_lists[url] = (meta, listing, warc)  # unless the unit turns out to have no other column
        if via in ("page", "pin") or is_list:
            newest = None
            if ok and listing is not None:
                newest = max((i.date for i in listing.items if i.date is not None), default=None)
                if via != "page" and isinstance(walk, dict):
                    self.walks[url] = {**walk, "paged": bool(listing.pages), "items": F.jsonable(listing.items)}
                    self.head_newest[url] = newest
                    if walk["how"] != "full" and walk.get("extra"):
                        # items pushed off the first page since the last full walk: the column has them
                        extra = P.listpage_from_json({"url": url, "items": walk["extra"]}).items
                        listing = dataclasses.replace(listing, items=listing.items + extra)
                elif via == "page" and newest is not None and meta.get("column"):
                    head = meta["column"]
                    self.deeper_newest[head] = max(newest, self.deeper_newest.get(head, newest))
            self._register_list(url, meta, listing, ok, reason, warc)
            if via == "page" and not ok and meta.get("column"):
                self.walk_failed.add(meta["column"])
            if ok and listing is not None:
                yield from self._follow_pagination(url, meta, listing)
        elif not ok and via == "nav" and self._crawl_outcome(status_code, reason, warc)[0] == "unverified":
            # A section link we could not read (5xx, WAF, timeout) may well be a column: report it as an
            # unverified column, which is never charged, rather than lose it.
            self._register_list(url, meta, None, ok, reason, warc)
        elif not ok:
            self.unverified.append((url, reason))
        if ok and listing is not None and via != "page":
            # Also at the depth limit: trap detection needs to see the links it will not follow.
            yield from self._follow_nav(url, unit, depth, listing, links, follow=depth < self.nav_depth)

    def _crawl_outcome(self, status_code, reason, warc):
        if reason is None:
            return ("ok", None, status_code, warc)
        if status_code in (404, 410) or reason == V.SOFT404_REASON:
            return ("broken", reason, status_code, warc)
        return ("unverified", reason, status_code, warc)

    def _register_list(self, url, meta, listing, ok, reason, warc):
        self.groups.add(url)
        if meta["via"] != "page":
            self.head_urls.add(url)
        self.lists[url] = {
            "via": meta["via"], "order": (meta["depth"], meta["order"]), "unit": meta["unit"],
            "anchor": meta["anchor"], "ok": ok, "reason": reason, "warc": warc,
            "items": listing.items if listing else (), "pages": listing.pages if listing else (),
            "placeholder": listing.placeholder if listing else None,
            "name": listing.column_name if listing else None,
        }

    def _follow_pagination(self, url, meta, listing):
        head = meta.get("column") or url
        known = self.column_pages.get(head, 0)
        seen = self.column_items.setdefault(head, set())
        fresh = [i.url for i in listing.items if i.url not in seen]
        seen.update(fresh)
        if meta["via"] == "page" and listing.items and not fresh:
            # An endless pagination (every page the same items) stops when a page adds nothing new.
            return
        for page in listing.pages:
            page = D.strip_fragment(page)
            if not self._in_allowed(page):
                continue
            self.groups.union(url, page)
            if page in self.requested:
                continue
            if known >= D.MAX_LIST_PAGES:
                self.warn(f"栏目分页超过 {D.MAX_LIST_PAGES} 页，已停止翻页：{head}")
                return
            known += 1
            self.column_pages[head] = known
            yield from self._discover(page, meta["unit"], depth=meta["depth"], anchor="", via="page", column=head)

    def _follow_nav(self, url, unit, depth, listing, links, follow=True):
        skip = {i.url for i in listing.items if i.date is not None} | set(listing.pages)
        for link in links:
            target = D.strip_fragment(link["url"])
            if link["kind"] != "a" or target in skip or target in self.requested:
                continue
            if not self._in_allowed(target) or self.site.unit_for_url(target) != unit or unit is None:
                continue
            if not self.traps.allow(target, url):
                key = self.traps.key(target)
                if key not in self.trap_warned:
                    self.trap_warned.add(key)
                    first = self.traps.first.get(key, target)
                    self.warn(f"疑似爬虫陷阱（同一路径的查询参数不断变化），已停止跟踪：{first}")
                    self.unverified.append((first, "疑似爬虫陷阱，已停止跟踪"))
                continue
            if follow:
                yield from self._discover(target, unit, depth=depth + 1, anchor=link.get("text", ""), via="nav")

    def _columns(self) -> list[dict]:
        """Group list pages into columns and write their records."""
        out = []
        pins = {p.url: p for p in self.site.columns}
        from govwatch.rulebook.classify import classify_column

        # A section root with dated items is a column after all when nothing else of its unit is.
        units_with_columns = {info["unit"] for info in self.lists.values()}
        for url, (meta, listing, warc) in self.root_lists.items():
            if meta["unit"] not in units_with_columns:
                self._register_list(url, meta, listing, True, None, warc)
        self.root_lists.clear()

        for members in self.groups.groups().values():
            members = [m for m in members if m in self.lists]
            if not members:
                continue
            heads = [m for m in members if self.lists[m]["via"] in ("pin", "nav", "root")] or members
            head = min(heads, key=lambda m: (0 if m in pins else 1, self.lists[m]["order"]))
            ordered, queue, seen = [], deque([head]), {head}
            while queue:
                u = queue.popleft()
                ordered.append(u)
                for p in self.lists[u]["pages"]:
                    if p in self.lists and p not in seen:
                        seen.add(p)
                        queue.append(p)
            ordered += sorted((m for m in members if m not in seen), key=lambda m: self.lists[m]["order"])
            items, item_urls = [], set()
            for u in ordered:
                for item in self.lists[u]["items"]:
                    if item.url not in item_urls:
                        item_urls.add(item.url)
                        items.append(item)
            info = self.lists[head]
            failed = [self.lists[u] for u in ordered if not self.lists[u]["ok"]]
            pin = pins.get(head)
            name = (pin.name if pin and pin.name else None) or D.column_name(info["anchor"], _Named(info["name"]))
            unit = (pin.unit if pin and pin.unit else None) or self.site.unit_for_url(head) or info["unit"]
            cls = classify_column(name, self.rulebook)
            category = pin.category if pin and pin.category else cls.category
            key_area = pin.key_area if pin and pin.key_area is not None else cls.key_area
            expected = pin.expected if pin and pin.expected else cls.expected
            column = {
                "url": head, "unit": unit, "name": name, "category": category, "key_area": key_area,
                "expected": expected, "status": F.UNVERIFIED if failed else F.OK,
                "items": F.jsonable(items), "placeholder": None if items else info["placeholder"],
                "reason": failed[0]["reason"] if failed else None, "warc": info["warc"],
                "pages": ordered, "_order": info["order"],
            }
            if failed:
                self.unverified.append((head, failed[0]["reason"]))
            out.append(column)
        out.sort(key=lambda c: (c["unit"] or "", c["_order"]))
        for column in out:
            column.pop("_order")
            self.out.write({"t": "column", **column})
        return out

    # ------------------------------------------------------------------ phase 2: detail pages

    def _kind(self, category: str) -> str:
        return {"consultation": "question", "guide": "guide"}.get(category, "article")

    def _detail_jobs(self):
        columns = self._columns()
        self.lists.clear()  # list state is no longer needed: keep memory flat
        self.column_items.clear()
        self.requested.clear()
        assigned: set[str] = set()
        for column in columns:
            kind = self._kind(column["category"])
            for item in column["items"]:
                url = item["url"]
                if url in assigned or not self._in_allowed(url):
                    continue
                assigned.add(url)
                meta = {"role": "detail", "url": url, "column_url": column["url"], "unit": column["unit"],
                        "kind": kind, "list_date": item["date"], "row": item["row"]}
                yield self._detail(meta)
            column["items"] = ()  # written out already; free as the phase goes

    def _detail(self, meta):
        url = meta["url"]
        cached = self.replay.get(("page", url))
        if cached is not None:
            self.pending += 1
            self.local.append((self._replay_page, (cached,)))
            return None
        prev = self.prev_pages.get(url)
        if prev and prev.get("ok") and prev.get("list_row") == meta["row"] and prev.get("kind") == meta["kind"]:
            self._reuse_page(meta, prev, "unchanged")
            return None
        if self.html_fetches >= self.site.max_pages:
            self._max_pages_warning()
            self._detail_failed(meta, "超出抓取页数上限", None, None, "unverified")
            return None
        headers = {}
        if prev and prev.get("ok"):
            if prev.get("etag"):
                headers["If-None-Match"] = prev["etag"]
            if prev.get("last_modified"):
                headers["If-Modified-Since"] = prev["last_modified"]
            meta["prev"] = True
        self.html_fetches += 1
        return self._request(url, self._on_detail, meta, headers=headers or None)

    def _reuse_page(self, meta, prev, why):
        self.counts["reused_pages"] += 1
        self.url_outcome[meta["url"]] = ("ok", None, 200, prev.get("warc"))
        self._carry(meta["url"], self.prev_links_of(prev), fresh=False)
        self.out.write({"t": "page", "url": meta["url"], "column_url": meta["column_url"], "unit": meta["unit"],
                        "kind": meta["kind"], "status": F.OK, "list_date": meta["list_date"], "row": meta["row"],
                        "reused": why})

    def _replay_page(self, rec):
        self.url_outcome[rec["url"]] = tuple(rec.get("outcome") or ("ok", None, 200, rec.get("warc")))
        if rec.get("status") == F.OK:
            links = rec.get("links")
            if links is None:
                links = self.prev_links_of(self.prev_pages.get(rec["url"]))
            self._carry(rec["url"], links, fresh=bool(rec.get("fresh")))
        return []

    async def _on_detail(self, response):
        request = response.request
        meta = request.meta
        url = meta["url"]
        warc = meta.get("warc")
        try:
            if response.status == 304 and meta.get("prev"):
                self._reuse_page(meta, self.prev_pages[url], "not_modified")
                return []
            if response.status != 200:
                waf = V.is_waf_challenge(response.status, self.fx["decode_html"](response.body, None))
                reason = V.WAF_REASON if waf else V.http_reason(response.status)
                self._detail_failed(meta, reason, response.status, warc,
                                    "broken" if response.status in (404, 410) else "unverified")
                return []
            ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
            kind = meta["kind"]
            parsed = await self._parse(P.parse_detail, response.url, response.body, ctype, kind, meta["list_date"],
                                       self.guide_elements)
            if not parsed["html"]:
                self._detail_failed(meta, "不是网页", 200, warc, "unverified")
                return []
            if parsed["soft404"]:
                self._detail_failed(meta, V.SOFT404_REASON, 200, warc, "broken")
                return []
            links, text_hash = parsed["links"], parsed["text_hash"]
            prev = self.prev_pages.get(url)
            self.counts["pages"] += 1
            self.url_outcome[url] = ("ok", None, 200, warc)
            self._carry(url, links, fresh=True)
            self.out.write({
                "t": "page", "url": url, "column_url": meta["column_url"], "unit": meta["unit"], "kind": kind,
                "status": F.OK, "list_date": meta["list_date"], "row": meta["row"], "warc": warc,
                "facts": parsed["facts"], "links": links, "text_hash": text_hash,
                "etag": _header(response, b"ETag"), "last_modified": _header(response, b"Last-Modified"),
                "text_changed": not prev or prev.get("text_hash") != text_hash, "fresh": True,
                "outcome": ["ok", None, 200, warc],
            })
            return []
        finally:
            self._task_done()

    def _detail_failed(self, meta, reason, status_code, warc, outcome):
        if status_code is not None:
            self._error(reason)
        self.url_outcome[meta["url"]] = (outcome, reason, status_code, warc)
        self.unverified.append((meta["url"], reason))
        self.out.write({"t": "page", "url": meta["url"], "column_url": meta["column_url"], "unit": meta["unit"],
                        "kind": meta["kind"], "status": F.UNVERIFIED, "list_date": meta["list_date"],
                        "row": meta["row"], "warc": warc, "reason": reason,
                        "outcome": [outcome, reason, status_code, warc]})

    # ------------------------------------------------------------------ phase 3: link checks

    def _link_jobs(self):
        for target, (kind, carriers) in self.targets.items():
            known = self.url_outcome.get(target)
            if known is not None:
                # Judged as a page this run; the date it was last actually checked carries over
                # while its outcome stays the same (docs/rules.md, persistent 5xx).
                prev = self.prev_links.get(target) or {}
                self._link_result(target, known[0], known[1], known[2], known[3], checked=False,
                                  checked_on=prev.get("checked_on") if prev.get("outcome") == known[0] else None)
                continue
            cached = self.replay.get(("link", target))
            if cached is not None:
                self._link_emit(cached)
                continue
            prev = self.prev_links.get(target)
            if prev and prev.get("outcome") == "ok" and target not in self.fresh_targets:
                self.counts["reused_links"] += 1
                self._link_result(target, "ok", prev.get("reason"), prev.get("http_status"), None, checked=False,
                                  checked_on=prev.get("checked_on"))
                continue
            yield self._request(target, self._on_link, {"role": "link", "target": target, "step": "head",
                                                        "dont_obey_robotstxt": True,
                                                        "download_maxsize": self.site.max_page_bytes},
                                method="HEAD")

    def _link_emit(self, rec):
        kind, carriers = self.targets[rec["target"]]
        rec = {**rec, "kind": kind, "carriers": [self.page_urls[i] for i in carriers]}
        self.counts["links"] += 1
        self.out.write(rec)

    def _link_result(self, target, outcome, reason, status, warc, *, checked=True, checked_on=None):
        self._link_emit({"t": "link", "target": target, "outcome": outcome, "reason": reason, "http_status": status,
                         "warc": warc, "checked": checked,
                         "checked_on": self.job["as_of"] if checked else (checked_on or self.job["as_of"])})

    def _get(self, request):
        meta = {k: request.meta[k] for k in ("role", "target", "dont_obey_robotstxt", "download_maxsize")}
        meta["step"] = "get"
        self.pending += 1
        return scrapy.Request(request.meta["target"], callback=self._on_link, errback=self._errback,
                              meta={"handle_httpstatus_all": True, **meta}, dont_filter=True)

    def _on_link(self, response):
        request = response.request
        target = request.meta["target"]
        warc = request.meta.get("warc")
        s = response.status
        try:
            if request.meta["step"] == "head":
                ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
                if 200 <= s < 300:
                    if ctype and not ctype.startswith(("text/html", "application/xhtml", "application/octet-stream")):
                        self._link_result(target, "ok", None, s, warc)
                        return []
                    return [self._get(request)]  # an HTML answer must be read: soft 404s say 200
                if s in (404, 410):
                    self._link_result(target, "broken", V.http_reason(s), s, warc)
                    return []
                return [self._get(request)]
            return list(self._judge_get(request, response, target, warc))
        finally:
            self._task_done()

    def _judge_get(self, request, response, target, warc):
        s = response.status
        if 200 <= s < 300:
            ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
            if ctype and not ctype.startswith(("text/html", "application/xhtml")) and not P.looks_like_html(response.body):
                self._link_result(target, "ok", None, s, warc)
                return
            html = self.fx["decode_html"](response.body, ctype if "html" in ctype else None)
            if V.soft404_by_content(html):
                self._link_result(target, "broken", V.SOFT404_REASON, s, warc)
                return
            host = _host(target)
            probe = self.probes.get(host, "unknown")
            if probe == "unknown":
                self.probes[host] = None
                self.probe_waiting[host] = [(target, V.fingerprint(html), s, warc)]
                parts = urlsplit(target)
                url = f"{parts.scheme}://{parts.netloc}/govwatch-probe-{uuid.uuid4().hex[:12]}.html"
                yield self._request(url, self._on_probe, {"role": "probe", "host": host, "dont_obey_robotstxt": True})
                return
            if probe is None:
                self.pending += 1  # parked until the probe answers
                self.probe_waiting[host].append((target, V.fingerprint(html), s, warc))
                return
            self._judge_fingerprint(target, V.fingerprint(html), probe, s, warc)
            return
        body = self.fx["decode_html"](response.body, None) if response.body else ""
        if s in (404, 410):
            self._link_result(target, "broken", V.http_reason(s), s, warc)
        elif V.is_waf_challenge(s, body):
            self._link_result(target, "unverified", V.WAF_REASON, s, warc)
        elif s >= 500:
            prev = self.prev_links.get(target) or {}
            persistent = (prev.get("http_status") or 0) >= 500
            self._link_result(target, "broken" if persistent else "unverified",
                              V.http_reason(s) + ("（持续）" if persistent else ""), s, warc)
        elif s in (401, 403, 407, 408, 429, 451):
            self._link_result(target, "unverified", V.http_reason(s), s, warc)
        elif 400 <= s < 500:
            self._link_result(target, "broken", V.http_reason(s), s, warc)
        else:
            self._link_result(target, "unverified", V.http_reason(s), s, warc)

    def _judge_fingerprint(self, target, fp, probe, status, warc):
        if probe and V.same_as_probe_fp(fp, probe):
            self._link_result(target, "broken", V.SOFT404_REASON, status, warc)
        else:
            self._link_result(target, "ok", None, status, warc)

    def _on_probe(self, response):
        try:
            fp = False
            if response.status == 200:
                html = self._html(response)
                if html is not None:
                    fp = V.fingerprint(html)
            self._probe_done(response.request.meta["host"], fp)
        finally:
            self._task_done()
        return []

    def _probe_done(self, host, fp):
        self.probes[host] = fp
        waiting = self.probe_waiting.pop(host, [])
        for i, (target, tfp, status, warc) in enumerate(waiting):
            self._judge_fingerprint(target, tfp, fp, status, warc)
            if i:
                self._task_done()  # the parked ones each held a pending slot

    def _link_failure(self, request, outcome, reason):
        target = request.meta["target"]
        warc = request.meta.get("warc")
        if (request.meta["step"] == "head" and outcome == "unverified"
                and reason not in ("连接超时", V.WAF_REASON, "页面过大", "私有地址，未检查")
                and not reason.startswith("robots")):
            yield self._get(request)  # some servers drop HEAD: ask again with GET
            return
        if reason == "页面过大":
            outcome, reason = "ok", None  # the server was sending a large file: the target exists
        self._link_result(target, outcome, reason, None, warc)

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


def pushed_off(old: list[dict], new: list[dict]) -> list[dict] | None:
    """The items a newest-first list page pushed off its bottom, when `new` is `old` with new items
    on top: k items not in `old`, all dated no earlier than the newest of `old`, then the first
    len(new) - k items of `old` unchanged (URL, title, date, row text) and in the same order.
    None when the page changed in any other way (an edit, a removal, a reordering)."""
    key = lambda i: (i.get("url"), i.get("title"), (i.get("date") or "")[:10], i.get("row", ""))  # noqa: E731
    old_urls = {i.get("url") for i in old}
    k = 0
    while k < len(new) and new[k].get("url") not in old_urls:
        k += 1
    if k == 0 or k == len(new):
        return None  # nothing new on top, or nothing left to line up with
    keep = len(new) - k
    if [key(i) for i in new[k:]] != [key(i) for i in old[:keep]]:
        return None
    newest_old = max(((i.get("date") or "")[:10] for i in old), default="")
    if any(not i.get("date") or i["date"][:10] < newest_old for i in new[:k]):
        return None
    return old[keep:]


class _Named:
    def __init__(self, name):
        self.column_name = name


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
