"""附件4 cross-check: each mapped question against the facts that answer it (rulebook [survey])."""

from __future__ import annotations

import pytest

from govwatch.checks.survey import (CONSISTENT, CONTRADICTED, UNCHECKED, UNVERIFIED, ColumnSeen, FindingSeen,
                                    PeriodFacts, check_answer, crosscheck)
from govwatch.rulebook import load_rulebook
from govwatch.web.survey_schema import ALL_QUESTIONS

BASE = "http://www.example.gov.cn/czj/"

# Question -> a column of the kind it asks about (existence questions) ...
COLUMN_OF = {
    "col_profile": ColumnSeen(f"{BASE}jggk/", "机构概况", "profile"),
    "col_news": ColumnSeen(f"{BASE}gzdt/", "工作动态", "news"),
    "col_policy": ColumnSeen(f"{BASE}zcwj/", "政策文件", "policy"),
    "col_notice": ColumnSeen(f"{BASE}tzgg/", "通知公告", "notice"),
    "col_plan": ColumnSeen(f"{BASE}ghjh/", "规划计划", "plan"),
    "col_personnel": ColumnSeen(f"{BASE}rsxx/", "人事信息", "personnel"),
    "col_funds": ColumnSeen(f"{BASE}zjxx/", "资金信息", "finance"),
    "col_statistics": ColumnSeen(f"{BASE}tjsj/", "统计数据", "statistics"),
    "col_key_area": ColumnSeen(f"{BASE}zdly/", "重点领域信息公开", "other", key_area=True),
}
# ... and the finding that contradicts a 是 to each update question.
RULE_OF = {
    "upd_news": "stale.news",
    "upd_notice": "stale.notice",
    "upd_policy": "stale.policy",
    "upd_personnel": "stale.personnel",
    "upd_plan": "stale.plan",
    "upd_other": "stale.expected",
    "upd_key_area": "stale.key_area",
    "upd_consult": "consult.unanswered_7d",
}


@pytest.fixture(scope="module")
def checks():
    return load_rulebook().survey


def _finding(rule: str, column: ColumnSeen | None = None, n: int = 1) -> FindingSeen:
    col = column.url if column else f"{BASE}x/"
    return FindingSeen(n, rule, col, col, f"{rule} 问题")


def test_survey_mapping_covers_exactly_the_tested_questions(checks):
    keys = {k for k, _, _ in ALL_QUESTIONS}
    assert set(checks) <= keys
    assert set(checks) == set(COLUMN_OF) | set(RULE_OF)


@pytest.mark.parametrize("key", sorted(COLUMN_OF))
def test_survey_column_question_yes_with_blank_column_is_contradicted(checks, key):
    col = COLUMN_OF[key]
    other = ColumnSeen(f"{BASE}qt/", "其他", "other")
    facts = PeriodFacts(monitored=True, columns=[col, other],
                        findings=[_finding("blank.column", col, 7), _finding("blank.column", other, 8)])
    v = check_answer(key, "yes", checks[key], facts)
    assert v.status == CONTRADICTED
    # Only the blank column of the kind asked about is cited, not the unit's other blank column.
    assert [f.id for f in v.findings] == [7]


@pytest.mark.parametrize("key", sorted(COLUMN_OF))
def test_survey_column_question_yes_without_such_column_is_contradicted(checks, key):
    facts = PeriodFacts(monitored=True, columns=[ColumnSeen(f"{BASE}qt/", "其他", "other")])
    v = check_answer(key, "yes", checks[key], facts)
    assert (v.status, v.findings, v.columns) == (CONTRADICTED, (), ())


@pytest.mark.parametrize("key", sorted(COLUMN_OF))
def test_survey_column_question_no_while_column_exists_is_contradicted(checks, key):
    col = COLUMN_OF[key]
    v = check_answer(key, "no", checks[key], PeriodFacts(monitored=True, columns=[col]))
    assert (v.status, v.columns) == (CONTRADICTED, (col,))


@pytest.mark.parametrize("key", sorted(COLUMN_OF))
def test_survey_column_question_yes_with_healthy_column_is_consistent(checks, key):
    v = check_answer(key, "yes", checks[key], PeriodFacts(monitored=True, columns=[COLUMN_OF[key]]))
    assert v.status == CONSISTENT


@pytest.mark.parametrize("key", sorted(RULE_OF))
def test_survey_update_question_yes_with_its_finding_is_contradicted(checks, key):
    facts = PeriodFacts(monitored=True, findings=[_finding(RULE_OF[key], n=3), _finding("error.typo", n=4)])
    v = check_answer(key, "yes", checks[key], facts)
    assert (v.status, [f.id for f in v.findings]) == (CONTRADICTED, [3])


@pytest.mark.parametrize("key", sorted(RULE_OF))
def test_survey_update_question_yes_with_other_findings_only_is_consistent(checks, key):
    others = [_finding(r, n=i) for i, r in enumerate(sorted(set(RULE_OF.values()) - {RULE_OF[key]}))]
    v = check_answer(key, "yes", checks[key], PeriodFacts(monitored=True, findings=others))
    assert v.status == CONSISTENT


def test_survey_consult_question_contradicted_by_the_15_day_rule_too(checks):
    v = check_answer("upd_consult", "yes", checks["upd_consult"],
                     PeriodFacts(monitored=True, findings=[_finding("consult.unanswered_15d", n=5)]))
    assert (v.status, [f.id for f in v.findings]) == (CONTRADICTED, [5])


def test_survey_same_problem_found_every_week_is_cited_once_newest_first(checks):
    findings = [FindingSeen(30, "stale.news", f"{BASE}gzdt/", f"{BASE}gzdt/", "第3周"),
                FindingSeen(20, "stale.news", f"{BASE}gzdt/", f"{BASE}gzdt/", "第2周")]
    v = check_answer("upd_news", "yes", checks["upd_news"], PeriodFacts(monitored=True, findings=findings))
    assert [f.id for f in v.findings] == [30]


def test_survey_unit_not_monitored_is_unverified_never_contradicted(checks):
    facts = PeriodFacts(monitored=False)
    verdicts = crosscheck({k: "yes" for k, _, _ in ALL_QUESTIONS}, [k for k, _, _ in ALL_QUESTIONS], checks, facts)
    assert len(verdicts) == len(ALL_QUESTIONS)
    assert {v.status for v in verdicts if v.question in checks} == {UNVERIFIED}


def test_survey_unmapped_or_third_choice_answers_are_unchecked(checks):
    facts = PeriodFacts(monitored=True, columns=[COLUMN_OF["col_key_area"]])
    assert check_answer("col_guide", "yes", checks.get("col_guide"), facts).status == UNCHECKED
    assert check_answer("col_key_area", "not_responsible", checks["col_key_area"], facts).status == UNCHECKED
    assert check_answer("upd_news", None, checks["upd_news"], facts).status == UNCHECKED


def test_survey_column_question_without_a_column_list_is_unverified(checks):
    facts = PeriodFacts(monitored=True, findings=[_finding("stale.news")], columns_known=False)
    assert check_answer("col_news", "yes", checks["col_news"], facts).status == UNVERIFIED
    assert check_answer("upd_news", "yes", checks["upd_news"], facts).status == CONTRADICTED
