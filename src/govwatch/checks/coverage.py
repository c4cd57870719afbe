"""Honest coverage: how much of a unit's part of the portal one run could actually read.

A unit whose lists we could not read would otherwise find no problems and score 100. Here
each configured unit gets its coverage (sections reached, columns found and read, pages
unverified with their reasons) and a verdict: monitored, or 未能有效监测 with the reason and
what to configure. The pipeline does not score or rank a unit that is not monitored.

The floors are rulebook data (`[coverage]`). Pure: plain facts in, plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from govwatch.facts import OK, UNVERIFIED, Column, Page
from govwatch.rulebook import Rulebook

# Unverified entries kept per unit for display; the count is always exact.
MAX_LISTED = 50

NOT_MONITORED = "未能有效监测"
# How a column's list was read (facts.READ_VIA), as users read it.
READ_VIA_LABELS = {"static": "静态页面", "script_records": "脚本内嵌数据", "endpoint": "数据接口", "rendered": "浏览器渲染"}
ADVICE_SECTIONS = "请核对站点配置中该单位的 sections（栏目入口地址）是否正确，且可从监测服务器访问。"
ADVICE_COLUMNS = ("请在站点配置中用 [[columns]] 固定该单位的栏目地址（url、unit、category），"
                  "或在“管理 → 栏目梳理”中确认栏目；栏目列表若由脚本加载，需为该栏目启用脚本渲染。")


@dataclass
class UnitCoverage:
    unit: str
    sections: int  # configured section roots
    sections_reached: int
    columns: int  # columns discovered (or pinned) for the unit
    columns_read: int  # columns whose list was read: dated items, or an explicit placeholder
    pages_unverified: int  # section roots, columns and detail pages we could not read
    monitored: bool
    reason: str | None = None  # Chinese: why the unit is not effectively monitored
    advice: str | None = None  # Chinese: what to configure
    unverified: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), at most MAX_LISTED
    read_via: dict[str, int] = field(default_factory=dict)  # how the read columns were read -> count

    def to_json(self) -> dict:
        """The `coverage` object of the scores export (INTERFACES.md §4), plus the detail the dashboard shows."""
        out = {"sections": self.sections, "sections_reached": self.sections_reached, "columns": self.columns,
               "columns_read": self.columns_read, "pages_unverified": self.pages_unverified,
               "monitored": self.monitored}
        if not self.monitored:
            out["reason"] = self.reason
            out["advice"] = self.advice
        out["read_via"] = dict(sorted(self.read_via.items()))
        out["unverified"] = [list(u) for u in self.unverified]
        return out

    @classmethod
    def from_json(cls, unit: str, data: Mapping) -> "UnitCoverage":
        return cls(unit=unit, sections=int(data.get("sections", 0)), sections_reached=int(data.get("sections_reached", 0)),
                   columns=int(data.get("columns", 0)), columns_read=int(data.get("columns_read", 0)),
                   pages_unverified=int(data.get("pages_unverified", 0)), monitored=bool(data.get("monitored", True)),
                   reason=data.get("reason"), advice=data.get("advice"),
                   unverified=[tuple(u) for u in data.get("unverified", [])], read_via=dict(data.get("read_via", {})))


def column_read(column: Column) -> bool:
    """A column counts as read when its list was fetched and shows dated items or says it is empty."""
    if column.status != OK:
        return False
    return bool(column.placeholder) or any(item.date is not None for item in column.items)


def unit_coverage(unit: str, sections: Sequence[str], columns: Iterable[Column], pages: Iterable[Page],
                  unverified: Iterable[tuple[str, str]], rulebook: Rulebook) -> UnitCoverage:
    """One unit's coverage and verdict. `unverified` is the run's (url, reason) list: a section root
    in it was not reached."""
    failed = {url: reason for url, reason in unverified}
    missing: dict[str, str] = {}
    reached = 0
    for root in sections:
        if root in failed:
            missing.setdefault(root, failed[root])
        else:
            reached += 1
    found = read = 0
    via: dict[str, int] = {}
    for column in columns:
        found += 1
        if column_read(column):
            read += 1
            via[column.read_via] = via.get(column.read_via, 0) + 1
        elif column.status == UNVERIFIED:
            missing.setdefault(column.url, column.reason or "无法读取")
        else:
            missing.setdefault(column.url, "列表中没有读出带日期的信息条目")
    for page in pages:
        if page.status == UNVERIFIED:
            missing.setdefault(page.url, page.reason or "无法读取")
    cov = UnitCoverage(unit=unit, sections=len(sections), sections_reached=reached, columns=found, columns_read=read,
                       pages_unverified=len(missing), monitored=True,
                       unverified=list(missing.items())[:MAX_LISTED], read_via=via)
    _judge(cov, rulebook.coverage, missing)
    return cov


def _judge(cov: UnitCoverage, floors: Mapping[str, float], missing: Mapping[str, str]) -> None:
    """Set the verdict. The first failed floor names the reason: sections, then columns, then share."""
    min_sections = floors["min_sections_reached_share"]
    min_read = floors["min_columns_read"]
    min_share = floors["min_read_share"]
    if cov.sections and cov.sections_reached / cov.sections < min_sections:
        first = next(iter(missing.items()), ("", ""))
        cov.reason = (f"栏目入口仅能访问 {cov.sections_reached}/{cov.sections} 个"
                      f"（如 {first[0]}：{first[1]}）")
        cov.advice = ADVICE_SECTIONS
    elif cov.columns == 0:
        cov.reason = "在该单位的栏目入口下未发现任何栏目列表（列表可能由脚本生成，或入口不是栏目页）"
        cov.advice = ADVICE_COLUMNS
    elif cov.columns_read < min_read:
        cov.reason = f"发现栏目 {cov.columns} 个，但没有一个读出带日期的信息条目"
        cov.advice = ADVICE_COLUMNS
    elif cov.columns_read / cov.columns < min_share:
        cov.reason = (f"仅 {cov.columns_read}/{cov.columns} 个栏目读出带日期的信息条目，"
                      f"低于规则库要求的 {min_share:.0%}")
        cov.advice = ADVICE_COLUMNS
    else:
        return
    cov.monitored = False


def coverage_line(cov: Mapping) -> str:
    """One Chinese line for summaries and reports, from a coverage JSON object."""
    text = (f"栏目入口 {cov.get('sections_reached', 0)}/{cov.get('sections', 0)}，"
            f"栏目 {cov.get('columns_read', 0)}/{cov.get('columns', 0)} 可读，"
            f"未核实页面 {cov.get('pages_unverified', 0)} 个")
    if not cov.get("monitored", True):
        text = f"{NOT_MONITORED}：{cov.get('reason') or ''}；{text}"
    return text
