"""Chinese dates for documents, and the quarter aggregation (missing weeks are never 100)."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.reports.aggregate import competition_rank, quarter_scores
from govwatch.reports.cn import cn_date, quarter_name, quarter_of

D1, D2, D3 = dt.date(2026, 10, 2), dt.date(2026, 10, 9), dt.date(2026, 10, 16)


@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 11, 27), "二〇二六年十一月二十七日"),
    (dt.date(2026, 10, 10), "二〇二六年十月十日"),
    (dt.date(2030, 1, 1), "二〇三〇年一月一日"),
    (dt.date(2017, 9, 28), "二〇一七年九月二十八日"),
    (dt.date(2026, 12, 31), "二〇二六年十二月三十一日"),
    (dt.date(2026, 2, 20), "二〇二六年二月二十日"),
])
def test_cn_date_writes_official_chinese_numerals(day, text):
    assert cn_date(day) == text


def test_quarter_names_and_quarter_of_a_date():
    assert quarter_name(2026, 4) == "2026年第四季度"
    assert quarter_of(dt.date(2026, 11, 27)) == "2026Q4"
    assert quarter_of(dt.date(2026, 3, 31)) == "2026Q1"


def test_quarter_scores_missing_week_is_not_counted_as_100():
    weekly = [(D1, "0101", 80), (D2, "0101", 90), (D3, "0101", 70),
              (D1, "0405", 70), (D3, "0405", 80)]  # 0405 has no score on D2
    rows = {r.unit: r for r in quarter_scores(weekly, [D1, D2, D3])}
    assert rows["0405"].mean == 75.0
    assert rows["0405"].weeks == 2
    assert rows["0405"].missing == (D2,)
    assert rows["0101"].mean == 80.0
    assert rows["0101"].missing == ()


def test_quarter_scores_equal_means_share_a_rank():
    weekly = [(D1, "a", 90), (D1, "b", 95), (D1, "c", 95), (D1, "d", 80)]
    rows = {r.unit: r.rank for r in quarter_scores(weekly, [D1])}
    assert rows == {"b": 1, "c": 1, "a": 3, "d": 4}


def test_quarter_scores_mean_is_rounded_to_two_decimals():
    weekly = [(D1, "a", 100), (D2, "a", 100), (D3, "a", 99)]
    assert quarter_scores(weekly, [D1, D2, D3])[0].mean == 99.67


def test_competition_rank_orders_best_first():
    assert competition_rank([("x", 1.0), ("y", 3.0), ("z", 3.0)]) == {"y": 1, "z": 1, "x": 3}


def test_quarter_scores_period_counts_weeks_without_a_run_as_missing():
    weekly = [(D1, "0101", 80), (D3, "0101", 90)]
    (row,) = quarter_scores(weekly, [D1, D3], period=(dt.date(2026, 10, 1), dt.date(2026, 10, 18)))
    assert row.mean == 85.0
    assert row.missing == (dt.date(2026, 10, 5),)  # the Monday of D2's week, in which nothing ran
