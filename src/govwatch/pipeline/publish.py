"""Stage 5: publish one checked run in one transaction: facts, findings, the column inventory, coverage, then scores.

Findings found again keep their review state; a finding a reviewer dismissed before stays
dismissed while its evidence is unchanged (`finding_key`). Nothing of a failed publish is kept.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from govwatch import facts as F
from govwatch.catalog.models import Unit
from govwatch.monitoring.coverage import sync_inventory
from govwatch.monitoring.models import Dismissal, Finding, Review, Run
from govwatch.monitoring.scores import SYSTEM, recompute_scores
from govwatch.pipeline.start import StartedRun
from govwatch.pipeline.store import store_facts
from govwatch.probe.service import run_national


def finding_key(site_id: int, f: F.Finding) -> str:
    ev = f.evidence
    # The evidence that makes a finding "the same" across runs: a dismissal holds while it is unchanged.
    discriminator = [ev.get(k) for k in ("target", "element", "form", "wrong", "context", "start", "newest_item_date")]
    raw = json.dumps([site_id, f.unit, f.rule, f.url, discriminator], ensure_ascii=False, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def publish(started: StartedRun, result, store, checked) -> None:
    """Store, merge and score one checked crawl; the run is complete when this returns."""
    run, config, rulebook = started.run, started.config, started.rulebook
    configured = {u.code for u in config.units}
    with transaction.atomic():
        unattributed = store_facts(run, store)
        merge_findings(run, checked.findings)
        sync_inventory(run, store)
        run.requests = result.requests
        run.pages = result.crawled_pages
        run.unverified = [list(u) for u in result.unverified]
        run.unverified_count = len(result.unverified)
        run.stats = F.jsonable(result.stats)
        run.warnings = list(result.warnings) + started.calendar.warnings()
        # The availability probes' warnings join the crawl's: a weekly crawl cannot see them.
        run.national = F.jsonable(checked.national) + run_national(run.site, run.as_of, rulebook)
        run.portal_findings = [F.jsonable(f) for f in checked.portal]
        run.not_configured = [{"code": u.code, "name": u.name} for u in rulebook.units if u.code not in configured]
        run.unattributed = unattributed
        run.coverage = {code: cov.to_json() for code, cov in checked.coverage.items()}
        run.status = Run.Status.COMPLETE
        run.finished_at = timezone.now()
        run.save()
        recompute_scores(run, actor_label=SYSTEM, reason="监测完成后自动计算", rulebook=rulebook)


def merge_findings(run: Run, findings: list[F.Finding]) -> None:
    """Replace the run's machine findings, keeping the review state of findings that are found again."""
    units = {u.code: u for u in Unit.objects.all()}
    existing = {f.key: f for f in run.findings.filter(manual=False)}
    remembered = {d.key: d for d in Dismissal.objects.filter(site=run.site)}
    keep: set[int] = set()
    new_rows: list[Finding] = []
    auto_dismissed: list[str] = []
    for f in findings:
        key = finding_key(run.site_id, f)
        old = existing.get(key)
        if old is not None and old.pk not in keep:
            old.points, old.message, old.evidence = f.points, f.message, F.jsonable(f.evidence)
            old.column_url = f.column_url or ""
            old.save(update_fields=["points", "message", "evidence", "column_url"])
            keep.add(old.pk)
            continue
        state = f.state
        if key in remembered:
            state = Finding.State.DISMISSED
            auto_dismissed.append(key)
        new_rows.append(Finding(
            run=run, unit=units.get(f.unit) if f.unit else None, rule=f.rule, points=f.points,
            needs_review=f.needs_review, state=state, url=f.url, column_url=f.column_url or "",
            message=f.message, evidence=F.jsonable(f.evidence), key=key,
        ))
    run.findings.filter(manual=False).exclude(pk__in=keep).delete()
    Finding.objects.bulk_create(new_rows, batch_size=1000)
    if auto_dismissed:
        Review.objects.bulk_create([
            Review(finding=f, actor_label=SYSTEM, from_state=Finding.State.PENDING if f.needs_review else Finding.State.CONFIRMED,
                   to_state=Finding.State.DISMISSED,
                   reason=f"沿用此前复核结论：{remembered[f.key].reason}（{remembered[f.key].actor_label}）")
            for f in run.findings.filter(key__in=auto_dismissed, state=Finding.State.DISMISSED)
        ])
