"""Deductions that rest on an unsure judgement go to review, never straight to the score.

The monitor judges whether a page is a dated list (a column), which rulebook category a
column is, which unit it belongs to, and what kind of page a page is. Each judgement
carries a confidence (facts module docstring). A deduction resting on one below its
rulebook threshold (`[confidence]`) becomes `pending` with `needs_review`, and its
evidence says which judgement was unsure. A column the office confirmed (web column
management or `[[columns]]` in the site TOML) is confident whatever the reader measured.

Pure: findings and facts in, findings out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping

from govwatch.facts import Column, Finding, Page
from govwatch.rulebook import Rulebook

PENDING = "pending"
CONFIRMED = "confirmed"

# Judgement -> what a reviewer reads.
LABELS = {
    "list": "是否为栏目列表",
    "category": "栏目类别",
    "unit": "栏目所属单位",
    "page_type": "页面类型",
}


def _doubts(column: Column | None, page: Page | None, thresholds: Mapping[str, float],
            confirmed: bool) -> list[dict]:
    doubts = []
    if column is not None and not confirmed:
        for judgement, value in (("list", column.list_confidence), ("category", column.category_confidence),
                                 ("unit", column.unit_confidence)):
            if value < thresholds[judgement]:
                doubts.append({"judgement": judgement, "confidence": round(value, 2),
                               "threshold": thresholds[judgement]})
    if page is not None and page.page_type_confidence < thresholds["page_type"]:
        doubts.append({"judgement": "page_type", "confidence": round(page.page_type_confidence, 2),
                       "threshold": thresholds["page_type"], "page_type": page.page_type,
                       "signal": page.page_type_signal})
    return doubts


def route_low_confidence(findings: Iterable[Finding], columns: Iterable[Column], pages: Iterable[Page],
                         rulebook: Rulebook, confirmed: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """The findings, with each confirmed deduction that rests on a low-confidence judgement made pending.

    `confirmed` holds the URLs of columns the office confirmed or pinned."""
    thresholds = rulebook.confidence
    by_column = {c.url: c for c in columns}
    by_page = {p.url: p for p in pages}
    out = []
    for f in findings:
        if f.points >= 0 or f.state != CONFIRMED:
            out.append(f)
            continue
        column_url = f.column_url or f.url
        column = by_column.get(column_url)
        doubts = _doubts(column, by_page.get(f.url), thresholds, column_url in confirmed)
        if not doubts:
            out.append(f)
            continue
        why = "；".join(f"{LABELS[d['judgement']]}把握不足（{d['confidence']:.2f}，低于 {d['threshold']:.2f}）"
                       for d in doubts)
        evidence = {**f.evidence, "low_confidence": doubts, "review_reason": why}
        out.append(replace(f, state=PENDING, needs_review=True, evidence=evidence))
    return out
