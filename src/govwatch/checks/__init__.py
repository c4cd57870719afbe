"""Rule checks: one pure function per rule, found through `REGISTRY` (rule ID -> function).

A new rule is a new function here plus a row in the rulebook. Every function
has the signature `(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]`
and reads its thresholds and points from `rule`; docs/rules.md is the exact
reading each one implements.

Entry points:
- `run_checks(facts, rulebook, calendar=None)`: every non-manual rule's findings
  for the units, sorted by (unit, rule, url, discriminator).
- `portal_findings(facts, rulebook)`: broken links of the site-wide template,
  reported for the portal (unit None, 0 points), never charged to a unit.
- `national_warnings(facts, rulebook)`: the unscored national early warnings.
"""

from __future__ import annotations

from typing import Callable

from govwatch.facts import Finding, RunFacts
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import Rule, Rulebook

from . import bonus, consult, errors, guide, stale, timeliness
from .context import CheckContext, FactsIndex
from .national import NationalWarnings, national_warnings

__all__ = ["REGISTRY", "CheckContext", "FactsIndex", "run_checks", "portal_findings", "national_warnings", "NationalWarnings",
           "finding_sort_key"]

REGISTRY: dict[str, Callable[[RunFacts, Rule, CheckContext], list[Finding]]] = {
    "stale.news": stale.check_stale,
    "stale.notice": stale.check_stale,
    "stale.policy": stale.check_stale,
    "stale.personnel": stale.check_stale,
    "stale.plan": stale.check_stale,
    "stale.expected": stale.check_stale,
    "stale.key_area": stale.check_stale,
    "blank.column": stale.check_blank,
    "bonus.news": bonus.check_bonus,
    "bonus.notice": bonus.check_bonus,
    "consult.unanswered_7d": consult.check_unanswered,
    "consult.unanswered_15d": consult.check_unanswered,
    "guide.missing_element": guide.check_missing_element,
    "guide.form_unavailable": guide.check_form_unavailable,
    "timeliness.news": timeliness.check_news,
    "timeliness.document": timeliness.check_document,
    "error.broken_link": errors.check_broken_link,
    "error.typo": errors.check_typo,
    "error.nonstandard": errors.check_nonstandard,
}


def finding_sort_key(finding: Finding) -> tuple:
    """Deterministic order: unit, rule, url, then what tells two findings on one page apart."""
    ev = finding.evidence
    discriminator = str(ev.get("target") or ev.get("element") or ev.get("form") or ev.get("wrong") or "")
    start = ev.get("start")
    return (finding.unit or "", finding.rule, finding.url, discriminator, start if isinstance(start, int) else -1)


def run_checks(facts: RunFacts, rulebook: Rulebook, calendar: WorkCalendar | None = None) -> list[Finding]:
    """Every unit finding of one run. Manual rules (error.other, error.false_info) are left to reviewers."""
    ctx = CheckContext.for_rulebook(rulebook, calendar)
    findings: list[Finding] = []
    for rule in rulebook.rules.values():
        if rule.manual or rule.kind == "manual":
            continue
        check = REGISTRY.get(rule.id)
        if check is None:
            raise KeyError(f"规则 {rule.id} 没有对应的检查函数（govwatch.checks.REGISTRY）")
        findings.extend(check(facts, rule, ctx))
    return sorted(findings, key=finding_sort_key)


def portal_findings(facts: RunFacts, rulebook: Rulebook) -> list[Finding]:
    """Template broken links: shown in the run report for the portal itself, charged to no unit."""
    rule = rulebook.rules.get("error.broken_link")
    if rule is None:
        return []
    return sorted(errors.template_link_findings(facts, rule), key=finding_sort_key)
