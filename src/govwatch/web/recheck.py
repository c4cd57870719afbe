"""Re-checking one URL on demand, under the crawler's safety rules.

The target passes the crawler's own guard (netguard.FetchGuard): no loopback,
private or link-local address except the site's own origins (host and port) when
its configuration allows private addresses. Redirects are not followed (each hop
would need the same check), and the body is capped.
"""

from __future__ import annotations

import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from govwatch.crawl import netguard

TIMEOUT_SECONDS = 10
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "govwatch-recheck/0.1"


@dataclass
class FetchResult:
    status: int | None
    body: bytes = b""
    content_type: str = ""
    error: str = ""
    blocked: bool = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def site_guard(site) -> netguard.FetchGuard:
    """The guard the crawler uses for this site; a configuration we cannot read exempts nothing."""
    from govwatch.lib.errors import GovwatchError
    from govwatch.siteconfig import parse_site

    try:
        text = site.config_text or ""
        config = parse_site(tomllib.loads(text), text, site.config_path or "")
    except (tomllib.TOMLDecodeError, GovwatchError):
        return netguard.FetchGuard()
    return netguard.FetchGuard.for_site(config)


def safe_fetch(url: str, *, guard: netguard.FetchGuard | None = None) -> FetchResult:
    reason = (guard or netguard.FetchGuard()).refusal(url)
    if reason == netguard.NOT_HTTP_REASON:
        return FetchResult(None, error=reason, blocked=True)
    if reason == netguard.DNS_REASON:
        return FetchResult(None, error="域名无法解析")
    if reason:
        return FetchResult(None, error="私有或本机地址，按安全规则不访问", blocked=True)
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as resp:
            return FetchResult(resp.status, resp.read(MAX_BYTES), resp.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        return FetchResult(exc.code, b"", exc.headers.get("Content-Type", "") if exc.headers else "")
    except (urllib.error.URLError, OSError) as exc:
        return FetchResult(None, error=f"无法连接：{getattr(exc, 'reason', exc)}")


def before_text(finding) -> str:
    ev = finding.evidence or {}
    if ev.get("target"):
        why = ev.get("reason") or ev.get("http_status") or ev.get("status") or "失败"
        return f"监测时：{ev['target']} 无法访问（{why}）"
    if ev.get("wrong"):
        return f"监测时：页面含“{ev['wrong']}”（应为“{ev.get('right', '')}”）"
    return f"监测时：{finding.message}"


def _text(result: FetchResult) -> str:
    from w3lib.encoding import html_to_unicode

    return html_to_unicode(result.content_type, result.body)[1]


def judge(finding, result: FetchResult) -> tuple[str, str]:
    """(outcome, what was seen now). Only what can be judged from one page is judged."""
    from govwatch.web.models import Recheck

    if result.blocked:
        return Recheck.Outcome.BLOCKED, f"复查时：{result.error}"
    if result.status is None:
        return Recheck.Outcome.UNVERIFIED, f"复查时：{result.error}"
    ev = finding.evidence or {}
    if ev.get("target"):
        if result.status < 400:
            return Recheck.Outcome.RESOLVED, f"复查时：HTTP {result.status}，链接已可访问"
        return Recheck.Outcome.PERSISTS, f"复查时：HTTP {result.status}，链接仍无法访问"
    if result.status >= 400:
        return Recheck.Outcome.UNVERIFIED, f"复查时：页面返回 HTTP {result.status}"
    if ev.get("wrong"):
        if ev["wrong"] in _text(result):
            return Recheck.Outcome.PERSISTS, f"复查时：页面仍含“{ev['wrong']}”"
        return Recheck.Outcome.RESOLVED, f"复查时：页面已不含“{ev['wrong']}”"
    return Recheck.Outcome.UNVERIFIED, (f"复查时：页面可访问（HTTP {result.status}）；"
                                        "该规则需在下次监测中按完整数据判定")
