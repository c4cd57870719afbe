"""Exports as a service: a run's findings and scores as plain rows (INTERFACES.md §3 and §4).

The CLI, the web app and the reports all read these rows, so every figure they show is the same.
"""

from __future__ import annotations

from govwatch.monitoring.models import Run


def findings_export(run: Run) -> list[dict]:
    rows = []
    for f in run.findings.select_related("unit").order_by("unit__code", "rule", "url", "id"):
        rows.append({
            "run": run.pk, "as_of": run.as_of.isoformat(), "unit": f.unit.code if f.unit else None,
            "rule": f.rule, "points": f.points, "state": f.state, "needs_review": f.needs_review,
            "column_url": f.column_url or None, "url": f.url, "evidence": f.evidence, "message": f.message,
        })
    return rows


def scores_export(run: Run) -> list[dict]:
    """INTERFACES.md §4, with each unit's `coverage`. Units not effectively monitored come last,
    with `score`, `deductions` and `bonuses` null: they are not scored and not ranked."""
    from govwatch.catalog.models import Unit
    from govwatch.monitoring.coverage import unmonitored

    coverage = run.coverage or {}
    rows = [
        {"run": run.pk, "as_of": run.as_of.isoformat(), "unit": s.unit.code, "name": s.unit.name,
         "deductions": s.deductions, "bonuses": s.bonuses, "score": s.score, "by_rule": s.by_rule,
         "coverage": coverage.get(s.unit.code)}
        for s in run.scores.select_related("unit").order_by("-score", "unit__code")
    ]
    missed = unmonitored(run)
    names = dict(Unit.objects.filter(code__in=list(missed)).values_list("code", "name"))
    rows += [{"run": run.pk, "as_of": run.as_of.isoformat(), "unit": code, "name": names.get(code, code),
              "deductions": None, "bonuses": None, "score": None, "by_rule": {}, "coverage": cov}
             for code, cov in sorted(missed.items())]
    return rows
