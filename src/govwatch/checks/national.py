"""National early-warning indicators (INDICATORS.md "Also checked"): reported, never scored.

Only the ones computable from one run's facts: blank, stale and should-update
columns, questions unanswered for months, guides missing elements, article
meta tags. Each warning is {id, title, level ok|warning|veto, count, details}.
Thresholds come from the rulebook's [national] tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from govwatch.facts import OK, ArticleFacts, GuideFacts, QuestionFacts, RunFacts, as_date
from govwatch.lib.dates import add_months
from govwatch.rulebook import Rulebook

from .stale import is_blank, newest_item_date, staleness_for

# Keep stored run reports small on a 200,000-page portal: details list examples, `count` is exact.
MAX_DETAILS = 50


def level_for(count: int, conf: Mapping[str, Any]) -> str:
    veto, warning = conf.get("veto"), conf.get("warning")
    if veto is not None and count >= veto:
        return "veto"
    if warning is not None and count >= warning:
        return "warning"
    return "ok"


def _warning(wid: str, conf: Mapping[str, Any], count: int, details: list, **tallies) -> dict:
    """One check's measurement over some facts; `finish` turns merged measurements into the warning."""
    return {"id": wid, "title": conf.get("title", wid), "count": count, "details": details[:MAX_DETAILS],
            "tallies": tallies}


def _verified_columns(facts: RunFacts):
    return sorted((c for c in facts.columns if c.status == OK), key=lambda c: c.url)


def blank_columns(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    rule = rulebook.rules["blank.column"]
    details = [{"url": c.url, "name": c.name, "unit": c.unit} for c in _verified_columns(facts) if is_blank(c, rule)]
    return _warning("national.blank_columns", conf, len(details), details)


def stale_columns(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    news_days = conf.get("news_max_age_days")
    months = conf.get("first_level_max_age_months")
    details = []
    for c in _verified_columns(facts):
        newest = newest_item_date(c)
        if newest is None:
            continue
        if c.category == "news" and news_days is not None and (facts.as_of - newest).days > news_days:
            details.append({"url": c.url, "name": c.name, "unit": c.unit, "newest_item_date": newest.isoformat()})
        # We cannot tell first-level columns from deeper ones, so every notice/policy column is judged.
        elif c.category in ("notice", "policy") and months is not None and facts.as_of > add_months(newest, months):
            details.append({"url": c.url, "name": c.name, "unit": c.unit, "newest_item_date": newest.isoformat()})
    return _warning("national.stale_columns", conf, len(details), details)


def expected_columns(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    details = []
    for c in _verified_columns(facts):
        if not (c.expected or c.key_area):
            continue
        staleness = staleness_for(c, rulebook)
        newest = newest_item_date(c)
        if staleness is None or staleness.expected is None or newest is None:
            continue
        if staleness.is_stale(newest, facts.as_of):
            details.append({"url": c.url, "name": c.name, "unit": c.unit, "newest_item_date": newest.isoformat()})
    return _warning("national.expected_columns", conf, len(details), details)


def consult_3_months(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    months = conf.get("max_age_months")
    details = []
    year_ago = add_months(facts.as_of, -12)
    for page in sorted(facts.pages, key=lambda p: p.url):
        if page.status != OK or not isinstance(page.facts, QuestionFacts) or months is None:
            continue
        asked = as_date(page.facts.asked_at)
        answered = as_date(page.facts.answered_at)
        if asked is None or asked < year_ago or (answered is not None and answered <= facts.as_of):
            continue
        if facts.as_of > add_months(asked, months):
            details.append({"url": page.url, "unit": page.unit, "asked": asked.isoformat()})
    return _warning("national.consult_3_months", conf, len(details), details)


def guide_elements(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    elements = dict(rulebook.rules["guide.missing_element"]["elements"])
    guides = [p for p in sorted(facts.pages, key=lambda p: p.url) if p.status == OK and isinstance(p.facts, GuideFacts)]
    details = []
    missing_total = 0
    for page in guides:
        present = {name for name, syn in elements.items() if name in page.facts.elements
                   or any(s in page.facts.elements for s in syn)}
        missing = [name for name in elements if name not in present]
        missing_total += len(missing)
        if missing:
            details.append({"url": page.url, "unit": page.unit, "missing": missing})
    return _warning("national.guide_elements", conf, len(details), details, missing=missing_total,
                    expected=len(guides) * len(elements))


def meta_tags(facts: RunFacts, rulebook: Rulebook, conf) -> dict:
    required = list(conf.get("required", ()))
    details = []
    for page in sorted(facts.pages, key=lambda p: p.url):
        if page.status != OK or not isinstance(page.facts, ArticleFacts):
            continue
        missing = [tag for tag in required if not (page.facts.meta or {}).get(tag)]
        if missing:
            details.append({"url": page.url, "unit": page.unit, "missing": missing})
    return _warning("national.meta_tags", conf, len(details), details)


NATIONAL_CHECKS = {
    "national.blank_columns": blank_columns,
    "national.stale_columns": stale_columns,
    "national.expected_columns": expected_columns,
    "national.consult_3_months": consult_3_months,
    "national.guide_elements": guide_elements,
    "national.meta_tags": meta_tags,
}


def _level(wid: str, conf: Mapping[str, Any], count: int, tallies: Mapping[str, int]) -> tuple[str, dict]:
    """The warning level of a whole run's measurement, and any extra figures to report."""
    if wid == "national.consult_3_months" and not ("warning" in conf or "veto" in conf):
        # "Any" such question trips the national check, unless the rulebook sets explicit levels.
        return ("veto" if count else "ok"), {}
    if wid == "national.guide_elements":
        share = tallies.get("missing", 0) / tallies["expected"] if tallies.get("expected") else 0.0
        limit = conf.get("max_missing_share")
        return ("warning" if limit is not None and share > limit else "ok"), {"missing_share": round(share, 4)}
    if wid == "national.meta_tags":
        return ("warning" if count else "ok"), {}
    return level_for(count, conf), {}


class NationalWarnings:
    """Measures the national indicators over a run's facts given in parts (one unit at a time),
    then judges the totals: a level depends on the whole portal's count, never on one part's."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        self._merged: dict[str, dict] = {}

    def add(self, facts: RunFacts) -> None:
        for wid, conf in self.rulebook.national.items():
            if wid not in NATIONAL_CHECKS:
                continue
            part = NATIONAL_CHECKS[wid](facts, self.rulebook, conf)
            merged = self._merged.get(wid)
            if merged is None:
                self._merged[wid] = part
                continue
            merged["count"] += part["count"]
            # Each part lists its first examples by URL, so the merged first examples are among them.
            merged["details"] = sorted(merged["details"] + part["details"], key=lambda d: d["url"])[:MAX_DETAILS]
            for key, value in part["tallies"].items():
                merged["tallies"][key] = merged["tallies"].get(key, 0) + value

    def result(self) -> list[dict]:
        """The computable national indicators the rulebook names, in the rulebook's order."""
        out = []
        for wid, conf in self.rulebook.national.items():
            if wid not in NATIONAL_CHECKS:
                continue
            merged = self._merged.get(wid) or NATIONAL_CHECKS[wid](_EMPTY_FACTS, self.rulebook, conf)
            level, extra = _level(wid, conf, merged["count"], merged["tallies"])
            out.append({"id": wid, "title": merged["title"], "level": level, "count": merged["count"],
                        "details": merged["details"], **extra})
        return out


# A run with nothing in it: what a check measures when no part was added.
_EMPTY_FACTS = RunFacts(as_of=dt.date(2000, 1, 1), cycle_start=dt.date(2000, 1, 1), columns=[], pages=[], links=[],
                        crawled_pages=0)


def national_warnings(facts: RunFacts, rulebook: Rulebook) -> list[dict]:
    """The computable national indicators the rulebook names, in the rulebook's order."""
    acc = NationalWarnings(rulebook)
    acc.add(facts)
    return acc.result()
