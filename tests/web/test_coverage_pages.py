"""Coverage on the dashboard: a unit we could not read is listed apart, never ranked or shown with a score;
the column management page is the inventory (how read, confidence) and records who confirmed a column."""

from __future__ import annotations

import pytest

from govwatch.catalog.models import Column
from govwatch.checks.coverage import unit_coverage
from govwatch.monitoring.scores import recompute_scores
from govwatch.rulebook import load_rulebook

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_0302(world):
    """The latest run could read nothing of 0302."""
    rulebook = load_rulebook()
    run = world["run"]
    lost = unit_coverage("0302", ["http://www.junshan.test/gaj/"], (), (), [], rulebook)
    run.coverage = {"0302": lost.to_json(), "0107": {"sections": 1, "sections_reached": 1, "columns": 9,
                                                      "columns_read": 8, "pages_unverified": 1, "monitored": True}}
    run.save(update_fields=["coverage"])
    recompute_scores(run, actor_label="test", reason="coverage", rulebook=rulebook)
    return run


def test_overview_lists_unmonitored_unit_apart_and_never_ranks_it(client_for, lost_0302):
    body = client_for("leader").get("/").content.decode()
    ranking, _, rest = body.partition('id="not-monitored"')
    assert rest.count("公安分局") == 1
    assert "未能有效监测的单位（不评分、不排名）" in body
    assert "在该单位的栏目入口下未发现任何栏目列表" in rest
    assert "/units/0302/" not in ranking
    assert "8/9" in ranking  # 0107's columns read / found


def test_unit_page_of_unmonitored_unit_says_so_instead_of_a_score(client_for, lost_0302):
    body = client_for("unit0302").get("/units/0302/").content.decode()
    assert "本次未能有效监测：不评分、不排名" in body
    assert '<div class="v score">未能有效监测</div>' in body
    assert "[[columns]]" in body


def test_unit_admin_of_another_unit_does_not_see_the_unmonitored_unit(client_for, lost_0302):
    body = client_for("unit0107").get("/").content.decode()
    assert 'id="not-monitored"' not in body


def test_manage_columns_shows_how_read_and_confidence_and_records_confirmation(client_for, world):
    col = Column.objects.create(site=world["site"], url="http://www.junshan.test/czj/zcwj/", name="政策文件",
                                unit=world["units"]["0107"], category="policy", read_via="script_records",
                                list_confidence=0.42, category_confidence=0.9, unit_confidence=1.0, item_count=17,
                                status="ok")
    c = client_for("office")
    body = c.get("/manage/columns/?todo=1").content.decode()
    assert "脚本内嵌数据" in body and "0.42 / 0.90 / 1.00" in body and "17 条" in body and "待确认" in body
    r = c.post("/manage/columns/", {"column": col.pk, "unit": world["units"]["0107"].pk, "category": "policy",
                                    "expected": ""})
    assert r.status_code == 302
    col.refresh_from_db()
    assert (col.pinned, col.confirmed_by) == (True, "office")
    assert "czj/zcwj/" not in c.get("/manage/columns/?todo=1").content.decode()


def test_unit_page_of_monitored_unit_shows_its_coverage_and_score(client_for, lost_0302):
    body = client_for("unit0107").get("/units/0107/").content.decode()
    assert "栏目入口 1/1 可访问；栏目 8/9 读出带日期的信息；未核实页面 1 个。" in body
    assert "本次未能有效监测" not in body
