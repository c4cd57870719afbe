"""Service-guide rules (guide.missing_element, guide.form_unavailable).

docs/rules.md: one finding per absent element (synonyms from the rulebook
count as present); one per mentioned form with no download link or a broken
one. A broken form link is also an error.broken_link finding (reading 10):
that one comes from the link check in errors.py, not from here.
"""

from __future__ import annotations

from govwatch.facts import Finding, GuideFacts, RunFacts
from govwatch.rulebook import Rule

from .context import CheckContext, judged_pages, make_finding, page_title

BROKEN = "broken"


def _canonical_elements(present: tuple[str, ...], elements: dict) -> set[str]:
    """Map whatever names the extractor reported onto the rulebook's canonical element names."""
    found = set()
    for name in present:
        for canonical, synonyms in elements.items():
            if name == canonical or name in synonyms:
                found.add(canonical)
    return found


def check_missing_element(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    elements: dict = dict(rule["elements"])
    findings = []
    for page in judged_pages(facts, ctx.index(facts), "guide", GuideFacts):
        present = _canonical_elements(page.facts.elements, elements)
        title = page_title(page)
        for element in elements:  # rulebook order: 事项名称 … 办理流程
            if element in present:
                continue
            message = f"办事指南“{title}”缺少要素：{element}"
            evidence = {"element": element, "synonyms": list(elements[element])}
            findings.append(make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url,
                                         message=message, evidence=evidence, warc=page.warc))
    return findings


def check_form_unavailable(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    index = ctx.index(facts)
    findings = []
    for page in judged_pages(facts, index, "guide", GuideFacts):
        title = page_title(page)
        # A form named twice (in the text and under 表格下载) is one form: it is available when any
        # of its links works. A link we could not verify (timeout, WAF) is never charged.
        by_name: dict[str, list] = {}
        for form in page.facts.forms:
            by_name.setdefault(form.name, []).append(form)
        for name, refs in by_name.items():
            verdict = _form_verdict(refs, index)
            if verdict is None:
                continue
            form_url, reason, status = verdict
            if form_url is None:
                message = f"办事指南“{title}”提及的《{name.strip('《》')}》没有提供下载"
            else:
                message = f"办事指南“{title}”提及的《{name.strip('《》')}》下载链接失效（{reason}）：{form_url}"
            evidence = {"form": name, "form_url": form_url, "reason": reason, "http_status": status}
            findings.append(make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url,
                                         message=message, evidence=evidence, warc=page.warc))
    return findings


def _form_verdict(refs: list, index) -> tuple[str | None, str, int | None] | None:
    """(form_url, reason, http_status) when the form is unavailable, else None."""
    broken = None
    for ref in refs:
        if not ref.url:
            continue
        check = index.links.get(ref.url)
        if check is None or check.outcome != BROKEN:
            return None  # a link that works, or that we could not judge, is not charged
        if broken is None:
            broken = (ref.url, check.reason or "链接失效", check.http_status)
    if broken is not None:
        return broken
    return None, "无下载链接", None
