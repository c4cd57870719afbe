"""Digests where units read them: group robots and webhooks through Apprise.

E-mail stays the default (`digests.py`). A site's configuration may also name Apprise URLs:
`[site] notify = [...]` for the office's run summary, and `notify = [...]` in a `[[units]]` row
for that unit's digest of new or returned problems. One URL reaches a DingTalk (`dingtalk://`),
WeCom (`wecombot://`), Feishu (`feishu://`) group robot, a JSON webhook (`json://`), e-mail
(`mailto://`) or any other service Apprise knows. The messages are the e-mail digests' own.

Hung on the pipeline's after-publish hooks (settings.GOVWATCH_AFTER_PUBLISH_HOOKS); a channel
that fails is logged and reported, never a failure of the run.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field

from govwatch.reports import cn
from govwatch.reports.digests import new_problems_by_unit, office_message, unit_message

log = logging.getLogger(__name__)


@dataclass
class NoticeReport:
    run: int
    sent: dict[str, list[str]] = field(default_factory=dict)     # unit code or "office" -> URLs that took it
    failed: dict[str, list[str]] = field(default_factory=dict)   # unit code or "office" -> URLs that did not


def channels(site) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """(the office's URLs, unit code -> that unit's URLs) from the site's stored configuration."""
    from govwatch.lib.errors import GovwatchError
    from govwatch.siteconfig import parse_site

    text = site.config_text or ""
    if not text.strip():
        return (), {}
    try:
        config = parse_site(tomllib.loads(text), text, site.config_path or "")
    except (tomllib.TOMLDecodeError, GovwatchError):
        log.warning("notify: the configuration of site %s cannot be read; no channel notices", site.pk)
        return (), {}
    return tuple(config.notify), {u.code: tuple(u.notify) for u in config.units if u.notify}


def _send(urls, title: str, body: str) -> tuple[list[str], list[str]]:
    import apprise

    ok, bad = [], []
    for url in urls:
        # One Apprise object per URL, so the report says which channel failed.
        target = apprise.Apprise()
        if not target.add(url):
            log.warning("notify: not an Apprise URL we can use: %s", _redact(url))
            bad.append(url)
            continue
        (ok if target.notify(title=title, body=body) else bad).append(url)
    return ok, bad


def _redact(url: str) -> str:
    # Robot tokens sit in the URL: log only the scheme and host part.
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('@')[-1][:40]}…"


def send_run_notices(run) -> NoticeReport:
    """Send each unit's digest and the office summary of one complete run to their configured channels."""
    from govwatch.reports.data import previous_complete_run

    report = NoticeReport(run=run.pk)
    if run.status != run.Status.COMPLETE:
        return report
    office_urls, unit_urls = channels(run.site)
    if not (office_urls or unit_urls):
        return report
    prev = previous_complete_run(run)
    previous_text = f"{cn.ymd(prev.as_of)}的监测" if prev else "首次监测前"
    for code, entry in sorted(new_problems_by_unit(run).items()):
        if code not in unit_urls:
            continue
        ok, bad = _send(unit_urls[code], *unit_message(run, entry, previous_text))
        report.sent[code], report.failed[code] = ok, bad
    if office_urls:
        ok, bad = _send(office_urls, *office_message(run))
        report.sent["office"], report.failed["office"] = ok, bad
    report.failed = {k: v for k, v in report.failed.items() if v}
    return report


def send_after_publish(run) -> None:
    """The pipeline's after-publish hook: channel notices never fail a run."""
    report = send_run_notices(run)
    for who, urls in report.failed.items():
        log.warning("notify: run %s, %s: %d channel(s) failed: %s", run.pk, who, len(urls),
                    ", ".join(_redact(u) for u in urls))
