import datetime as dt

from govwatch import facts as F
from govwatch.checks import run_checks

from tests.checks.conftest import AS_OF, D, column, findings_of, item, run_facts


def _stale(rulebook, col, as_of=AS_OF):
    return [f for f in run_checks(run_facts(columns=[col], as_of=as_of), rulebook)
            if f.rule.startswith("stale.")]


def test_stale_news_eleven_days_old_is_stale(rulebook):
    col = column("工作动态", items=[item("http://a/1.html", AS_OF - dt.timedelta(days=11))])
    found = _stale(rulebook, col)
    assert [(f.rule, f.points, f.state) for f in found] == [("stale.news", rulebook.rule("stale.news").points, "confirmed")]
    assert found[0].evidence["days"] == 11
    assert found[0].evidence["newest_item_date"] == "2026-11-16"
    assert found[0].message == "动态要闻类栏目“工作动态”超过10天未更新（最新信息 2026-11-16，已 11 天）"


def test_stale_news_ten_days_old_is_fine(rulebook):
    col = column("工作动态", items=[item("http://a/1.html", AS_OF - dt.timedelta(days=10))])
    assert _stale(rulebook, col) == []


def test_stale_news_uses_the_newest_dated_item_and_ignores_undated(rulebook):
    col = column("工作动态", items=[item("http://a/1.html", D(2026, 10, 1)), item("http://a/2.html", None),
                                  item("http://a/3.html", D(2026, 11, 20))])
    assert _stale(rulebook, col) == []


def test_stale_notice_exactly_five_months_is_fine(rulebook):
    col = column("通知公告", category="notice", items=[item("http://a/1.html", D(2026, 6, 27))])
    assert _stale(rulebook, col) == []


def test_stale_notice_five_months_and_a_day_is_stale(rulebook):
    col = column("通知公告", category="notice", items=[item("http://a/1.html", D(2026, 6, 26))])
    assert [f.rule for f in _stale(rulebook, col)] == ["stale.notice"]


def test_stale_policy_month_end_clamps(rulebook):
    # 2026-09-30 + 5 months clamps to 2027-02-28: stale on 2027-03-01, not on 2027-02-28.
    col = column("政策文件", category="policy", items=[item("http://a/1.html", D(2026, 9, 30))])
    assert _stale(rulebook, col, as_of=D(2027, 2, 28)) == []
    assert [f.rule for f in _stale(rulebook, col, as_of=D(2027, 3, 1))] == ["stale.policy"]


def test_stale_personnel_ten_months_boundary(rulebook):
    col = column("人事任免", category="personnel", items=[item("http://a/1.html", D(2026, 1, 27))])
    assert _stale(rulebook, col) == []
    col = column("人事任免", category="personnel", items=[item("http://a/1.html", D(2026, 1, 26))])
    assert [f.rule for f in _stale(rulebook, col)] == ["stale.personnel"]


def test_stale_profile_column_is_never_stale(rulebook):
    col = column("机构职能", category="profile", key_area=True, expected="yearly",
                 items=[item("http://a/1.html", D(2019, 1, 1))])
    assert _stale(rulebook, col) == []


def test_stale_category_rule_wins_over_key_area_and_expected(rulebook):
    col = column("教育动态", category="news", key_area=True, expected="yearly",
                 items=[item("http://a/1.html", D(2024, 1, 1))])
    assert [f.rule for f in _stale(rulebook, col)] == ["stale.news"]


def test_stale_key_area_uses_default_yearly_period_plus_grace(rulebook):
    exp = rulebook.expected[rulebook.key_area_default_expected]
    newest = D(2025, 9, 1)
    deadline = D(2026, 9, 1) + dt.timedelta(days=exp.grace_days)
    col = column("精准扶贫", category="other", key_area=True, items=[item("http://a/1.html", newest)])
    assert _stale(rulebook, col, as_of=deadline) == []
    found = _stale(rulebook, col, as_of=deadline + dt.timedelta(days=1))
    assert [(f.rule, f.state, f.needs_review) for f in found] == [("stale.key_area", "pending", True)]


def test_stale_key_area_uses_the_columns_own_frequency(rulebook):
    exp = rulebook.expected["quarterly"]
    col = column("财政预决算季度报告", category="finance", key_area=True, expected="quarterly",
                 items=[item("http://a/1.html", D(2026, 6, 1))])
    as_of = D(2026, 9, 1) + dt.timedelta(days=exp.grace_days + 1)
    assert [f.rule for f in _stale(rulebook, col, as_of=as_of)] == ["stale.key_area"]


def test_stale_expected_monthly_grace_boundary(rulebook):
    grace = rulebook.expected["monthly"].grace_days
    col = column("统计月报", category="statistics", expected="monthly", items=[item("http://a/1.html", D(2026, 8, 31))])
    # 2026-08-31 + 1 month clamps to 2026-09-30, then the grace days.
    last_fine = D(2026, 9, 30) + dt.timedelta(days=grace)
    assert _stale(rulebook, col, as_of=last_fine) == []
    found = _stale(rulebook, col, as_of=last_fine + dt.timedelta(days=1))
    assert [(f.rule, f.state) for f in found] == [("stale.expected", "pending")]


def test_stale_other_column_without_frequency_is_never_stale(rulebook):
    col = column("其他栏目", category="other", items=[item("http://a/1.html", D(2019, 1, 1))])
    assert _stale(rulebook, col) == []


def test_stale_unverified_column_produces_nothing(rulebook):
    col = column("工作动态", status=F.UNVERIFIED, items=[item("http://a/1.html", D(2025, 1, 1))])
    assert run_checks(run_facts(columns=[col]), rulebook) == []


def test_stale_unattributed_column_produces_nothing(rulebook):
    col = column("工作动态", unit=None, items=[item("http://a/1.html", D(2025, 1, 1))])
    assert run_checks(run_facts(columns=[col]), rulebook) == []


def test_stale_finding_points_at_column_and_carries_warc(rulebook):
    col = column("工作动态", warc="run-1/000001.warc.gz#offset=5", items=[item("http://a/1.html", D(2026, 1, 1))])
    (found,) = _stale(rulebook, col)
    assert (found.url, found.column_url, found.unit) == (col.url, col.url, "0107")
    assert found.evidence["warc"] == "run-1/000001.warc.gz#offset=5"
    assert found.evidence["category"] == "news"


def test_blank_column_with_placeholder_only(rulebook):
    col = column("通知公告", category="notice", placeholder="暂无信息", items=[])
    found = run_checks(run_facts(columns=[col]), rulebook)
    assert [(f.rule, f.points) for f in found] == [("blank.column", rulebook.rule("blank.column").points)]
    assert "暂无信息" in found[0].message


def test_blank_column_placeholder_row_parsed_as_item_is_blank_and_not_stale(rulebook):
    col = column("通知公告", category="notice", items=[item("", None, title="暂无信息！")])
    assert [f.rule for f in run_checks(run_facts(columns=[col]), rulebook)] == ["blank.column"]


def test_blank_column_with_one_item_is_not_blank(rulebook):
    col = column("通知公告", category="notice", items=[item("http://a/1.html", AS_OF - dt.timedelta(days=30))])
    assert findings_of(run_checks(run_facts(columns=[col]), rulebook), "blank.column") == []


def test_blank_unverified_column_is_not_blank(rulebook):
    col = column("通知公告", category="notice", status=F.UNVERIFIED, items=[])
    assert run_checks(run_facts(columns=[col]), rulebook) == []


def test_blank_profile_column_can_be_blank(rulebook):
    col = column("机构职能", category="profile", items=[])
    assert [f.rule for f in run_checks(run_facts(columns=[col]), rulebook)] == ["blank.column"]
