"""A monitoring run, start to finish, as its list of stages (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from govwatch.monitoring.models import Run
from govwatch.monitoring.runs import fail_run
from govwatch.pipeline import check, crawl, hooks, publish, start, store
from govwatch.pipeline.crawl import StageFailed
from govwatch.pipeline.interrupt import INTERRUPTED, Interrupted
from govwatch.pipeline.lock import hold_site


@dataclass
class RunOutcome:
    run: Run
    crawl: object | None


def execute_run(site_path: str | Path, as_of: dt.date | None = None, *, progress=True,
                resume: bool = False, run: Run | None = None) -> RunOutcome:
    """One full monitoring cycle: crawl, store, check, publish, notify. Returns the run (complete or failed).

    Raises SiteBusy (exit status 2 in the CLI) when another run holds the site."""
    config, rulebook = start.load_config(site_path)
    with hold_site(config.home) as held:
        started = start.open_run(config, rulebook, as_of, run=run)
        held.record(started.run)
        try:
            return _stages(started, progress=progress, resume=resume)
        except (Interrupted, KeyboardInterrupt) as exc:
            fail_run(started.run, INTERRUPTED)
            if isinstance(exc, KeyboardInterrupt):
                raise
            return RunOutcome(started.run, None)


def _stages(started: start.StartedRun, *, progress, resume: bool) -> RunOutcome:
    try:
        result = crawl.crawl(started, progress=progress, resume=resume)
    except StageFailed as exc:
        fail_run(started.run, exc.reason, exc.result)
        return RunOutcome(started.run, exc.result)
    try:
        facts = store.fact_store(result)
        checked = check.check(started, result, facts)
        publish.publish(started, result, facts, checked)
    except Exception as exc:
        # publish is one transaction: nothing of it was kept. Say so on the run, if the database lets us.
        try:
            fail_run(started.run, f"发布结果时出错，未发布任何得分：{type(exc).__name__}: {exc}")
        except Exception:
            pass
        raise
    hooks.after_publish(started.run)
    return RunOutcome(started.run, result)
