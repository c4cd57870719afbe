"""truth.json plants every automatic rule at least twice, each with a near miss."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from govwatch.rulebook import RULE_IDS, load_rulebook


def automatic_rules() -> list[str]:
    rb = load_rulebook()
    return [rid for rid in RULE_IDS if not rb.rule(rid).manual]


def test_truth_covers_every_automatic_rule_twice_with_a_near_miss(sample_site):
    positives = Counter(f["rule"] for f in sample_site.truth["findings"])
    near = Counter(n["rule"] for n in sample_site.truth["near_misses"])
    thin = {rid: (positives[rid], near[rid]) for rid in automatic_rules() if positives[rid] < 2 or near[rid] < 1}
    assert thin == {}


def test_truth_has_no_manual_rule_findings(sample_site):
    manual = set(RULE_IDS) - set(automatic_rules())
    assert [f for f in sample_site.truth["findings"] if f["rule"] in manual] == []


def test_truth_near_misses_are_never_findings(sample_site):
    fired = {(f["rule"], f["url"]) for f in sample_site.truth["findings"] if f["rule"] != "error.broken_link"}
    clashes = [n for n in sample_site.truth["near_misses"] if (n["rule"], n["url"]) in fired]
    assert clashes == []


def weekdays_between(d1: dt.date, d2: dt.date) -> int:
    return sum(1 for k in range(1, (d2 - d1).days + 1) if (d1 + dt.timedelta(days=k)).weekday() < 5)


def test_truth_plants_holiday_calendar_twins_at_anchor(sample_site):
    """At this anchor a 调休 Saturday makes one document late, and a holiday excuses another."""
    docs = [f["evidence"] for f in sample_site.truth["findings"] if f["rule"] == "timeliness.document" and f["evidence"].get("signed")]
    by_tiaoxiu = [e for e in docs if weekdays_between(dt.date.fromisoformat(e["signed"]), dt.date.fromisoformat(e["published"])) <= 20]
    assert len(by_tiaoxiu) >= 1
    near = [n for n in sample_site.truth["near_misses"] if n["rule"] == "timeliness.document" and "法定节假日" in n["reason"]]
    assert len(near) >= 1


def test_scores_rank_clean_units_and_a_failing_one(sample_site):
    scores = {s["unit"]: s["score"] for s in sample_site.truth["scores"]["no_review"]}
    assert len(scores) == 41
    assert sum(1 for v in scores.values() if v == 100) >= 10
    assert min(scores.values()) < 60


def test_bonus_over_monthly_cap_is_clipped_in_scores(sample_site):
    rb = load_rulebook()
    cap = rb.rule("bonus.news")["monthly_cap"]
    raw = Counter(f["unit"] for f in sample_site.truth["findings"] if f["rule"] == "bonus.news")
    over = [u for u, n in raw.items() if n > cap]
    assert over
    by_unit = {s["unit"]: s for s in sample_site.truth["scores"]["all_confirmed"]}
    assert {by_unit[u]["by_rule"]["bonus.news"] for u in over} == {cap}


def test_truth_accepts_header_written_date_as_signature_date(sample_site):
    """INDICATORS.md reading 4: a policy/notice page whose only 落款 date is the header's 成文日期 is not nonstandard."""
    from tests.samplesite import recompute as R

    near = [n for n in sample_site.truth["near_misses"] if n["rule"] == "error.nonstandard" and "成文日期" in n["reason"]]
    assert len(near) == 1
    page = R.fetch(near[0]["url"])
    assert page.status == 200
    facts = R.article_facts(R.doc_of(page), None)
    # the planted case really is header-only: no date in the body's 落款, a 成文日期 in the table
    assert (facts["sign_date"], facts["written"] is not None, facts["organ"] is not None) == (None, True, True)
    fired = [f for f in sample_site.truth["findings"] if f["url"] == near[0]["url"]]
    assert fired == []
