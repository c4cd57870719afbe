"""附件4 网站整改调查表 against the monitored facts of the same period.

Pure: the caller gathers the unit's columns and confirmed findings of the period;
the rulebook's [survey] table says which facts answer which question. Nothing here
deducts points: a contradiction is shown to the unit and the office, who judge it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from govwatch.rulebook.survey import SurveyCheck

YES, NO = "yes", "no"

CONTRADICTED = "contradicted"
CONSISTENT = "consistent"
UNVERIFIED = "unverified"   # the unit could not be monitored in the period: nothing to compare
UNCHECKED = "unchecked"     # no mapping, no answer, or an answer that is neither 是 nor 否

STATUS_LABELS = {CONTRADICTED: "与监测结果矛盾", CONSISTENT: "与监测结果一致", UNVERIFIED: "本期无法核实",
                 UNCHECKED: "未核对"}


@dataclass(frozen=True)
class ColumnSeen:
    url: str
    name: str
    category: str
    key_area: bool = False


@dataclass(frozen=True)
class FindingSeen:
    id: int
    rule: str
    url: str
    column_url: str
    message: str


@dataclass(frozen=True)
class Verdict:
    question: str
    answer: str | None
    status: str
    reason: str
    findings: tuple[FindingSeen, ...] = ()
    columns: tuple[ColumnSeen, ...] = ()

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class PeriodFacts:
    """What the monitor saw of one unit in the survey's period.

    `columns`: the unit's columns found (any run of the period); `findings`: its confirmed findings,
    newest run first; `monitored`: whether any of its columns could be read in the period."""

    monitored: bool
    columns: list[ColumnSeen] = field(default_factory=list)
    findings: list[FindingSeen] = field(default_factory=list)
    # False when the period's runs kept no column list for the unit: whether a column exists is then unknown.
    columns_known: bool = True


def _matches(column: ColumnSeen | None, check: SurveyCheck) -> bool:
    if column is None:
        return False
    if check.key_area:
        return column.key_area
    return column.category in check.categories


def _relevant_findings(check: SurveyCheck, facts: PeriodFacts, by_url: Mapping[str, ColumnSeen]) -> tuple:
    seen: set[tuple[str, str]] = set()
    out = []
    for f in facts.findings:
        if f.rule not in check.rules:
            continue
        if check.asks_existence and not _matches(by_url.get(f.column_url or f.url), check):
            continue
        # The same unfixed problem is found again every week: one link per problem, the newest.
        if (f.rule, f.url) in seen:
            continue
        seen.add((f.rule, f.url))
        out.append(f)
    return tuple(out)


def check_answer(key: str, answer: str | None, check: SurveyCheck | None, facts: PeriodFacts) -> Verdict:
    if check is None:
        return Verdict(key, answer, UNCHECKED, "监测无法核对此项")
    if answer not in (YES, NO):
        return Verdict(key, answer, UNCHECKED, "未勾选是或否，不核对" if answer else "未填写")
    if not facts.monitored:
        return Verdict(key, answer, UNVERIFIED, "本期该单位未能有效监测，无法核对")
    by_url = {c.url: c for c in facts.columns}
    findings = _relevant_findings(check, facts, by_url)
    if check.asks_existence and not facts.columns_known:
        return Verdict(key, answer, UNVERIFIED, "本期监测未保存该单位的栏目清单，无法核对")
    if check.asks_existence:
        columns = tuple(sorted((c for c in facts.columns if _matches(c, check)), key=lambda c: c.url))
        if answer == NO:
            if columns:
                return Verdict(key, answer, CONTRADICTED, f"勾选“否”，但监测发现此类栏目 {len(columns)} 个", columns=columns)
            return Verdict(key, answer, CONSISTENT, "监测未发现此类栏目")
        if not columns:
            return Verdict(key, answer, CONTRADICTED, "勾选“是”，但监测未发现此类栏目")
        if findings:
            return Verdict(key, answer, CONTRADICTED, f"勾选“是”，但此类栏目有 {len(findings)} 个已确认问题",
                           findings=findings, columns=columns)
        return Verdict(key, answer, CONSISTENT, f"监测发现此类栏目 {len(columns)} 个", columns=columns)
    if answer == YES and findings:
        return Verdict(key, answer, CONTRADICTED, f"勾选“是”，但本期有 {len(findings)} 个已确认问题", findings=findings)
    if answer == YES:
        return Verdict(key, answer, CONSISTENT, "本期未发现相关问题")
    if findings:
        return Verdict(key, answer, CONSISTENT, f"本期有 {len(findings)} 个已确认问题", findings=findings)
    return Verdict(key, answer, CONSISTENT, "单位自报未做到；本期监测未发现相关问题")


def crosscheck(answers: Mapping[str, str], questions: Iterable[str], checks: Mapping[str, SurveyCheck],
               facts: PeriodFacts) -> list[Verdict]:
    """One verdict per question, in the form's order."""
    return [check_answer(key, answers.get(key), checks.get(key), facts) for key in questions]
