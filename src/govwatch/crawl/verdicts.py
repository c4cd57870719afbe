"""Reading a response or failure as a verdict: WAF challenge, soft 404, and the Chinese reasons.

Heuristics are data: the marker lists below are the only place to extend.
"""

from __future__ import annotations

import re

# Statuses a WAF answers a challenge with.
WAF_STATUSES = frozenset({403, 412, 418, 429, 503, 521})
# A challenge page is a small page with a script puzzle or one of these words.
WAF_MARKERS = (
    "安全验证", "访问验证", "人机验证", "滑动验证", "请开启JavaScript", "请启用JavaScript", "启用 JavaScript",
    "enable javascript", "checking your browser", "just a moment", "cf-chl", "challenge-platform",
    "document.cookie", "__jsl_clearance", "waf", "captcha", "访问被拦截", "安全狗", "云锁", "创宇盾",
)
WAF_REASON = "WAF 拦截"

SOFT404_MARKERS = (
    "页面不存在", "找不到页面", "页面未找到", "您访问的页面不存在", "页面已删除", "信息不存在", "文章不存在",
    "您要查看的页面不存在", "页面找不到", "not found", "page not found", "无法找到该页",
)
SOFT404_REASON = "软404"
_ERROR_WORDS = ("错误", "error", "页面", "找不到", "不存在", "not found")
_SOFT404_TITLE = re.compile(r"(?:^|\D)404(?:\D|$)")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.I | re.S)
_SPACE = re.compile(r"\s+")


def page_title(html: str) -> str:
    match = _TITLE.search(html[:20000])
    return _SPACE.sub(" ", match.group(1)).strip() if match else ""


def visible_text(html: str, limit: int = 200_000) -> str:
    return _SPACE.sub(" ", _TAGS.sub(" ", html[:limit])).strip()


def is_waf_challenge(status: int, html: str) -> bool:
    if status not in WAF_STATUSES:
        return False
    low = html[:50_000].lower()
    if any(marker.lower() in low for marker in WAF_MARKERS):
        return True
    # A tiny page that is mostly script (a cookie/redirect puzzle) is a challenge too.
    return "<script" in low and len(visible_text(html)) < 200


def soft404_by_content(html: str) -> bool:
    """A 200 page that says it does not exist. Body text is only trusted on short pages:
    a long article may legitimately mention "404"."""
    title = page_title(html).lower()
    if any(m in title for m in SOFT404_MARKERS):
        return True
    # "404" alone is not enough: an article may be about the G404 national road.
    if _SOFT404_TITLE.search(title) and (len(title) <= 12 or any(w in title for w in _ERROR_WORDS)):
        return True
    text = visible_text(html, 20_000)
    if len(text) > 1500:
        return False
    low = text.lower()
    return any(m in low for m in SOFT404_MARKERS)


def fingerprint(html: str) -> tuple[str, int]:
    """What a "nonsense URL" answer looks like, to compare other 200 pages of the same host with."""
    return page_title(html), len(visible_text(html, 100_000))


def same_as_probe(html: str, probe: tuple[str, int]) -> bool:
    title, length = fingerprint(html)
    ptitle, plength = probe
    if title != ptitle:
        return False
    return abs(length - plength) <= max(40, plength // 10)


def http_reason(status: int) -> str:
    return f"HTTP {status}"


# Exception class names -> (outcome for a link, Chinese reason)
_FAILURES = (
    ("DownloadConnectionRefusedError", "broken", "连接被拒绝"),
    ("CannotResolveHostError", "broken", "DNS 解析失败"),
    ("DownloadTimeoutError", "unverified", "连接超时"),
    ("DownloadCancelledError", "unverified", "页面过大"),
    ("ResponseDataLossError", "unverified", "响应不完整"),
    ("UnsupportedURLSchemeError", "unverified", "不支持的网址类型"),
    ("DownloadFailedError", "unverified", "连接被重置"),
    ("DNSLookupError", "broken", "DNS 解析失败"),
    ("gaierror", "broken", "DNS 解析失败"),
    ("ConnectionRefusedError", "broken", "连接被拒绝"),
    ("TimeoutError", "unverified", "连接超时"),
    ("TCPTimedOutError", "unverified", "连接超时"),
    ("UserTimeoutError", "unverified", "连接超时"),
    ("ServerTimeoutError", "unverified", "连接超时"),
    ("ConnectionLost", "unverified", "连接被重置"),
    ("ConnectionDone", "unverified", "连接被重置"),
    ("ResponseNeverReceived", "unverified", "连接被重置"),
    ("ConnectionResetError", "unverified", "连接被重置"),
    ("ResponseFailed", "unverified", "响应不完整"),
    ("PotentialDataLoss", "unverified", "响应不完整"),
    ("CancelledError", "unverified", "页面过大"),
    ("SSLError", "unverified", "TLS 握手失败"),
    ("TLSError", "unverified", "TLS 握手失败"),
)


_TLS_TEXT = re.compile(r"OpenSSL|SSL routines|TLS|handshake|wrong version number|certificate verify")


def failure_verdict(exc: BaseException) -> tuple[str, str]:
    """(outcome, reason) for a download exception."""
    reason = getattr(exc, "govwatch_reason", None)
    if reason:
        return getattr(exc, "govwatch_outcome", "unverified"), reason
    names = [cls.__name__ for cls in type(exc).__mro__]
    text = str(exc)
    if "robots.txt" in text:
        return "unverified", "robots.txt 禁止抓取"
    if "maxsize" in text or "larger than download max size" in text:
        return "unverified", "页面过大"
    inner = [type(r).__name__ for r in getattr(exc, "reasons", []) or []]
    inner += [type(getattr(r, "value", None)).__name__ for r in getattr(exc, "reasons", []) or []]
    # Scrapy wraps TLS failures in a generic download failure: look inside before the generic label wins.
    if {"SSLError", "TLSError"} & set(names + inner) or _TLS_TEXT.search(text):
        return "unverified", "TLS 握手失败"
    for name, outcome, reason in _FAILURES:
        if name in names or name in inner:
            return outcome, reason
    return "unverified", f"请求失败：{type(exc).__name__}"


class CrawlRefusal(Exception):
    """Raised by our middlewares to fail a request with a reason (loop, SSRF guard, trap)."""

    def __init__(self, reason: str, outcome: str = "unverified"):
        super().__init__(reason)
        self.govwatch_reason = reason
        self.govwatch_outcome = outcome


def same_as_probe_fp(fp: tuple[str, int], probe: tuple[str, int]) -> bool:
    title, length = fp
    ptitle, plength = probe
    return title == ptitle and abs(length - plength) <= max(40, plength // 10)
