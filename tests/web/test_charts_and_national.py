"""Server-rendered SVG charts and the national early-warning list."""

from __future__ import annotations

from govwatch.rulebook import load_rulebook
from govwatch.web.charts import sparkline, trend_chart
from govwatch.web.queries import national_rows


def test_trend_chart_draws_one_point_per_run():
    svg = str(trend_chart(["11-13", "11-20", "11-27"], [("平均得分", [90.0, None, 95.5])]))
    assert svg.startswith("<svg")
    assert svg.count("<circle") == 2
    assert "11-27：95.5" in svg
    assert "<script" not in svg


def test_trend_chart_needs_two_runs():
    assert "两次以上" in str(trend_chart(["11-27"], [("平均得分", [95.0])]))


def test_trend_chart_axis_uses_round_ticks():
    svg = str(trend_chart(["a", "b"], [("x", [72.0, 96.0])]))
    for tick in (">60<", ">80<", ">100<"):
        assert tick in svg


def test_trend_chart_escapes_labels():
    svg = str(trend_chart(["<b>", "x"], [("<script>", [1.0, 2.0])]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_sparkline_empty_with_one_value():
    assert "<polyline" not in str(sparkline([90]))
    assert "<polyline" in str(sparkline([90, 95]))


class _Run:
    national = [
        {"id": "national.expected_columns", "title": "应更新栏目未更新", "level": "ok", "count": 4, "details": []},
        {"id": "national.blank_columns", "title": "空白栏目过多", "level": "veto", "count": 6,
         "details": [{"url": "http://x/zdxm/", "name": "重大项目", "unit": "0114"}]},
        {"id": "national.stale_columns", "level": "warning", "count": 3},
    ]


def test_national_rows_order_veto_first_and_titles_from_rulebook():
    rows = national_rows(_Run(), load_rulebook())
    assert [r["id"] for r in rows] == ["national.blank_columns", "national.stale_columns", "national.expected_columns"]
    assert rows[0]["level"] == "否决"
    assert rows[0]["details"] == ["0114 重大项目 http://x/zdxm/"]
    assert rows[1]["title"] == "栏目不更新"
    assert rows[2]["ok"] is True
