"""Bonus rules (bonus.news, bonus.notice): items a unit published in the cycle.

docs/rules.md: count the unit's items of that category dated in (C, A], once
per URL; at least `min_items` earns `+points` per item. The monthly cap is a
scoring matter (govwatch.scoring), not applied here.
"""

from __future__ import annotations

from govwatch.facts import Finding, RunFacts
from govwatch.rulebook import Rule

from .context import CheckContext, in_cycle, item_date, make_finding
from .stale import judged_columns


def check_bonus(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    index = ctx.index(facts)
    category = rule["category"]
    # unit -> item URL -> (date, column, title); judged_columns is URL-sorted, so an item
    # listed in two columns is credited to the column whose URL sorts first.
    by_unit: dict[str, dict[str, tuple]] = {}
    for column in judged_columns(facts):
        if column.category != category:
            continue
        items = by_unit.setdefault(column.unit, {})
        for item in column.items:
            if not item.url or item.url in items:
                continue
            day = item_date(item.url, item.date, index)
            if in_cycle(day, facts):
                items[item.url] = (day, column, item.title)
    findings = []
    label = ctx.category_label(category)
    for unit, items in by_unit.items():
        if len(items) < rule["min_items"]:
            continue
        for url, (day, column, title) in sorted(items.items()):
            page = index.pages.get(url)
            warc = (page.warc if page is not None else None) or column.warc
            message = (f"{label}栏目“{column.name}”本周期发布“{title}”（{day.isoformat()}），"
                       f"本周期共 {len(items)} 条，加 {rule.points} 分")
            evidence = {"date": day.isoformat(), "category": category, "count": len(items)}
            findings.append(make_finding(rule, unit=unit, url=url, column_url=column.url, message=message,
                                         evidence=evidence, warc=warc))
    return findings
