import datetime as dt

from govwatch import facts as F
from govwatch.checks import run_checks

from tests.checks.conftest import AS_OF, D, article, column, findings_of, item, page, run_facts

CYCLE_START = AS_OF - dt.timedelta(days=7)


def _bonus(rulebook, columns, pages=()):
    return findings_of(run_checks(run_facts(columns=columns, pages=pages, cycle_start=CYCLE_START), rulebook),
                       "bonus.news")


def _news(n, *, start=1, unit="0107", url=None, status=F.OK):
    items = [item(f"http://a/{unit}/{i}.html", AS_OF - dt.timedelta(days=i % 7)) for i in range(start, start + n)]
    return column("工作动态", unit=unit, url=url, status=status, items=items)


def test_bonus_news_exactly_min_items_earns_one_point_each(rulebook):
    rule = rulebook.rule("bonus.news")
    found = _bonus(rulebook, [_news(rule["min_items"])])
    assert [(f.points, f.state) for f in found] == [(rule.points, "confirmed")] * rule["min_items"]
    assert sorted(f.url for f in found) == [f.url for f in found]


def test_bonus_news_one_fewer_than_min_items_earns_nothing(rulebook):
    rule = rulebook.rule("bonus.news")
    assert _bonus(rulebook, [_news(rule["min_items"] - 1)]) == []


def test_bonus_cycle_is_exclusive_at_start_and_inclusive_at_as_of(rulebook):
    col = column("工作动态", items=[item("http://a/1.html", CYCLE_START), item("http://a/2.html", AS_OF),
                                  item("http://a/3.html", CYCLE_START + dt.timedelta(days=1))])
    assert [f.url for f in _bonus(rulebook, [col])] == ["http://a/2.html", "http://a/3.html"]


def test_bonus_item_listed_in_two_columns_counts_once(rulebook):
    shared = item("http://a/1.html", AS_OF)
    one = column("工作动态", url="http://x/gzdt/", items=[shared])
    two = column("部门动态", url="http://x/bmdt/", items=[shared])
    assert _bonus(rulebook, [one, two]) == []


def test_bonus_uses_the_article_publish_date_over_the_list_date(rulebook):
    col = column("工作动态", items=[item("http://a/1.html", AS_OF), item("http://a/2.html", AS_OF)])
    # The article page says it was published long before the cycle: it is not this cycle's item.
    old = page(article("http://a/1.html", published=D(2026, 1, 5)), column=col)
    assert _bonus(rulebook, [col], [old]) == []


def test_bonus_counts_per_unit(rulebook):
    found = _bonus(rulebook, [_news(1, unit="0107"), _news(1, unit="0302")])
    assert found == []


def test_bonus_unverified_column_earns_nothing(rulebook):
    assert _bonus(rulebook, [_news(3, status=F.UNVERIFIED)]) == []


def test_bonus_finding_names_item_and_column(rulebook):
    col = _news(2)
    found = _bonus(rulebook, [col])
    assert [(f.url, f.column_url, f.evidence["date"]) for f in found] == [
        (i.url, col.url, i.date.isoformat()) for i in sorted(col.items, key=lambda i: i.url)]


def test_bonus_notice_counts_notice_columns_only(rulebook):
    notices = column("通知公告", category="notice", items=[item("http://n/1.html", AS_OF), item("http://n/2.html", AS_OF)])
    found = run_checks(run_facts(columns=[notices], cycle_start=CYCLE_START), rulebook)
    assert [f.rule for f in found] == ["bonus.notice", "bonus.notice"]
