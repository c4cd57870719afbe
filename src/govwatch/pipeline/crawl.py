"""Stage 2: crawl the site (the crawler in `govwatch.crawl`), fed the previous run's state.

A crawl that fails on our side, or a site that answered nothing, fails the run: a failure
on our side is never charged to a unit, and a site that measured nothing is not scored.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.runs import fail_run, previous_run
from govwatch.pipeline.check import typo_hook
from govwatch.pipeline.previous import previous_state
from govwatch.pipeline.start import StartedRun
from govwatch.pipeline.watchdog import Watchdog
from govwatch.siteconfig import SiteConfig


class StageFailed(Exception):
    """A stage ended the run as failed with a reason (Chinese, for the run report)."""

    def __init__(self, reason: str, result=None):
        super().__init__(reason)
        self.reason = reason
        self.result = result


def site_unreachable_reason(config: SiteConfig, result) -> str | None:
    """A run whose section roots all failed measured nothing: it fails instead of scoring."""
    from govwatch.crawl.netguard import PRIVATE_REASON

    if result.crawled_pages == 0 or (not result.columns and result.unverified):
        first = result.unverified[0] if result.unverified else (config.home, "无响应")
        hint = "；如确为内网站点，请在站点配置 [site] 中设置 allow_private_addresses = true" \
            if first[1] == PRIVATE_REASON else ""
        return f"站点无法访问：{first[0]}（{first[1]}），本次不发布得分{hint}"
    return None


def crawl(started: StartedRun, *, progress=True, resume: bool = False):
    """The crawl's result. Raises StageFailed when the run must end here, re-raises crashes of ours."""
    # Looked up at call time, so tests can put a prepared crawler in its place.
    from govwatch.crawl import crawl_site

    run, config = started.run, started.config
    prev = previous_run(run.site, run.as_of)
    try:
        result = crawl_site(config, started.rulebook, Path(run.run_dir), as_of=run.as_of,
                            previous=previous_state(prev), progress=progress, resume=resume,
                            text_hook=typo_hook(run), watchdog=Watchdog(settings.RUN_STALL_SECONDS))
    except GovwatchError as exc:
        raise StageFailed(str(exc)) from exc
    except Exception as exc:  # a crash of ours is never charged to a unit: the run fails, nothing is published
        fail_run(run, f"采集过程出错：{type(exc).__name__}: {exc}")
        raise
    reason = site_unreachable_reason(config, result)
    if reason:
        raise StageFailed(reason, result)
    return result
