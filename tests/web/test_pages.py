"""What the read pages show, and that their query counts do not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.monitoring.models import Finding, Score
from tests.web.factories import make_run

pytestmark = pytest.mark.django_db


def test_overview_ranking_orders_by_score(client_for, world):
    response = client_for("leader").get("/")
    rows = response.context["ov"].rows
    assert len(rows) == 41
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    assert rows[0].rank == 1


def test_overview_change_since_last_run(client_for, world):
    previous, latest = world["runs"]
    rows = client_for("leader").get("/").context["ov"].rows
    row = next(r for r in rows if r.unit.code == "0107")
    before = Score.objects.get(run=previous, unit__code="0107").score
    after = Score.objects.get(run=latest, unit__code="0107").score
    assert row.change == after - before


def test_overview_deductions_by_indicator_sum_to_score(client_for, world):
    rows = client_for("leader").get("/").context["ov"].rows
    assert len(rows) == 41  # every unit of 附件1 has a row
    for row in rows:
        net = sum(v or 0 for v in row.indicators)
        assert net == row.bonuses - row.deductions


def test_overview_shows_run_status_and_national_warning(client_for, world):
    body = client_for("office").get("/").content.decode()
    assert "已完成" in body
    assert "空白栏目过多" in body
    assert "未核实栏目" in body


def test_overview_without_runs_says_so(client_for, db, users, django_user_model):
    from govwatch.monitoring.models import Run

    Run.objects.all().delete()
    body = client_for("leader").get("/").content.decode()
    assert "暂无得分" in body or "还没有" in body


def test_unit_page_indicator_breakdown_matches_score(client_for, world):
    page = client_for("leader").get("/units/0107/").context["page"]
    score = Score.objects.get(run=world["run"], unit__code="0107")
    assert sum(ind["points"] for ind in page.indicators) == score.bonuses - score.deductions
    names = [ind["name"] for ind in page.indicators]
    assert names[:2] == ["动态要闻类栏目", "通知公告类栏目"]
    assert "错误率" in names


def test_unit_page_filters_by_rule_state_and_column(client_for, world):
    c = client_for("leader")
    typos = c.get("/units/0107/?rule=error.typo").context["findings"]
    assert {f.rule for f in typos} == {"error.typo"}
    pending = c.get("/units/0107/?state=pending").context["findings"]
    assert {f.state for f in pending} == {"pending"}
    column = "http://www.junshan.test/czj/gzdt/"
    by_column = c.get("/units/0107/", {"column": column}).context["findings"]
    assert len(by_column) > 0
    assert {f.column_url for f in by_column} == {column}


def test_unit_page_links_live_page_and_archive(client_for, world):
    finding = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    body = client_for("leader").get("/units/0107/").content.decode()
    assert f'href="{finding.url}"' in body
    assert f"/evidence/{finding.pk}/" in body


def test_unit_page_older_run_selectable(client_for, world):
    previous = world["runs"][0]
    page = client_for("leader").get(f"/units/0107/?run={previous.pk}").context["page"]
    assert page.run == previous


def test_finding_page_shows_evidence_iframe_and_history(client_for, world, users):
    from govwatch.monitoring.review import review_finding

    finding = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    review_finding(finding, to_state="confirmed", actor=users["reviewer"], reason="确属错别字")
    body = client_for("unit0107").get(f"/findings/{finding.pk}/").content.decode()
    assert '<iframe class="evidence" sandbox src=' in body
    assert "allow-scripts" not in body
    assert "确属错别字" in body
    assert "待复核 → 已确认" in body


def test_ranking_page_query_count_is_bounded(client_for, world, django_assert_max_num_queries):
    c = client_for("leader")
    with django_assert_max_num_queries(12):
        assert c.get("/").status_code == 200


def test_ranking_page_query_count_does_not_grow_with_runs(client_for, world, django_assert_max_num_queries):
    units = list(world["units"].values())
    for i in range(1, 4):
        make_run(world["site"], world["run"].as_of + dt.timedelta(days=7 * i), units, seed=10 + i, special=False)
    c = client_for("unit0107")
    with django_assert_max_num_queries(12):
        assert c.get("/").status_code == 200


def test_unit_page_query_count_is_bounded(client_for, world, django_assert_max_num_queries):
    c = client_for("leader")
    with django_assert_max_num_queries(12):
        assert c.get("/units/0107/").status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get("/units/0107/?rule=error.typo&state=pending").status_code == 200


def test_finding_page_query_count_is_bounded(client_for, world, django_assert_max_num_queries):
    finding = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    c = client_for("unit0107")
    with django_assert_max_num_queries(14):
        assert c.get(f"/findings/{finding.pk}/").status_code == 200


def test_favicon_is_served_not_a_404(client_for, world):
    page = client_for("office").get("/")
    assert 'rel="icon"' in page.content.decode()
    r = client_for(None).get("/favicon.ico")
    assert (r.status_code, r.headers["Location"]) == (301, "/static/web/favicon.svg")


def test_unit_page_column_filter_lists_column_names_not_addresses(client_for, world):
    from govwatch.catalog.models import Column

    unit = world["units"]["0107"]
    url = Finding.objects.filter(run=world["run"], unit=unit).exclude(column_url="").values_list("column_url", flat=True)[0]
    Column.objects.create(site=world["site"], url=url, name="工作动态", unit=unit, category="news")
    form = client_for("office").get("/units/0107/").context["filters"]
    choices = dict(form.fields["column"].choices)
    assert choices[url] == "工作动态"
