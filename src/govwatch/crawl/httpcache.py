"""The per-site cache of list and navigation pages, for incremental re-runs (issue #7).

Scrapy's HttpCacheMiddleware with our own storage and policy:

- `SiteCacheStorage`: one SQLite file per site (`sites/<host>-<hash>/listcache.sqlite3` beside
  the run directories, i.e. under GOVWATCH_RUNS_DIR, shared by every run of the site). It holds
  the last 200 answer of every discovery page (section roots, navigation, list pages) and, per
  column, the date its list was last walked in full, what its first page listed when last seen
  (a digest and the items) and the items that have moved from the first page to deeper pages
  since that walk (see GovSpider._walk_decision).
- `RevalidatePolicy`: a cached page is never used without asking the server: the request carries
  the cached page's validators (If-None-Match / If-Modified-Since) and only a 304 reuses the cached
  body. A 5xx or a network failure stays a failure (RFC 2616 would serve the stale copy). The one
  exception is a request the spider marks `govwatch_reuse`: a deeper pagination page of a column
  whose first page is unchanged (see GovSpider._walk_decision); it is answered from the cache
  without a request, and goes to the server as usual when the cache does not have it.
- Only discovery requests are cached; detail pages have their own conditional requests
  (PreviousPage.etag) and link checks are never cached.

The cache is an optimisation only: a missing, unreadable or corrupt file means a full crawl
(the file is set aside and rebuilt), never an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sqlite3
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

logger = logging.getLogger(__name__)

CACHE_FILE = "listcache.sqlite3"
SCHEMA_VERSION = "1"
COMMIT_EVERY = 200  # stores per transaction: a killed crawl loses at most these (they are refetched)
# A column's list is walked in full (every pagination page asked) at least every this many days.
FULL_WALK_DAYS = 28
# Cached pages not confirmed (200 or 304) for this long are dropped: pages gone from the site.
KEEP_DAYS = 120

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (url TEXT PRIMARY KEY, status INTEGER NOT NULL, headers TEXT NOT NULL,
                                      body BLOB NOT NULL, stored REAL NOT NULL);
CREATE TABLE IF NOT EXISTS walks (head TEXT PRIMARY KEY, walked_on TEXT NOT NULL, digest TEXT NOT NULL,
                                  items TEXT NOT NULL, extra TEXT NOT NULL);
"""


def site_key(home: str) -> str:
    """A directory name for a site: readable host and port, plus a hash of the home URL."""
    parts = urlsplit(home)
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parts.hostname or 'site'}_{parts.port or ''}".rstrip("_"))
    return f"{host}-{hashlib.sha1(home.encode('utf-8')).hexdigest()[:10]}"


def cache_dir(job: dict, site) -> Path:
    """Where the site's cache lives: `job["site_cache_dir"]` when the parent names it, else
    `<runs dir>/sites/<site key>/` (a run directory is `<runs dir>/run-<id>`)."""
    if job.get("site_cache_dir"):
        return Path(job["site_cache_dir"])
    return Path(job["run_dir"]).resolve().parent / "sites" / site_key(site.home)


def full_walk_days(site) -> int:
    """Days between full walks of a column's list: site.extra["list_full_walk_days"], else the
    GOVWATCH_LIST_FULL_WALK_DAYS environment variable, else FULL_WALK_DAYS. 0: every run."""
    value = (site.extra or {}).get("list_full_walk_days")
    if value is None:
        value = os.environ.get("GOVWATCH_LIST_FULL_WALK_DAYS", FULL_WALK_DAYS)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return FULL_WALK_DAYS


def full_walk_due(head: str, as_of: dt.date, walked_on: dt.date, days: int) -> bool:
    """Is the column's periodic full walk due? When its last one is `days` old or more, and, to
    spread the walks evenly over the runs, in between on a weekly rota: the columns of a site
    take turns by the hash of their URL path, one in days // 7 each week (not twice in 7 days)."""
    age = (as_of - walked_on).days
    if days <= 0 or age >= days:
        return True
    weeks = days // 7
    if weeks <= 1 or age < 7:
        return False
    slot = zlib.crc32(urlsplit(head).path.encode("utf-8")) % weeks
    return (as_of.toordinal() // 7) % weeks == slot


class SiteCacheStorage:
    """Scrapy HTTP cache storage in one SQLite file, plus the walk dates of columns.

    Bodies are stored decompressed (the middleware sits after HttpCompressionMiddleware on
    the way back) and zlib-compressed at rest. Keyed by URL: only GET discovery requests
    are cached.
    """

    def __init__(self, settings):
        self.dir = Path(settings["HTTPCACHE_DIR"])
        self.path = self.dir / CACHE_FILE
        self.keep_days = settings.getint("GOVWATCH_LISTCACHE_KEEP_DAYS", KEEP_DAYS)
        self.db: sqlite3.Connection | None = None
        self.pending = 0
        self.problem: str | None = None  # set when the file had to be set aside or failed: a warning for the run

    # -- lifecycle

    def open_spider(self, spider=None) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._set_aside(exc)
        if spider is not None:
            spider.list_cache = self

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            ok = db.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {ok}")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise ValueError(f"schema {row[0]}")
            db.execute("DELETE FROM responses WHERE stored < ?", (time.time() - self.keep_days * 86400,))
        except BaseException:
            db.close()
            raise
        db.execute("BEGIN")
        return db

    def _set_aside(self, exc: Exception) -> None:
        """An unreadable cache file is moved aside (kept for inspection) and a new one started."""
        self.problem = f"列表页缓存无法读取，已重建（本次完整采集）：{type(exc).__name__}: {exc}"
        logger.warning("list cache %s unusable (%r): starting a new one", self.path, exc)
        try:
            if self.path.exists():
                self.path.replace(self.path.with_name(f"{CACHE_FILE}.broken-{int(time.time())}"))
            for suffix in ("-journal", "-wal", "-shm"):
                side = self.path.with_name(CACHE_FILE + suffix)
                if side.exists():
                    side.unlink()
            self.db = self._connect()
        except (sqlite3.Error, OSError, ValueError) as again:
            self.problem = f"列表页缓存不可用，本次完整采集：{type(again).__name__}: {again}"
            self.db = None

    def close_spider(self, spider=None) -> None:
        if self.db is None:
            return
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error:
            pass
        self.db.close()
        self.db = None

    def _commit_soon(self) -> None:
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.pending = 0
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")

    def _failed(self, exc: Exception) -> None:
        """A write failed (disk full, file removed underneath us): stop using the cache this run."""
        self.problem = f"列表页缓存写入失败，已停用：{type(exc).__name__}: {exc}"
        logger.warning("list cache %s write failed: %r", self.path, exc)
        try:
            self.db.close()
        except sqlite3.Error:
            pass
        self.db = None

    @property
    def usable(self) -> bool:
        return self.db is not None

    # -- Scrapy storage interface

    def retrieve_response(self, spider, request):
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT status, headers, body FROM responses WHERE url=?",
                                  (request.url,)).fetchone()
            if row is None:
                return None
            status, headers, body = row
            headers = Headers([(k, v) for k, v in json.loads(headers)])
            body = zlib.decompress(body)
        except (sqlite3.Error, zlib.error, ValueError, TypeError) as exc:
            logger.warning("list cache entry for %s unreadable: %r", request.url, exc)
            return None  # a bad entry is a miss: the page is fetched in full
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, headers=headers, status=status, body=body)

    def store_response(self, spider, request, response) -> None:
        if self.db is None:
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs
                   if k.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")]
        try:
            self.db.execute("INSERT OR REPLACE INTO responses (url, status, headers, body, stored) "
                            "VALUES (?, ?, ?, ?, ?)", (request.url, response.status, json.dumps(headers),
                                                       zlib.compress(response.body, 6), time.time()))
            self._commit_soon()
        except sqlite3.Error as exc:
            self._failed(exc)

    # -- walks of columns

    def last_walk(self, head: str) -> dict | None:
        """The column's walk state: walked_on (date of the last complete full walk), digest and
        items (the first page when last seen), extra (items moved off the first page since)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT walked_on, digest, items, extra FROM walks WHERE head=?", (head,)).fetchone()
            if row is None:
                return None
            return {"walked_on": dt.date.fromisoformat(row[0]), "digest": row[1], "items": json.loads(row[2]),
                    "extra": json.loads(row[3])}
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def set_walks(self, walks: dict[str, dict | None]) -> None:
        """head -> walk state (as last_walk returns it), or None to forget it: the next run walks
        that column in full."""
        if self.db is None:
            return
        try:
            for head, walk in walks.items():
                if walk is None:
                    self.db.execute("DELETE FROM walks WHERE head=?", (head,))
                else:
                    self.db.execute(
                        "INSERT OR REPLACE INTO walks (head, walked_on, digest, items, extra) VALUES (?, ?, ?, ?, ?)",
                        (head, walk["walked_on"].isoformat(), walk["digest"],
                         json.dumps(walk["items"], ensure_ascii=False), json.dumps(walk["extra"], ensure_ascii=False)))
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
        except sqlite3.Error as exc:
            self._failed(exc)


class RevalidatePolicy(RFC2616Policy):
    """Never serve a cached page without asking (see the module docstring)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.revalidate = settings.getbool("GOVWATCH_LISTCACHE_REVALIDATE", True)

    def should_cache_request(self, request) -> bool:
        return request.method == "GET" and request.meta.get("role") == "discover"

    def should_cache_response(self, response, request) -> bool:
        # Every 200, validators or not, Cache-Control or not: this is the crawler's own record of
        # what the page said (the WARC archive keeps it anyway), compared with the next answer.
        return response.status == 200

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        if request.meta.get("govwatch_reuse"):
            return True
        if self.revalidate:
            self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304  # never the stale copy for a 5xx


class ListCacheMiddleware(HttpCacheMiddleware):
    """HttpCacheMiddleware that says what happened in meta["govwatch_cache"]: "reused" (answered
    from the cache, no request made) or "not_modified" (the server said 304, the cached body is
    the answer). A failure (5xx, timeout, reset) never falls back to the cached page."""

    def process_request(self, request, spider=None):
        result = super().process_request(request)
        if result is not None:
            request.meta["govwatch_cache"] = "reused"
        return result

    def process_response(self, request, response, spider=None):
        cached = request.meta.get("cached_response")
        result = super().process_response(request, response)
        if cached is not None and result is cached:
            request.meta["govwatch_cache"] = "not_modified"
        return result

    def process_exception(self, request, exception, spider=None):
        request.meta.pop("cached_response", None)  # a timeout or a reset stays a failure
        return None
