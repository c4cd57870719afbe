"""Review as a service: a person confirms, dismisses or restores findings; every change is audited.

A dismissal is remembered per site and finding key, so the same finding in a later run with
the same evidence stays dismissed. Scores are recomputed through `monitoring.scores`.
"""

from __future__ import annotations

from typing import Iterable

from django.db import transaction

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import Dismissal, Finding, Review, Run
from govwatch.monitoring.scores import SYSTEM, recompute_scores


def review_finding(finding: Finding, *, to_state: str, actor=None, actor_label: str | None = None,
                   reason: str = "", recompute: bool = True) -> Finding:
    """Change a finding's state, with an audit row, remembered dismissals and a score recomputation.

    `recompute=False` is for batches (review_findings), which recompute each run once at the end.
    """
    if to_state not in Finding.State.values:
        raise GovwatchError(f"无效的状态：{to_state}")
    if to_state == Finding.State.DISMISSED and not reason.strip():
        raise GovwatchError("排除问题必须填写原因")
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        old = finding.state
        if old == to_state:
            return finding
        finding.state = to_state
        finding.save(update_fields=["state"])
        Review.objects.create(finding=finding, actor=actor, actor_label=label, from_state=old, to_state=to_state,
                              reason=reason)
        if to_state == Finding.State.DISMISSED:
            Dismissal.objects.update_or_create(
                site=finding.run.site, key=finding.key,
                defaults={"rule": finding.rule, "wrong": str(finding.evidence.get("wrong", ""))[:100],
                          "reason": reason, "actor_label": label},
            )
        elif old == Finding.State.DISMISSED:
            Dismissal.objects.filter(site=finding.run.site, key=finding.key).delete()
        if recompute:
            recompute_scores(finding.run, actor_label=label, reason=f"复核：{finding.rule} {old}→{to_state}")
    return finding


def review_findings(changes: Iterable[tuple[Finding, str]], *, actor=None, actor_label: str | None = None,
                    reason: str = "") -> int:
    """Review many findings in one transaction: each change audited, each affected run recomputed once."""
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM)
    changed = 0
    runs: dict[int, Run] = {}
    with transaction.atomic():
        for finding, to_state in changes:
            before = finding.state
            after = review_finding(finding, to_state=to_state, actor=actor, actor_label=label, reason=reason,
                                   recompute=False).state
            if after != before:
                changed += 1
                runs[finding.run_id] = finding.run
        for run in runs.values():
            recompute_scores(run, actor_label=label, reason=f"批量复核：{changed} 条")
    return changed
