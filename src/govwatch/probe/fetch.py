"""One availability probe: GET a page under the address guard and say why it failed, if it did."""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from govwatch.checks.availability import BLOCKED, CONNECT, DNS, TIMEOUT, TLS, WAF, Probe, classify
from govwatch.checks.homepage import newest_date
from govwatch.crawl import netguard
from govwatch.crawl.verdicts import is_waf_challenge
from govwatch.extract.listpage import dated_items

USER_AGENT = "govwatch-probe/0.1"
MAX_REDIRECTS = 5
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024


def _refused(url: str, guard: netguard.FetchGuard) -> str:
    """"" when the URL may be fetched, else the reason code: a name that does not resolve (the
    portal's failure) or a refusal by the fetch guard the crawler uses (ours, never counted)."""
    reason = guard.refusal(url)
    if reason is None:
        return ""
    return DNS if reason == netguard.DNS_REASON else BLOCKED


def _failure(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return TLS
    # requests re-raises a read timeout met while streaming the body as a ConnectionError.
    if isinstance(exc, requests.exceptions.Timeout) or (exc.args and isinstance(exc.args[0], ReadTimeoutError)):
        return TIMEOUT
    return CONNECT


def probe_url(url: str, *, limit: float, guard: netguard.FetchGuard | None = None, homepage: bool = True,
              at: dt.datetime | None = None, session: requests.Session | None = None,
              monotonic: Callable[[], float] = time.monotonic) -> Probe:
    """Fetch `url` (following redirects, each hop guarded) and time it to the last byte.

    `limit` is the rulebook's "opens within" seconds: connecting and each read wait at most that
    long, and an answer that took longer in total is a SLOW failure. `at` stamps the probe (a test
    clock may pass simulated times; the duration is always measured for real)."""
    at = at or dt.datetime.now(dt.timezone.utc)
    session = session or requests.Session()
    start = monotonic()
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        refused = _refused(current, guard or netguard.FetchGuard())
        if refused:
            return Probe(at, url, None, None, refused, 0, homepage)
        try:
            with session.get(current, timeout=(limit, limit), allow_redirects=False, stream=True,
                             headers={"User-Agent": USER_AGENT}) as resp:
                if resp.is_redirect and resp.headers.get("Location"):
                    current = urljoin(current, resp.headers["Location"])
                    continue
                body = bytearray()
                for chunk in resp.iter_content(CHUNK):
                    body += chunk
                    if len(body) >= MAX_BYTES or monotonic() - start > limit:
                        break
                seconds = monotonic() - start
                text = bytes(body[:200_000]).decode(resp.encoding or "utf-8", errors="replace")
                reason = classify(resp.status_code, seconds, limit, waf=is_waf_challenge(resp.status_code, text))
                newest, dated = None, 0
                if homepage and resp.status_code < 400 and reason != WAF:
                    # The homepage's boxes are read like a column's list (national.homepage_stale).
                    items = dated_items(current, bytes(body))
                    newest, dated = newest_date(items), len(items)
                return Probe(at, url, resp.status_code, seconds, reason, len(body), homepage, newest, dated)
        except requests.RequestException as exc:
            return Probe(at, url, None, monotonic() - start, _failure(exc), 0, homepage)
    return Probe(at, url, None, monotonic() - start, CONNECT, 0, homepage)
