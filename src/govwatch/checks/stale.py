"""Column rules: staleness (stale.*) and blank columns (blank.column).

docs/rules.md: at most one staleness finding per column, by precedence
(the category's own rule, else key area, else expected frequency); a profile
column is never stale; a blank column is never stale; an unverified or
unattributed column gets nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from govwatch.facts import OK, Column, Finding, RunFacts
from govwatch.lib.dates import add_months
from govwatch.rulebook import Rule, Rulebook

from .context import CheckContext, make_finding

# A profile (机构概况) column is static: docs/rules.md says it is never stale.
STATIC_CATEGORIES = ("profile",)
# Punctuation and spaces around a placeholder ("暂无信息！", "【暂无数据】") do not change what it says.
_PLACEHOLDER_NOISE = re.compile(r"[\s\u3000!！。.,，、:：;；~～…\-—_()（）\[\]【】<>《》\"'“”‘’]+")


@dataclass(frozen=True)
class Staleness:
    """How one column is judged for staleness: which rule, and when it becomes stale."""

    rule_id: str
    months: int = 0
    days: int = 0  # plain days (stale.news) or grace days after the months
    expected: str | None = None  # frequency ID, for the expected-period rules

    def deadline(self, newest: dt.date) -> dt.date:
        return add_months(newest, self.months) + dt.timedelta(days=self.days)

    def is_stale(self, newest: dt.date, as_of: dt.date) -> bool:
        # "older than N days" is (A - newest).days > N, i.e. A > newest + N days; months clamp to month end.
        return as_of > self.deadline(newest)


def category_rules(rulebook: Rulebook) -> dict[str, Rule]:
    """Category ID -> its own staleness rule (stale.news, stale.notice, ...), read from the rulebook."""
    found: dict[str, Rule] = {}
    for rule in rulebook.rules.values():
        if rule.id.startswith("stale.") and not rule.manual and "category" in rule.params:
            found.setdefault(rule["category"], rule)
    return found


def staleness_for(column: Column, rulebook: Rulebook) -> Staleness | None:
    """The single staleness rule that governs a column, or None when it is never stale."""
    if column.category in STATIC_CATEGORIES:
        return None
    own = category_rules(rulebook).get(column.category)
    if own is not None:
        return Staleness(own.id, months=int(own.get("max_age_months", 0) or 0),
                         days=int(own.get("max_age_days", 0) or 0))
    if column.key_area:
        frequency = column.expected or rulebook.key_area_default_expected
        return _expected_staleness("stale.key_area", frequency, rulebook)
    if column.expected:
        return _expected_staleness("stale.expected", column.expected, rulebook)
    return None


def _expected_staleness(rule_id: str, frequency: str, rulebook: Rulebook) -> Staleness | None:
    exp = rulebook.expected.get(frequency)
    if exp is None:
        return None
    return Staleness(rule_id, months=exp.months, days=exp.grace_days, expected=frequency)


def newest_item_date(column: Column) -> dt.date | None:
    """Items whose date cannot be read are ignored for age."""
    return max((item.date for item in column.items if item.date is not None), default=None)


def is_blank(column: Column, rule: Rule) -> bool:
    """No items at all, or only placeholder rows such as "暂无信息"."""
    if not column.items:
        return True
    placeholders = {_normalize(p) for p in rule.get("placeholders", ())}
    return all(_normalize(item.title) in placeholders and not item.date for item in column.items)


def _normalize(text: str | None) -> str:
    return _PLACEHOLDER_NOISE.sub("", text or "")


def judged_columns(facts: RunFacts) -> list[Column]:
    """Attributed, verified columns, once per URL, in URL order."""
    seen: dict[str, Column] = {}
    for column in facts.columns:
        if column.status == OK and column.unit is not None:
            seen.setdefault(column.url, column)
    return [seen[url] for url in sorted(seen)]


def threshold_text(staleness: Staleness, rule: Rule, ctx: CheckContext) -> str:
    """How long the column may go without an update, in words ("10天", "5个月", "3个月又30天")."""
    if staleness.expected is None:
        if rule.get("max_age_days") is not None:
            return f"{rule['max_age_days']}天"
        return f"{rule['max_age_months']}个月"
    grace = f"又{staleness.days}天" if staleness.days else ""
    return f"{staleness.months}个月{grace}"


def _column_label(column: Column, staleness: Staleness, ctx: CheckContext) -> str:
    if staleness.rule_id == "stale.key_area":
        return "重点领域栏目"
    if staleness.rule_id == "stale.expected":
        exp = ctx.rulebook.expected.get(staleness.expected or "")
        return f"应{exp.label if exp else ''}更新的栏目"
    return f"{ctx.category_label(column.category)}栏目"


def check_stale(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    """One function for every stale.* rule: each column is judged only by the rule that governs it."""
    blank_rule = ctx.rulebook.rules.get("blank.column")
    findings = []
    for column in judged_columns(facts):
        staleness = staleness_for(column, ctx.rulebook)
        if staleness is None or staleness.rule_id != rule.id:
            continue
        if blank_rule is not None and is_blank(column, blank_rule):
            continue  # a blank column is charged as blank, not as stale
        newest = newest_item_date(column)
        if newest is None or not staleness.is_stale(newest, facts.as_of):
            continue
        days = (facts.as_of - newest).days
        threshold = threshold_text(staleness, rule, ctx)
        message = (f"{_column_label(column, staleness, ctx)}“{column.name}”超过{threshold}未更新"
                   f"（最新信息 {newest.isoformat()}，已 {days} 天）")
        evidence = {
            "newest_item_date": newest.isoformat(),
            "days": days,
            "threshold": threshold,
            "deadline": staleness.deadline(newest).isoformat(),
            "category": column.category,
            "key_area": column.key_area,
            "expected": staleness.expected,
        }
        findings.append(make_finding(rule, unit=column.unit, url=column.url, column_url=column.url,
                                     message=message, evidence=evidence, warc=column.warc))
    return findings


def check_blank(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    findings = []
    for column in judged_columns(facts):
        if not is_blank(column, rule):
            continue
        shown = column.placeholder or next((i.title for i in column.items), None)
        detail = f"仅显示“{shown}”" if shown else "没有任何信息"
        message = f"{ctx.category_label(column.category)}栏目“{column.name}”为空白栏目（{detail}）"
        evidence = {"category": column.category, "items": len(column.items), "placeholder": shown}
        findings.append(make_finding(rule, unit=column.unit, url=column.url, column_url=column.url,
                                     message=message, evidence=evidence, warc=column.warc))
    return findings
