"""Consultation rules (consult.unanswered_7d, consult.unanswered_15d).

docs/rules.md: delay = (answered - asked).days when answered, else
(A - asked).days, in calendar days. A rule fires when delay > its `days` and
the question is not excused by an extension (only where the rule says an
extension excuses). Unanswered questions are charged every run; answered-late
ones once, in the run whose cycle holds the reply (`late_reply = "cycle"`),
or every run (`"always"`).
"""

from __future__ import annotations

from govwatch.facts import Finding, QuestionFacts, RunFacts, as_date
from govwatch.rulebook import Rule

from .context import CheckContext, in_cycle, judged_pages, make_finding, page_title


def check_unanswered(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    limit = rule["days"]
    excusable = rule["excused_by_extension"]
    findings = []
    for page in judged_pages(facts, ctx.index(facts), "question", QuestionFacts):
        q: QuestionFacts = page.facts
        asked = as_date(q.asked_at)
        if asked is None or asked > facts.as_of:
            continue  # an unreadable asked date is not judged
        answered = as_date(q.answered_at)
        if answered is not None and answered > facts.as_of:
            answered = None  # a reply after the as-of date did not exist yet at A
        delay = ((answered or facts.as_of) - asked).days
        if delay <= limit or (excusable and q.extension):
            continue
        if answered is not None and rule["late_reply"] == "cycle" and not in_cycle(answered, facts):
            continue  # a late reply is charged once, in the cycle that holds it
        title = page_title(page)
        excuse = "且未申请延期" if excusable else ""
        note = "已申请延期，" if q.extension else ""
        if answered is None:
            message = f"咨询“{title}”提交于 {asked.isoformat()}，{limit}日内未回复{excuse}（{note}已 {delay} 天）"
        else:
            message = (f"咨询“{title}”提交于 {asked.isoformat()}，{answered.isoformat()} 才回复，"
                       f"超过{limit}日{excuse}（{note}用时 {delay} 天）")
        evidence = {
            "asked": asked.isoformat(),
            "answered": answered.isoformat() if answered else None,
            "delay_days": delay,
            "extension": q.extension,
            "status": q.status,
            "limit_days": limit,
        }
        findings.append(make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url,
                                     message=message, evidence=evidence, warc=page.warc))
    return findings
