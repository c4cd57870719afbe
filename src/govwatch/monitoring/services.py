"""Transitional re-exports of the old monitoring services module; import from the new homes.

    runs     -> govwatch.monitoring.runs      (register_site, seed_units, resolve_run, previous_run, fail_run)
    review   -> govwatch.monitoring.review    (review_finding, review_findings)
    scores   -> govwatch.monitoring.scores    (recompute_scores, month_bonus_before, SYSTEM)
    exports  -> govwatch.monitoring.exports   (findings_export, scores_export)
    a run    -> govwatch.pipeline.run         (execute_run, RunOutcome) and the stage modules
    today    -> govwatch.lib.clock            (today_shanghai)

Kept only while branches written against the old module merge; nothing in the package
imports it, and it goes once they have.
"""

from govwatch.lib.clock import today_shanghai  # noqa: F401
from govwatch.monitoring.exports import findings_export, scores_export  # noqa: F401
from govwatch.monitoring.review import review_finding, review_findings  # noqa: F401
from govwatch.monitoring.runs import (  # noqa: F401
    fail_run, previous_run, register_site, resolve_run, seed_units,
)
from govwatch.monitoring.scores import SYSTEM, month_bonus_before, recompute_scores  # noqa: F401
from govwatch.pipeline.check import find_typos, judged_for_typos, typo_hook  # noqa: F401
from govwatch.pipeline.crawl import site_unreachable_reason  # noqa: F401
from govwatch.pipeline.publish import finding_key  # noqa: F401
from govwatch.pipeline.run import RunOutcome, execute_run  # noqa: F401
from govwatch.pipeline.start import start_run  # noqa: F401
