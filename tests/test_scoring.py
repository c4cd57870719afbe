import dataclasses
import datetime as dt

import pytest

from govwatch.facts import Finding
from govwatch.rulebook import load_rulebook
from govwatch.scoring import month_bonus_totals, quarter_scores, score_run, scores_to_json

D = dt.date
UNITS = [("0107", "区财政局"), ("0302", "某某镇")]


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


def finding(rulebook, rule_id, unit="0107", state="confirmed", n=0):
    rule = rulebook.rule(rule_id)
    return Finding(unit=unit, rule=rule_id, points=rule.points, needs_review=rule.needs_review,
                   url=f"http://s/{unit}/{rule_id}/{n}.html", column_url=None, message="", state=state)


def _score(scores, unit="0107"):
    return next(s for s in scores if s.unit == unit)


def test_score_run_subtracts_confirmed_deductions(rulebook):
    found = [finding(rulebook, "stale.news"), finding(rulebook, "error.broken_link", n=1),
             finding(rulebook, "error.broken_link", n=2)]
    s = _score(score_run(found, UNITS, rulebook))
    expected = -(rulebook.rule("stale.news").points + 2 * rulebook.rule("error.broken_link").points)
    assert (s.deductions, s.score, s.findings) == (expected, rulebook.base_score - expected, 3)
    assert s.by_rule == {"error.broken_link": 2 * rulebook.rule("error.broken_link").points,
                         "stale.news": rulebook.rule("stale.news").points}


def test_score_run_ignores_pending_and_dismissed(rulebook):
    found = [finding(rulebook, "error.typo", state="pending"), finding(rulebook, "stale.news", state="dismissed")]
    s = _score(score_run(found, UNITS, rulebook))
    assert (s.deductions, s.score, s.by_rule, s.findings, s.pending) == (0, rulebook.base_score, {}, 0, 1)


def test_score_run_unit_without_findings_scores_base(rulebook):
    s = _score(score_run([finding(rulebook, "stale.news")], UNITS, rulebook), "0302")
    assert (s.score, s.name) == (rulebook.base_score, "某某镇")


def test_score_run_floors_deductions_then_adds_bonuses(rulebook):
    many = [finding(rulebook, "blank.column", n=i) for i in range(15)]
    bonus = [finding(rulebook, "bonus.news", n=i) for i in range(3)]
    s = _score(score_run(many + bonus, UNITS, rulebook))
    assert s.score == rulebook.floor + 3 * rulebook.rule("bonus.news").points
    assert s.deductions == -15 * rulebook.rule("blank.column").points


def test_score_run_bonus_capped_per_month(rulebook):
    cap = rulebook.rule("bonus.news")["monthly_cap"]
    bonus = [finding(rulebook, "bonus.news", n=i) for i in range(cap + 3)]
    s = _score(score_run(bonus, UNITS, rulebook))
    assert (s.bonuses, s.by_rule["bonus.news"]) == (cap, cap)


def test_score_run_bonus_cap_carries_across_runs_of_a_month(rulebook):
    cap = rulebook.rule("bonus.news")["monthly_cap"]
    first = score_run([finding(rulebook, "bonus.news", n=i) for i in range(cap - 2)], UNITS, rulebook)
    prior = month_bonus_totals([(D(2026, 11, 6), first)])
    assert prior == {("0107", "bonus.news"): cap - 2}
    second = score_run([finding(rulebook, "bonus.news", n=i) for i in range(4)], UNITS, rulebook,
                       prior_month_bonus=prior, as_of=D(2026, 11, 13))
    assert _score(second).bonuses == 2
    third = score_run([finding(rulebook, "bonus.news", n=i) for i in range(4)], UNITS, rulebook,
                      prior_month_bonus=month_bonus_totals([(D(2026, 11, 6), first), (D(2026, 11, 13), second)]))
    assert (_score(third).bonuses, _score(third).by_rule["bonus.news"]) == (0, 0)


def test_score_run_bonus_caps_are_per_rule(rulebook):
    prior = {("0107", "bonus.news"): rulebook.rule("bonus.news")["monthly_cap"]}
    found = [finding(rulebook, "bonus.news"), finding(rulebook, "bonus.notice")]
    s = _score(score_run(found, UNITS, rulebook, prior_month_bonus=prior))
    assert s.by_rule == {"bonus.news": 0, "bonus.notice": rulebook.rule("bonus.notice").points}


def test_score_run_per_rule_cap_limits_a_deduction(rulebook):
    rules = dict(rulebook.rules)
    rules["error.broken_link"] = dataclasses.replace(rules["error.broken_link"], cap=3)
    capped = dataclasses.replace(rulebook, rules=rules)
    found = [finding(rulebook, "error.broken_link", n=i) for i in range(10)]
    s = _score(score_run(found, UNITS, capped))
    assert (s.deductions, s.by_rule["error.broken_link"], s.score) == (3, -3, capped.base_score - 3)


def test_score_run_ignores_units_not_configured(rulebook):
    scores = score_run([finding(rulebook, "stale.news", unit="0405")], UNITS, rulebook)
    assert [s.unit for s in scores] == ["0107", "0302"]
    assert {s.score for s in scores} == {rulebook.base_score}


def test_scores_to_json_matches_interfaces_section_4(rulebook):
    found = [finding(rulebook, "stale.news"), finding(rulebook, "bonus.news", n=1), finding(rulebook, "bonus.news", n=2)]
    rows = scores_to_json(12, D(2026, 11, 27), score_run(found, UNITS[:1], rulebook))
    points = rulebook.rule("stale.news").points
    assert rows == [{"run": 12, "as_of": "2026-11-27", "unit": "0107", "name": "区财政局", "deductions": -points,
                     "bonuses": 2, "score": rulebook.base_score + points + 2,
                     "by_rule": {"bonus.news": 2, "stale.news": points}}]


def test_quarter_scores_mean_skips_missing_runs(rulebook):
    runs = [D(2026, 10, 2), D(2026, 10, 9), D(2026, 10, 16)]
    weekly = [(runs[0], "0107", 90), (runs[1], "0107", 80), (runs[0], "0302", 70), (runs[1], "0302", 70),
              (runs[2], "0302", 100)]
    result = {q.unit: q for q in quarter_scores(weekly, runs)}
    assert (result["0107"].mean, result["0107"].weeks, result["0107"].missing) == (85.0, 2, [runs[2]])
    assert (result["0302"].mean, result["0302"].weeks, result["0302"].missing) == (80.0, 3, [])


def test_quarter_scores_rank_by_mean_with_ties(rulebook):
    day = D(2026, 10, 2)
    weekly = [(day, "0101", 90), (day, "0107", 95), (day, "0302", 90)]
    assert [(q.unit, q.rank) for q in quarter_scores(weekly)] == [("0107", 1), ("0101", 2), ("0302", 2)]


def test_quarter_scores_weeks_without_a_run_are_missing_not_100(rulebook):
    quarter = (D(2026, 10, 1), D(2026, 12, 31))
    runs = [D(2026, 10, 2), D(2026, 10, 16)]
    weekly = [(runs[0], "0107", 60), (runs[1], "0107", 80)]
    (q,) = quarter_scores(weekly, runs, quarter=quarter)
    assert q.mean == 70.0
    assert D(2026, 10, 5) in q.missing  # the week of 10-05 had no run
    assert D(2026, 9, 28) not in q.missing  # the week of the 10-02 run
