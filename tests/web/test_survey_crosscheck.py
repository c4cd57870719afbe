"""附件4 cross-check in the web app: the office's view of a form and the unit's check before it submits."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from govwatch.monitoring.models import Finding
from govwatch.web import services
from govwatch.web.models import Survey
from govwatch.web.survey_schema import ALL_QUESTIONS


@pytest.fixture
def survey(world):
    services.open_survey_period("2026Q4", dt.date(2026, 12, 10))
    return Survey.objects.get(unit__code="0107", period="2026Q4")


def _all_yes() -> dict:
    return {key: "yes" for key, _, _ in ALL_QUESTIONS}


def _row(html: str, key: str) -> str:
    m = re.search(rf'<tr class="(\w+)" data-question="{key}">(.*?)</tr>', html, re.S)
    assert m is not None, key
    return m.group(1) + " " + m.group(2)


def test_survey_office_view_links_the_findings_that_contradict_an_answer(client_for, survey, world):
    survey.answers = _all_yes()
    survey.status = Survey.Status.SUBMITTED
    survey.save()
    stale = Finding.objects.filter(run=world["run"], unit__code="0107", rule="stale.news", state="confirmed")
    assert stale.count() == 1
    html = client_for("office").get(f"/surveys/{survey.pk}/").content.decode()
    row = _row(html, "upd_news")
    assert row.startswith("contradicted ")
    # The newest week's finding is cited; the same problem found a week earlier is not repeated.
    assert re.findall(r'href="/findings/(\d+)/"', row) == [str(stale.get().pk)]
    assert _row(html, "col_guide").startswith("unchecked ")


def test_survey_unit_sees_its_contradictions_before_it_submits(client_for, survey):
    post = {"action": "check", "office_address": "君山区政务中心三楼", **_all_yes()}
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", post)
    assert r.status_code == 200
    html = r.content.decode()
    assert "按当前勾选，尚未提交" in html
    assert _row(html, "upd_news").startswith("contradicted ")
    assert 'value="君山区政务中心三楼"' in html
    survey.refresh_from_db()
    assert (survey.status, survey.answers) == ("open", {})


def test_survey_answer_no_to_stale_news_is_not_a_contradiction(client_for, survey):
    answers = _all_yes() | {"upd_news": "no"}
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", {"action": "check", **answers})
    assert _row(r.content.decode(), "upd_news").startswith("consistent ")


def test_survey_check_preview_refused_for_another_units_admin(client_for, survey):
    r = client_for("unit0302").post(f"/surveys/{survey.pk}/", {"action": "check", **_all_yes()})
    assert r.status_code == 404
