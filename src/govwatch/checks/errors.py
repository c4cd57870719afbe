"""Error rules: error.broken_link, error.typo, error.nonstandard.

docs/rules.md: a broken target is one finding per unit that carries it (url =
the carrying page that sorts first), unless it is a site-wide template link
(carried by >= template_share of the crawled pages): that one is reported for
the portal (`template_link_findings`) and charged to nobody. Typos are one
finding per occurrence. A policy/notice article missing 文号 / 附件 / 落款机关 /
落款日期 is one finding listing what is missing.
"""

from __future__ import annotations

from govwatch.facts import OK, ArticleFacts, Finding, LinkCheck, RunFacts
from govwatch.rulebook import Rule

from .context import CheckContext, FactsIndex, judged_pages, make_finding, page_title

BROKEN = "broken"
KIND_LABELS = {"a": "链接", "img": "图片", "attachment": "附件"}
# The order docs/rules.md lists missing parts in.
NONSTANDARD_PARTS = ("文号", "附件", "落款机关", "落款日期")


# ---------------------------------------------------------------------------
# Broken links


def is_template_link(link: LinkCheck, facts: RunFacts, rule: Rule) -> bool:
    if facts.crawled_pages <= 0:
        return False
    # total_carriers: the whole site's count, also when `carriers` is one unit's share.
    return link.total_carriers / facts.crawled_pages >= rule["template_share"]


def _carrier_owner(url: str, index: FactsIndex, facts: RunFacts) -> tuple[str | None, str | None]:
    """(unit, column URL) of a carrying page: a detail page, a column's list page, or another page of a unit's section."""
    page = index.pages.get(url)
    if page is not None:
        if page.status != OK:
            return None, None
        return page.unit, page.column_url
    column = index.columns.get(url)
    if column is not None:
        return (column.unit, column.url) if column.status == OK else (None, None)
    return facts.page_units.get(url), None


def _link_evidence(link: LinkCheck, carriers: list[str]) -> dict:
    return {"target": link.target, "reason": link.reason, "http_status": link.http_status,
            "carriers": carriers, "kind": link.kind}


def _link_message(link: LinkCheck, carriers: int, suffix: str = "") -> str:
    label = KIND_LABELS.get(link.kind, "链接")
    return f"{label}失效：{link.target}（{link.reason or '无法访问'}），出现在 {carriers} 个页面{suffix}"


def check_broken_link(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    index = ctx.index(facts)
    findings = []
    for link in sorted(facts.links, key=lambda l: l.target):
        if link.outcome != BROKEN or is_template_link(link, facts, rule):
            continue
        by_unit: dict[str, dict[str, str | None]] = {}
        for carrier in set(link.carriers):
            unit, column_url = _carrier_owner(carrier, index, facts)
            if unit is not None:
                by_unit.setdefault(unit, {})[carrier] = column_url
        for unit, pages in sorted(by_unit.items()):
            carriers = sorted(pages)
            first = carriers[0]
            # The snapshot a reader opens is the page that carries the link (the viewer outlines the
            # link there); the target's own response stays on record beside it.
            carrier_page = index.pages.get(first)
            evidence = _link_evidence(link, carriers)
            if link.warc:
                evidence["target_warc"] = link.warc
            findings.append(make_finding(
                rule, unit=unit, url=first, column_url=pages[first], message=_link_message(link, len(carriers)),
                evidence=evidence, warc=(carrier_page.warc if carrier_page is not None else None) or link.warc,
            ))
    return findings


def template_link_findings(facts: RunFacts, rule: Rule) -> list[Finding]:
    """Broken links of the site-wide template: reported for the portal, 0 points, unit None."""
    findings = []
    for link in sorted(facts.links, key=lambda l: l.target):
        if link.outcome != BROKEN or not is_template_link(link, facts, rule):
            continue
        carriers = sorted(set(link.carriers))
        evidence = _link_evidence(link, carriers)
        evidence.update(template=True, share=round(link.total_carriers / facts.crawled_pages, 4))
        if link.warc:
            evidence["warc"] = link.warc
        findings.append(Finding(
            unit=None, rule=rule.id, points=0, needs_review=False, url=carriers[0], column_url=None,
            message=_link_message(link, len(carriers), "（门户公共模板，不计入任何单位）"),
            evidence=evidence, state="confirmed",
        ))
    return findings


# ---------------------------------------------------------------------------
# Typos


def check_typo(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    """One pending finding per hit at or above the rulebook's confidence floor (below it: not for review)."""
    index = ctx.index(facts)
    floor = float(rule.get("confidence_floor", 0.0))
    findings = []
    for url in sorted(facts.typos):
        page = index.pages.get(url)
        if page is None or page.status != OK or page.unit is None:
            continue
        title = page_title(page)
        for hit in sorted(facts.typos[url], key=lambda h: (h.start, h.end, h.wrong)):
            if hit.confidence < floor:
                continue
            label = "表述错误" if hit.kind == "expression" else "错别字"
            context = f"：…{hit.context}…" if hit.context else ""
            message = f"{label}：“{title}”中“{hit.wrong}”应为“{hit.right}”{context}"
            evidence = {"wrong": hit.wrong, "right": hit.right, "start": hit.start, "end": hit.end,
                        "kind": hit.kind, "context": hit.context, "confidence": hit.confidence}
            findings.append(make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url,
                                         message=message, evidence=evidence, warc=page.warc))
    return findings


# ---------------------------------------------------------------------------
# Nonstandard policy/notice items


def owes_doc_number(title: str | None, rule: Rule) -> bool:
    """A title naming a formal document owes a 文号, unless its genre has none (解读, 公告, 公示 ...)."""
    title = title or ""
    if any(word in title for word in rule["doc_number_exempt"]):
        return False
    return any(word in title for word in rule["doc_number_keywords"])


def missing_parts(art: ArticleFacts, rule: Rule) -> list[str]:
    missing = []
    if owes_doc_number(art.title, rule) and not (art.doc_number or "").strip():
        missing.append("文号")
    if art.mentions_attachment and not art.attachments:
        missing.append("附件")
    if not (art.signature.organ or "").strip():
        missing.append("落款机关")
    # The 落款 date reads as in INDICATORS.md reading 4: the body's, else the header's 成文日期.
    if art.signature.date is None and art.written_date is None:
        missing.append("落款日期")
    return [part for part in NONSTANDARD_PARTS if part in missing]


def check_nonstandard(facts: RunFacts, rule: Rule, ctx: CheckContext) -> list[Finding]:
    index = ctx.index(facts)
    categories = set(rule["categories"])
    findings = []
    for page in judged_pages(facts, index, "article", ArticleFacts):
        column = index.columns.get(page.column_url)
        if column is None or column.category not in categories:
            continue
        missing = missing_parts(page.facts, rule)
        if not missing:
            continue
        message = f"“{page_title(page)}”{rule.title}：缺少{'、'.join(missing)}"
        evidence = {"missing": missing, "category": column.category, "doc_number": page.facts.doc_number}
        findings.append(make_finding(rule, unit=page.unit, url=page.url, column_url=page.column_url,
                                     message=message, evidence=evidence, warc=page.warc))
    return findings
