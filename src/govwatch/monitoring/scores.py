"""Scores as a service: recompute a run's unit scores from its findings, audited.

Publishing (a run's first scores) and review (every change of a finding's state) both call
this module; it calls neither, which keeps the two out of a cycle.
"""

from __future__ import annotations

import datetime as dt
import tomllib

from django.db import transaction

from govwatch import facts as F
from govwatch.catalog.models import Site, Unit
from govwatch.monitoring.models import Run, Score, ScoreRecomputation
from govwatch.rulebook import Rulebook, load_rulebook

# The actor label of changes no person made (publishing, remembered dismissals).
SYSTEM = "系统"


def month_bonus_before(site: Site, as_of: dt.date, exclude_run: Run | None = None) -> dict[tuple[str, str], int]:
    """Capped bonus each unit already received per bonus rule this calendar month, from earlier runs."""
    totals: dict[tuple[str, str], int] = {}
    runs = Run.objects.filter(site=site, status=Run.Status.COMPLETE, as_of__lt=as_of,
                              as_of__year=as_of.year, as_of__month=as_of.month)
    if exclude_run is not None:
        runs = runs.exclude(pk=exclude_run.pk)
    for score in Score.objects.filter(run__in=runs).select_related("unit"):
        for rule, points in score.by_rule.items():
            if rule.startswith("bonus.") and points > 0:
                key = (score.unit.code, rule)
                totals[key] = totals.get(key, 0) + points
    return totals


def configured_units(run: Run) -> list[tuple[str, str]]:
    """(code, name) of the units the run's site configuration lists; all active units when it lists none."""
    from govwatch.siteconfig import parse_site

    codes: list[str] = []
    if run.site.config_text:
        try:
            cfg = parse_site(tomllib.loads(run.site.config_text), run.site.config_text, run.site.config_path)
            codes = [u.code for u in cfg.units]
        except Exception:  # the stored copy was valid when stored; fall back to all units
            codes = []
    units = Unit.objects.filter(code__in=codes) if codes else Unit.objects.filter(active=True)
    return [(u.code, u.name) for u in units.order_by("code")]


def recompute_scores(run: Run, *, actor_label: str, reason: str, rulebook: Rulebook | None = None) -> list:
    """Recompute a run's scores from its confirmed findings. Always possible, always the same answer, audited."""
    from govwatch.monitoring.coverage import unmonitored
    from govwatch.scoring import score_run

    rulebook = rulebook or load_rulebook(run.rulebook)
    findings = [
        F.Finding(unit=f.unit.code if f.unit else None, rule=f.rule, points=f.points, needs_review=f.needs_review,
                  url=f.url, column_url=f.column_url, message=f.message, evidence=f.evidence, state=f.state)
        for f in run.findings.select_related("unit")
    ]
    prior = month_bonus_before(run.site, run.as_of, exclude_run=run)
    skip = set(unmonitored(run))  # a unit we could not read is never scored (checks.coverage)
    units_to_score = [(code, name) for code, name in configured_units(run) if code not in skip]
    scores = score_run(findings, units_to_score, rulebook, prior_month_bonus=prior, as_of=run.as_of)
    units = {u.code: u for u in Unit.objects.all()}
    with transaction.atomic():
        before = {s.unit.code: s.score for s in run.scores.select_related("unit")}
        run.scores.all().delete()
        Score.objects.bulk_create([
            Score(run=run, unit=units[s.unit], deductions=s.deductions, bonuses=s.bonuses, score=s.score,
                  by_rule=dict(s.by_rule))
            for s in scores
        ])
        ScoreRecomputation.objects.create(run=run, actor_label=actor_label, reason=reason, before=before,
                                          after={s.unit: s.score for s in scores})
    return scores
