"""truth.json agrees with an independent crawl of the served portal (tests/samplesite/recompute.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tests.samplesite import recompute as R


def truth_keys(truth: dict) -> Counter:
    keys = Counter()
    for f in truth["findings"]:
        ev = f["evidence"]
        disc = ev.get("element") or ev.get("form") or ev.get("target") or ev.get("wrong") or ",".join(ev.get("missing", []))
        keys[(f["unit"], f["rule"], f["url"], disc, f["points"], f["needs_review"])] += 1
    return keys


def check_against_recompute(served):
    truth = served.truth
    first_run = truth["anchor"] == truth["as_of"]
    got = R.recompute(served.path / "site.toml", dt.date.fromisoformat(truth["as_of"]), first_run=first_run)
    expected = truth_keys(truth)
    recomputed = Counter(got["findings"])
    assert sorted(expected - recomputed) == [] and sorted(recomputed - expected) == []
    for variant, keep in (("no_review", lambda review: not review), ("all_confirmed", lambda review: True)):
        mine = R.scores(got["findings"], got["units"], got["rulebook"], keep)
        theirs = {s["unit"]: s["score"] for s in truth["scores"][variant]}
        assert mine == theirs, variant
    assert sorted(p["target"] for p in truth["portal"]) == sorted(got["portal"])
    unverified = {u["url"] for u in truth["unverified"] if u["kind"] != "trap"}
    assert unverified == set(got["unverified"])


def test_truth_matches_independent_crawl_at_anchor(sample_site):
    check_against_recompute(sample_site)


def test_truth_matches_independent_crawl_week_later(sample_site_week_later):
    check_against_recompute(sample_site_week_later)
