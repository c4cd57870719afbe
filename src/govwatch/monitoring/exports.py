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
    return [
        {"run": run.pk, "as_of": run.as_of.isoformat(), "unit": s.unit.code, "name": s.unit.name,
         "deductions": s.deductions, "bonuses": s.bonuses, "score": s.score, "by_rule": s.by_rule}
        for s in run.scores.select_related("unit").order_by("-score", "unit__code")
    ]
