"""Timeliness rules (timeliness.news, timeliness.document): event rules on
items first published in the cycle (C, A].

docs/rules.md: news is late when (published - event).days > max_delay_days or
the text names no event date; a document is late when the working days in
(落款 date, published] exceed max_working_days, or it has no 落款 date (body
signature date, else the header's 成文日期).
"""

from __future__ import annotations

from govwatch.facts import ArticleFacts, Finding, Page, RunFacts
from govwatch.rulebook import Rule

from .context import CheckContext, FactsIndex, in_cycle, judged_pages, make_finding, page_date, page_title


def _cycle_articles(facts: RunFacts, rule: Rule, index: FactsIndex):
    """(page, publish date) of the rule's categories, dated in the cycle."""
    categories = set(rule["categories"])
    for page in judged_pages(facts, index, "article", ArticleFacts):
        column = index.columns.get(page.column_url)
        if column is None or column.category not in categories:
            continue
        published = page_date(page, index)
        if in_cycle(published, facts):
            yield page, column, published


def check_news(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    max_delay = rule["max_delay_days"]
    findings = []
    for page, column, published in _cycle_articles(facts, rule, ctx.index(facts)):
        event = page.facts.event_date
        title = page_title(page)
        if event is None:
            message = f"动态“{title}”（{published.isoformat()} 发布）正文未写明事件日期，无法确认及时公开"
            delay = None
        else:
            delay = (published - event).days
            if delay <= max_delay:
                continue
            message = (f"动态“{title}”事件日期 {event.isoformat()}，{published.isoformat()} 才发布，"
                       f"相隔 {delay} 天（{rule.title}）")
        evidence = {"published": published.isoformat(), "event_date": event.isoformat() if event else None,
                    "delay_days": delay, "max_delay_days": max_delay, "category": column.category}
        findings.append(_finding(rule, page, message, evidence))
    return findings


def check_document(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    max_days = rule["max_working_days"]
    findings = []
    for page, column, published in _cycle_articles(facts, rule, ctx.index(facts)):
        art: ArticleFacts = page.facts
        signed, source = (art.signature.date, "落款") if art.signature.date else (art.written_date, "成文日期")
        title = page_title(page)
        if signed is None:
            working = None
            source = None
            message = (f"“{title}”（{published.isoformat()} 发布）没有落款日期，"
                       f"无法确认在落款后{max_days}个工作日内公开")
        else:
            working = ctx.calendar.working_days_after(signed, published)
            if working <= max_days:
                continue
            label = "落款日期" if source == "落款" else source
            message = (f"“{title}”{label} {signed.isoformat()}，{published.isoformat()} 才发布，"
                       f"相隔 {working} 个工作日，超过{max_days}个工作日")
        evidence = {"published": published.isoformat(), "signature_date": signed.isoformat() if signed else None,
                    "signature_source": source, "working_days": working, "max_working_days": max_days,
                    "category": column.category}
        findings.append(_finding(rule, page, message, evidence))
    return findings


def _finding(rule: Rule, page: Page, message: str, evidence: dict) -> Finding:
    return make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url, message=message,
                        evidence=evidence, warc=page.warc)
