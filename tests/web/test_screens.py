"""What the office sees: screenshots of the main pages, and no raw programmer value on any of them.

Chromium visits the unit page, one finding of every rule, the review queue (with an appeal),
the 附件4 view and column management. Each page's visible text must hold no Python
None/True/False, and every evidence field must carry a Chinese label (no raw key).
Screenshots go to test-artifacts/screens/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from govwatch.catalog.models import Column
from govwatch.lib.evidence import FIELDS
from govwatch.monitoring.models import Finding
from govwatch.rulebook import load_rulebook
from govwatch.web import services
from govwatch.web.models import Rectification
from tests.web.factories import BROKEN_TARGET, HOME
from tests.web.test_e2e import ARTIFACTS, CHROMIUM, browser, login, page  # noqa: F401 - fixtures

PYTHON_VALUES = re.compile(r"\b(None|True|False)\b")
# Labels of the finding page's own fields (not evidence).
PAGE_LABELS = {"规则", "状态", "分值", "监测日期", "问题页面", "栏目"}

# Evidence as each rule family writes it (checks/*.py), with the empty and boolean values a
# real run produces: the presenter must turn every one into words.
EVIDENCE = {
    "stale": {"newest_item_date": "2026-10-02", "days": 56, "threshold": "10天", "deadline": "2026-10-12",
              "category": "news", "key_area": True, "expected": None},
    "blank": {"category": "policy", "items": 0, "placeholder": "暂无信息"},
    "bonus": {"date": "2026-11-25", "category": "notice", "count": 3},
    "consult": {"asked": "2026-11-03", "answered": None, "delay_days": 24, "extension": False, "status": "办理中",
                "limit_days": 7},
    "guide.missing_element": {"element": "联系电话", "synonyms": ["联系电话", "咨询电话", "咨询方式"]},
    "guide.form_unavailable": {"form": "申请表", "form_url": f"{HOME}fj/sqb.doc", "reason": "HTTP 404",
                               "http_status": 404},
    "timeliness": {"published": "2026-11-21", "event_date": "2026-11-18", "delay_days": 3, "max_delay_days": 1,
                   "signature_date": None, "signature_source": None, "working_days": None,
                   "max_working_days": 20, "category": "news"},
    "error.broken_link": {"target": BROKEN_TARGET, "reason": "HTTP 404", "http_status": 404,
                          "carriers": [f"{HOME}czj/tzgg/t20261120_1.html"], "kind": "attachment", "template": False,
                          "share": 0.02},
    "error.typo": {"wrong": "按装", "right": "安装", "start": 12, "end": 14, "kind": "typo",
                   "context": "组织人员按装消防设施", "confidence": 0.82},
    "error.nonstandard": {"missing": ["落款日期"], "category": "notice", "doc_number": None},
    "error": {"entered_by": "复核员 reviewer"},
}


def _evidence_for(rule_id: str, warc: str) -> dict:
    for prefix in (rule_id, rule_id.split(".")[0]):
        if prefix in EVIDENCE:
            return dict(EVIDENCE[prefix], warc=warc)
    raise AssertionError(f"no sample evidence for {rule_id}")


@pytest.fixture
def rule_findings(world, users):
    run, unit = world["run"], world["units"]["0107"]
    archived = Finding.objects.get(key=f"typo-{run.pk}").evidence["warc"]  # a real record of the run
    made = {}
    for rule in load_rulebook().rules.values():
        made[rule.id] = Finding.objects.create(
            run=run, unit=unit, rule=rule.id, points=rule.points, state="confirmed", url=f"{HOME}czj/{rule.id}.html",
            column_url=f"{HOME}czj/tzgg/", message=f"{rule.title}（样例）", evidence=_evidence_for(rule.id, archived),
            key=f"screen-{rule.id}")
    Column.objects.create(site=world["site"], url=f"{HOME}czj/tzgg/", name="通知公告", unit=unit, category="notice")
    Column.objects.create(site=world["site"], url=f"{HOME}czj/gzdt/", name="工作动态", unit=unit, category="news")
    Rectification.objects.create(finding=made["stale.news"], kind="appeal", note="该栏目已于11月20日更新，见工作动态第1条。",
                                 actor=users["unit0107"], actor_label="unit0107")
    services.open_survey_period("2026Q4", dt.date(2026, 12, 31))
    return made


def _check(page, name: str) -> str:
    ARTIFACTS.joinpath("screens").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screens" / f"{name}.png"), full_page=True)
    text = page.inner_text("body")
    assert PYTHON_VALUES.findall(text) == [], name
    return text


def _evidence_labels(page) -> list[str]:
    return [t.strip() for t in page.locator("dl.facts dt, dl.ev dt").all_inner_texts()]


def test_screens_every_rule_finding_has_labelled_evidence_and_no_python_values(live_server, page, rule_findings):
    login(page, live_server, "office")
    allowed = {spec.label for spec in FIELDS.values()} | PAGE_LABELS
    assert len(rule_findings) == len(load_rulebook().rules) >= 20
    for rule_id, finding in rule_findings.items():
        page.goto(f"{live_server.url}/findings/{finding.pk}/")
        text = _check(page, f"finding-{rule_id}")
        labels = _evidence_labels(page)
        assert len(labels) > len(PAGE_LABELS) - 1, rule_id
        assert [label for label in labels if label not in allowed] == [], rule_id
        assert "warc" not in text and "offset=" not in text, rule_id
        snapshot = page.frame_locator("iframe.evidence").locator("body").inner_text()
        assert PYTHON_VALUES.findall(snapshot) == [] and "Errno" not in snapshot, rule_id
        if rule_id == "error.broken_link":  # the carrying page, with the dead link found and outlined
            assert "未能在页面中定位" not in snapshot
        assert rule_id in text and load_rulebook().rules[rule_id].title in text


def test_screens_unit_review_survey_and_columns_pages_show_no_python_values(live_server, page, rule_findings):
    login(page, live_server, "office")
    allowed = {spec.label for spec in FIELDS.values()}
    page.goto(f"{live_server.url}/units/0107/")
    _check(page, "unit-0107")
    labels = _evidence_labels(page)
    assert len(labels) > 0
    assert [label for label in labels if label not in allowed] == []
    page.goto(f"{live_server.url}/review/")
    _check(page, "review-pending")
    page.goto(f"{live_server.url}/review/?tab=appeal")
    assert "该栏目已于11月20日更新" in _check(page, "review-appeal")
    from govwatch.web.models import Survey

    survey = Survey.objects.get(unit__code="0107", period="2026Q4")
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    text = _check(page, "survey-0107-office")
    assert page.locator("table.survey th", has_text="栏目建设情况").count() == 1
    assert "栏目建设情况\n信息更新情况" not in text
    page.goto(f"{live_server.url}/surveys/")
    actions = page.locator("table").last.locator("a").all_inner_texts()
    assert len(actions) == 41
    assert set(actions) == {"查看"}  # the office reads the forms; only a unit's admin fills one in
    page.goto(f"{live_server.url}/manage/columns/")
    assert "通知公告" in _check(page, "manage-columns")


def test_screens_unit_admin_gets_no_answer_form_on_a_bonus(live_server, page, rule_findings):
    login(page, live_server, "unit0107")
    page.goto(f"{live_server.url}/findings/{rule_findings['bonus.news'].pk}/")
    _check(page, "finding-bonus-unit-admin")
    assert page.locator("h2", has_text="整改答复").count() == 0
    page.goto(f"{live_server.url}/findings/{rule_findings['stale.news'].pk}/")
    assert page.locator("h2", has_text="整改答复").count() == 1
