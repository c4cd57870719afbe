"""附件4 answers against the monitored facts of the survey's period, read from the database.

The comparison itself is pure (`govwatch.checks.survey`); this module only decides which
runs make up a survey's period and turns their rows into the facts it compares with.
The form's questions are passed in by the caller (the web app owns the form), so this
service stays below the web layer and the quarterly report can use it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govwatch.checks.survey import CONTRADICTED, ColumnSeen, FindingSeen, PeriodFacts, Verdict, crosscheck
from govwatch.facts import OK
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import ColumnState, Finding, Run
from govwatch.monitoring.quarters import parse_quarter
from govwatch.rulebook import load_rulebook

# A period that is not a quarter (e.g. "2017年10月") covers this many days up to the form's deadline.
FREE_PERIOD_DAYS = 92


@dataclass(frozen=True)
class QuestionCheck:
    key: str
    label: str
    answer_label: str
    verdict: Verdict

    @property
    def contradicted(self) -> bool:
        return self.verdict.status == CONTRADICTED


def period_bounds(period: str, deadline: dt.date) -> tuple[dt.date, dt.date]:
    try:
        return parse_quarter(period)
    except GovwatchError:
        return deadline - dt.timedelta(days=FREE_PERIOD_DAYS), deadline


def period_runs(period: str, deadline: dt.date) -> list[Run]:
    start, end = period_bounds(period, deadline)
    return list(Run.objects.filter(status=Run.Status.COMPLETE, as_of__gte=start, as_of__lte=end)
                .order_by("-as_of", "-id"))


def period_facts(unit, runs: list[Run]) -> PeriodFacts:
    states = ColumnState.objects.filter(run__in=runs, unit_code=unit.code).order_by("-run__as_of", "-run_id", "url")
    columns: dict[str, ColumnSeen] = {}
    monitored = False
    for cs in states.values("url", "name", "category", "key_area", "status"):
        monitored = monitored or cs["status"] == OK
        columns.setdefault(cs["url"], ColumnSeen(cs["url"], cs["name"], cs["category"], cs["key_area"]))
    findings = [FindingSeen(f.pk, f.rule, f.url, f.column_url, f.message)
                for f in Finding.objects.filter(run__in=runs, unit=unit, state=Finding.State.CONFIRMED)
                .order_by("-run__as_of", "-run_id", "id").only("id", "rule", "url", "column_url", "message")]
    if not columns and findings:
        # Runs stored without column states still prove the unit was read, but not which columns it has.
        return PeriodFacts(monitored=True, findings=findings, columns_known=False)
    return PeriodFacts(monitored=monitored, columns=list(columns.values()), findings=findings)


def _rulebook_for(runs: list[Run]):
    return load_rulebook(runs[0].rulebook) if runs else load_rulebook()


def check_survey(survey, questions, answers: dict | None = None) -> list[QuestionCheck]:
    """Every question of the form (`questions`: (key, label, choices) rows) with its verdict;
    `answers` overrides the stored ones (a preview before submitting)."""
    answers = (survey.answers or {}) if answers is None else answers
    runs = period_runs(survey.period, survey.deadline)
    facts = period_facts(survey.unit, runs) if runs else PeriodFacts(monitored=False)
    verdicts = crosscheck(answers, [k for k, _, _ in questions], _rulebook_for(runs).survey, facts)
    out = []
    for (key, label, choices), verdict in zip(questions, verdicts):
        out.append(QuestionCheck(key, label, dict(choices).get(answers.get(key), "未填"), verdict))
    return out


def contradictions(survey, questions) -> list[QuestionCheck]:
    return [q for q in check_survey(survey, questions) if q.contradicted]
