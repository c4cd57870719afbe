"""Downloader middlewares: SSRF guard, redirects with loop detection, retries with
backoff and Retry-After, and the WARC recorder.

Order (process_request low→high, process_response high→low):
  GuardMiddleware 50 → robots 100 → ... → RetryMiddleware 550 → RedirectMiddleware 585
  → WarcMiddleware 588 → HttpCompression 590 → ListCacheMiddleware 595 (httpcache.py)
  → DownloaderStats 850 → RequestTally 851 → downloader
so the WARC recorder sees every decompressed response, 3xx and retried ones included, and a
list page reused from the per-site cache without asking the server is not counted as a request.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest

from govwatch.crawl import netguard
from govwatch.crawl.verdicts import CrawlRefusal, failure_verdict

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
RETRY_STATUSES = {429, 500, 502, 503, 504, 522, 524}


class GuardMiddleware:
    """Never request private addresses unless allowed; resolve names off the reactor thread.

    The rule is netguard.FetchGuard, shared with re-check and probes: `allow_private_addresses`
    exempts the site's own origins (host and port of home, section roots, pinned columns), never
    another port on that host nor any other private address a page links or redirects to.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("GOVWATCH_ALLOW_PRIVATE")
        self.cache: dict[str, str] = {}  # host -> refusal reason ("" = allowed)
        self._guard: netguard.FetchGuard | None = None

    def guard(self) -> netguard.FetchGuard:
        if self._guard is None:
            site = getattr(self.crawler.spider, "site", None)
            self._guard = netguard.FetchGuard.for_site(site, allow_private=self.allow_private)
        return self._guard

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        host = (urlsplit(request.url).hostname or "").lower()
        if host.endswith(".invalid") or host == "invalid":
            # RFC 6761: never resolves. Answer without sending a query to the resolver.
            raise CrawlRefusal(netguard.DNS_REASON, "broken")
        guard = self.guard()
        if guard.exempt(request.url):
            return None
        # Past the exemption the verdict depends on the host alone, so it is cached per host.
        verdict = self.cache.get(host)
        if verdict is None:
            if netguard.literal_address(host) is not None or host == "localhost" or host.endswith(".localhost"):
                verdict = guard.refusal(request.url) or ""
            else:
                verdict = await asyncio.get_running_loop().run_in_executor(None, guard.refusal, request.url) or ""
            self.cache[host] = verdict
        if verdict == netguard.DNS_REASON:
            raise CrawlRefusal(verdict, "broken")
        if verdict:
            raise CrawlRefusal(verdict, "unverified")
        return None


class RedirectMiddleware:
    """Follow redirects ourselves: every hop passes the guard again, loops are failures
    (never silently dropped by a duplicate filter)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status not in REDIRECT_STATUSES or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip()).split("#", 1)[0]
        chain = list(request.meta.get("redirect_urls", []))
        if target == request.url or target in chain:
            raise CrawlRefusal("重定向循环")
        if len(chain) >= MAX_REDIRECTS:
            raise CrawlRefusal("重定向次数过多")
        if urlsplit(target).scheme not in ("http", "https"):
            raise CrawlRefusal("重定向到不支持的地址")
        method = request.method
        if response.status in (301, 302, 303) and method == "POST":
            method = "GET"
        new = request.replace(url=target, method=method, dont_filter=True)
        new.meta["redirect_urls"] = chain + [request.url]
        new.meta["redirect_times"] = len(chain) + 1
        new.meta.pop("retry_times", None)
        return new


def retry_after_seconds(value: bytes | None, cap: float) -> float | None:
    if not value:
        return None
    text = value.decode("latin-1").strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
            seconds = when.timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, min(seconds, cap))


class RetryMiddleware:
    """Retries transient failures with exponential backoff; honours Retry-After on 429/503."""

    def __init__(self, crawler):
        s = crawler.settings
        self.max_retries = s.getint("GOVWATCH_RETRIES", 2)
        self.backoff = s.getfloat("GOVWATCH_BACKOFF", 0.5)
        self.retry_after_cap = s.getfloat("GOVWATCH_RETRY_AFTER_CAP", 60.0)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _delay(self, attempt: int) -> float:
        return self.backoff * (2 ** attempt) * (0.75 + random.random() / 2)

    def _retry(self, request, reason: str):
        attempt = request.meta.get("retry_times", 0)
        if attempt >= self.max_retries or request.meta.get("dont_retry"):
            return None
        new = request.copy()
        new.meta["retry_times"] = attempt + 1
        new.dont_filter = True
        self.stats.inc_value(f"retry/{reason}")
        return new

    async def process_response(self, request, response, spider=None):
        if response.status not in RETRY_STATUSES:
            return response
        # A 5xx link target is only re-tried once: a persistent error shows in the next run.
        new = self._retry(request, f"http_{response.status}")
        if new is None:
            return response
        wait = None
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"), self.retry_after_cap)
        if wait is None:
            wait = self._delay(new.meta["retry_times"] - 1)
        if wait > 0:
            await asyncio.sleep(wait)
        return new

    async def process_exception(self, request, exception, spider=None):
        if isinstance(exception, (CrawlRefusal, IgnoreRequest)):
            return None
        outcome, reason = failure_verdict(exception)
        if outcome == "broken" or reason == "页面过大":
            return None  # refused/DNS/oversize do not get better by asking again
        if reason == "连接超时" and request.meta.get("retry_times", 0) >= 1:
            return None  # each timeout costs a full DOWNLOAD_TIMEOUT: one more try is enough
        new = self._retry(request, type(exception).__name__)
        if new is None:
            return None
        await asyncio.sleep(self._delay(new.meta["retry_times"] - 1))
        return new


class WarcMiddleware:
    """Writes every response (and every failure, as a metadata record) to the WARC store."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self):
        return self.crawler.spider.warc

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_archive"):
            return response
        source = request.meta.get("govwatch_cache")
        if source == "reused":
            return response  # not asked this run (httpcache.py): nothing to archive
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
        if source == "not_modified":
            # The server answered 304: the archived body is the cached copy it confirmed unchanged.
            headers.append(("X-Govwatch-Revalidated", "304 Not Modified"))
        from http import HTTPStatus
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        pointer = self.store.write_response(response.url, response.status, phrase, headers, response.body,
                                            method=request.method)
        request.meta["warc"] = pointer
        self.crawler.stats.inc_value("govwatch/bytes", len(response.body))
        return response

    def process_exception(self, request, exception, spider=None):
        outcome, reason = failure_verdict(exception)
        pointer = self.store.write_metadata(request.url, f"{request.method} {request.url}\n{reason}\n{exception!r}\n")
        request.meta["warc"] = pointer
        return None



def request_kind(request) -> str:
    """What a request is for (stats `requests_by_kind`). Discovery requests are split further by
    the spider once it knows which pages were list pages (GovSpider.request_breakdown)."""
    meta = request.meta
    role = meta.get("role")
    if role is None:
        return "robots" if request.url.endswith("/robots.txt") else "other"
    if role == "discover":
        return "list_pagination" if meta.get("via") == "page" else "discover"
    if role == "detail":
        return "detail_refetch" if meta.get("prev") else "detail_new"
    if role == "link":
        return f"link_{meta.get('step', 'head')}"
    return role


class RequestTally:
    """Counts the requests that reach the network, by kind. It sits next to Scrapy's
    DownloaderStats, so both count the same requests (retries and redirect hops included)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        kind = request_kind(request)
        if kind == "discover":  # section root, navigation page or list head: the spider knows which
            tally = getattr(self.crawler.spider, "discover_requests", None)
            if tally is not None:
                chain = request.meta.get("redirect_urls")
                tally[chain[0] if chain else request.url] += 1
                return None
        self.stats.inc_value(f"govwatch/requests/{kind}")
        return None
