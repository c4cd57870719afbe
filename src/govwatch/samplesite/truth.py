"""The ground truth: docs/rules.md applied to the plan at the as-of date (a site's first run).

Nothing here is hand-listed: findings come from the same timeline the pages
are rendered from, so they hold for any as-of date and any scale.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from govwatch.lib.dates import add_months
from govwatch.samplesite.model import Column, Item, UnitPlan

STATE_CATEGORIES = ("news", "notice", "policy", "personnel", "plan")
TEMPLATE_BROKEN = "/sitemap.html"  # the footer's 网站地图: broken on every page, reported for the portal only


@dataclass
class Truth:
    as_of: dt.date
    cycle_start: dt.date
    base_url: str
    findings: list[dict] = field(default_factory=list)
    near_misses: list[dict] = field(default_factory=list)
    unverified: list[dict] = field(default_factory=list)
    portal: list[dict] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)


class TruthBuilder:
    def __init__(self, rulebook, cal, as_of: dt.date, base_url: str, anchor: dt.date | None = None):
        self.rb, self.cal, self.A = rulebook, cal, as_of
        self.C = as_of - dt.timedelta(days=rulebook.first_cycle_days)
        # After the anchor the truth assumes weekly runs since the anchor: pages seen by an
        # earlier run are not judged for typos again (INDICATORS.md: first seen, or text changed).
        self.first_run = anchor is None or as_of <= anchor
        self.base = base_url.rstrip("/")
        self.truth = Truth(as_of, self.C, base_url)

    def url(self, path: str) -> str:
        return path if "://" in path else self.base + path

    def in_cycle(self, day: dt.date | None) -> bool:
        return day is not None and self.C < day <= self.A

    def add(self, unit, rule, url, column_url, evidence, message):
        r = self.rb.rule(rule)
        self.truth.findings.append({
            "unit": unit, "rule": rule, "points": r.points, "needs_review": r.needs_review,
            "url": url, "column_url": column_url, "evidence": evidence, "message": message,
        })

    # ------------------------------------------------------------------
    def unit(self, plan: UnitPlan) -> None:
        self.truth.units.append((plan.code, plan.name))
        before = len(self.truth.findings)
        bonus: dict[str, dict[str, tuple[str, str]]] = {"news": {}, "notice": {}}
        broken: dict[str, dict] = {}
        for col in plan.columns:
            curl = self.url(col.path)
            if col.fault:
                reason = {"500": "HTTP 500（首轮监测视为暂时故障）", "waf": "HTTP 412 WAF 脚本挑战"}[col.fault]
                self.truth.unverified.append({"url": curl, "unit": plan.code, "kind": "column", "reason": reason,
                                              "charge": "不计入单位扣分"})
                continue
            items = col.visible_items(self.A)
            self.column(plan, col, curl, items)
            for item in items:
                iurl = self.url(item.path)
                if item.fault:
                    self.truth.unverified.append({"url": iurl, "unit": plan.code, "kind": "page", "reason": FAULT_REASONS[item.fault],
                                                  "charge": "不计入单位扣分"})
                    continue
                if col.category in bonus and self.in_cycle(item.date):
                    bonus[col.category][iurl] = (curl, item.title)
                self.item(plan, col, curl, item, iurl)
                for ref in item.images + item.attachments + item.body_links + [r for _, r in item.forms if r]:
                    if ref.outcome == "broken":
                        b = broken.setdefault(self.url(ref.href), {"kind": ref.kind, "reason": ref.reason, "carriers": {}})
                        b["carriers"][iurl] = curl
        for cat, got in bonus.items():
            rule = self.rb.rule(f"bonus.{cat}")
            if len(got) >= rule["min_items"]:
                for iurl, (curl, title) in sorted(got.items()):
                    self.add(plan.code, rule.id, iurl, curl, {"date_in_cycle": True},
                             f"{rule.title}：“{title}”加{rule.points}分")
            elif len(got) == 1:
                iurl, (curl, _) = next(iter(got.items()))
                self.near(plan.code, rule.id, iurl, curl, "本周期只发布1条信息，需超过1条才加分")
        for target, b in sorted(broken.items()):
            carriers = sorted(b["carriers"])
            self.add(plan.code, "error.broken_link", carriers[0], b["carriers"][carriers[0]],
                     {"target": target, "carriers": carriers, "reason": b["reason"], "kind": b["kind"]},
                     f"页面中的链接 {target} 无法访问（{b['reason']}），共 {len(carriers)} 个页面引用")
        self.notes(plan, before)

    def near(self, unit, rule, url, column_url, reason, **detail):
        """A near miss; `detail` names the discriminator (e.g. target) where one page can carry several findings."""
        self.truth.near_misses.append({"unit": unit, "rule": rule, "url": url, "column_url": column_url,
                                       "reason": reason, **detail})

    def notes(self, plan: UnitPlan, before: int) -> None:
        fired = {(f["rule"], f["url"]) for f in self.truth.findings[before:]}
        for col in plan.columns:
            curl = self.url(col.path)
            for rule, reason in col.notes:
                if (rule, curl) not in fired:
                    self.near(plan.code, rule, curl, curl, reason)
            for item in col.items:
                if not item.visible(self.A):
                    continue
                iurl = self.url(item.path)
                for rule, reason, *detail in item.notes:
                    # a broken-link note is about one working link on a page that may carry broken ones
                    fired_here = rule != "error.broken_link" and (rule, iurl) in fired
                    if not fired_here:
                        extra = {k: self.url(v) if k == "target" else v for k, v in (detail[0] if detail else {}).items()}
                        self.near(plan.code, rule, iurl, curl, reason, **extra)

    # ------------------------------------------------------------------
    def column(self, plan: UnitPlan, col: Column, curl: str, items: list[Item]) -> None:
        if not items:
            rule = self.rb.rule("blank.column")
            ph = "暂无信息" if col.placeholder else None
            self.add(plan.code, rule.id, curl, curl, {"placeholder": ph, "column": col.name},
                     f"栏目“{col.name}”为空白栏目" + ("（仅显示“暂无信息”）" if ph else "（没有任何信息）"))
            return
        if col.category == "profile":
            return
        newest = max(i.date for i in items)
        days = (self.A - newest).days
        ev = {"newest_item_date": newest.isoformat(), "days": days, "column": col.name}
        if col.category in STATE_CATEGORIES:
            rule = self.rb.rule(f"stale.{col.category}")
            if "max_age_days" in rule.params:
                stale = days > rule["max_age_days"]
                limit = f"{rule['max_age_days']}天"
            else:
                stale = self.A > add_months(newest, rule["max_age_months"])
                limit = f"{rule['max_age_months']}个月"
            if stale:
                self.add(plan.code, rule.id, curl, curl, ev,
                         f"{self.rb.categories[col.category].label}栏目“{col.name}”超过{limit}未更新（最新信息 {newest}，已 {days} 天）")
            return
        if col.key_area:
            rid, freq = "stale.key_area", col.expected or self.rb.key_area_default_expected
        elif col.expected:
            rid, freq = "stale.expected", col.expected
        else:
            return
        exp = self.rb.expected[freq]
        if self.A > add_months(newest, exp.months) + dt.timedelta(days=exp.grace_days):
            ev["expected"] = freq
            self.add(plan.code, rid, curl, curl, ev,
                     f"栏目“{col.name}”应{exp.label}更新，已长期未更新（最新信息 {newest}，已 {days} 天）")

    def item(self, plan: UnitPlan, col: Column, curl: str, item: Item, iurl: str) -> None:
        A = self.A
        if item.kind == "question":
            self.question(plan, curl, item, iurl)
        elif item.kind == "guide":
            self.guide(plan, curl, item, iurl)
        typos = item.typos_at(A) if self.first_run or self.in_cycle(item.date) else []
        for wrong, right in typos:
            self.add(plan.code, "error.typo", iurl, curl, {"wrong": wrong, "right": right},
                     f"疑似错别字或错误表述：“{wrong}”应为“{right}”")
        if item.kind != "article":
            return
        r = self.rb.rule("timeliness.news")
        if col.category in r["categories"] and self.in_cycle(item.date):
            if item.event_date is None:
                self.add(plan.code, r.id, iurl, curl, {"published": item.date.isoformat(), "event_date": None},
                         "动态信息正文未写明事件发生日期，无法判断是否在24小时内公开")
            elif (item.date - item.event_date).days > r["max_delay_days"]:
                self.add(plan.code, r.id, iurl, curl,
                         {"published": item.date.isoformat(), "event_date": item.event_date.isoformat(),
                          "days": (item.date - item.event_date).days},
                         f"动态信息未在24小时内公开（事件 {item.event_date}，发布 {item.date}）")
        r = self.rb.rule("timeliness.document")
        if col.category in r["categories"] and self.in_cycle(item.date):
            signed = item.sign_date or item.written_date
            if signed is None:
                self.add(plan.code, r.id, iurl, curl, {"published": item.date.isoformat(), "signed": None},
                         "文件没有落款日期，无法判断是否在20个工作日内公开")
            else:
                wd = self.cal.working_days_after(signed, item.date)
                if wd > r["max_working_days"]:
                    self.add(plan.code, r.id, iurl, curl,
                             {"published": item.date.isoformat(), "signed": signed.isoformat(), "working_days": wd,
                              "calendar_days": (item.date - signed).days},
                             f"文件落款后 {wd} 个工作日才公开，超过20个工作日（落款 {signed}，发布 {item.date}）")
        r = self.rb.rule("error.nonstandard")
        if col.category in r["categories"]:
            missing = []
            owes = any(k in item.title for k in r["doc_number_keywords"]) and not any(k in item.title for k in r["doc_number_exempt"])
            if owes and not item.doc_number:
                missing.append("文号")
            if item.mentions_attachment and not item.attachments:
                missing.append("附件")
            if not item.sign_organ:
                missing.append("落款机关")
            if not (item.sign_date or item.written_date):  # INDICATORS.md reading 4: 成文日期 stands in
                missing.append("落款日期")
            if missing:
                self.add(plan.code, r.id, iurl, curl, {"missing": missing},
                         f"信息发布不规范：缺少{'、'.join(missing)}")

    def question(self, plan: UnitPlan, curl: str, item: Item, iurl: str) -> None:
        A = self.A
        answered = item.answered_at(A)
        delay = ((answered or A) - item.date).days
        extension = item.extended_at(A) is not None
        if answered is not None and not self.in_cycle(answered):
            return  # late replies are charged once, in the cycle that holds the reply date
        for rid in ("consult.unanswered_7d", "consult.unanswered_15d"):
            r = self.rb.rule(rid)
            if delay > r["days"] and not (extension and r["excused_by_extension"]):
                self.add(plan.code, rid, iurl, curl,
                         {"asked": item.date.isoformat(), "answered": answered.isoformat() if answered else None,
                          "delay_days": delay, "extension": extension},
                         f"群众咨询{'超过' + str(r['days']) + '日才回复' if answered else '超过' + str(r['days']) + '日未回复'}"
                         f"（提问 {item.date}，{'回复 ' + str(answered) if answered else '至今未回复'}）")

    def guide(self, plan: UnitPlan, curl: str, item: Item, iurl: str) -> None:
        for canon in self.rb.rule("guide.missing_element")["elements"]:
            if canon not in item.elements:
                self.add(plan.code, "guide.missing_element", iurl, curl, {"element": canon},
                         f"办事指南缺少要素“{canon}”")
        for name, ref in item.forms:
            if ref is None or ref.outcome == "broken":
                self.add(plan.code, "guide.form_unavailable", iurl, curl,
                         {"form": name, "link": None if ref is None else self.url(ref.href)},
                         f"办事指南提及的《{name}》" + ("未提供下载链接" if ref is None else "下载链接无法打开"))

    # ------------------------------------------------------------------
    def finish(self, extra_unverified: list[dict]) -> dict:
        t = self.truth
        t.unverified.extend(extra_unverified)
        t.portal.append({"rule": "error.broken_link", "target": self.url(TEMPLATE_BROKEN), "reason": "HTTP 404",
                         "note": "网站公共页脚链接（每个页面都有），属于网站整体问题，不计入任何单位"})
        return {
            "as_of": t.as_of.isoformat(), "cycle": [t.cycle_start.isoformat(), t.as_of.isoformat()],
            "base_url": t.base_url,
            "findings": sorted(t.findings, key=finding_key),
            "scores": {"no_review": scores(t, self.rb, lambda f: not f["needs_review"]),
                       "all_confirmed": scores(t, self.rb, lambda f: True)},
            "near_misses": sorted(t.near_misses, key=lambda n: (n["unit"], n["rule"], n["url"])),
            "unverified": t.unverified,
            "portal": t.portal,
        }


FAULT_REASONS = {
    "hang": "请求超时（服务器不响应）", "reset": "连接被重置", "loop": "重定向循环",
    "large": "页面过大（超过下载上限）",
}


def finding_key(f: dict) -> tuple:
    ev = f["evidence"]
    disc = ev.get("element") or ev.get("form") or ev.get("target") or ev.get("wrong") or ",".join(ev.get("missing", []))
    return (f["unit"], f["rule"], f["url"], str(disc))


def scores(t: Truth, rb, keep) -> list[dict]:
    by_unit: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in t.findings:
        if keep(f):
            by_unit[f["unit"]][f["rule"]] += f["points"]
    out = []
    for code, name in t.units:
        by_rule = dict(by_unit.get(code, {}))
        for rid, pts in list(by_rule.items()):
            rule = rb.rule(rid)
            cap = rule.get("monthly_cap") if pts > 0 else rule.cap
            if cap is not None:
                by_rule[rid] = min(pts, cap) if pts > 0 else max(pts, -cap)
        deductions = -sum(p for p in by_rule.values() if p < 0)
        bonuses = sum(p for p in by_rule.values() if p > 0)
        score = max(rb.floor, rb.base_score - deductions) + bonuses
        out.append({"as_of": t.as_of.isoformat(), "unit": code, "name": name, "deductions": deductions,
                    "bonuses": bonuses, "score": score, "by_rule": dict(sorted(by_rule.items()))})
    return out
