"""The Excel workbooks: score sheet (units × weeks), findings sheet, annual summary."""

from __future__ import annotations

import datetime as dt
import re
from statistics import mean

import pytest
from openpyxl import load_workbook

from govwatch.lib.evidence import cn_date, summary
from govwatch.monitoring.exports import findings_export, scores_export
from govwatch.rulebook import load_rulebook
from govwatch.reports.cli import build_report

from .conftest import NO_RUN_WEEKS
from .factories import AS_OFS, MISSING


def _weekly_scores(data) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for run in data.runs:
        for e in scores_export(run):
            out.setdefault(e["unit"], {})[e["as_of"]] = e["score"]
    return out


def test_scores_sheet_is_units_by_weeks_with_mean_and_rank(data, tmp_path):
    path = build_report("scores-xlsx", out=tmp_path / "s.xlsx", quarter="2026Q4")
    ws = load_workbook(path)["季度得分"]
    header = [c.value for c in ws[2]]
    assert header == ["排名", "机关编码", "单位名称"] + [d.isoformat() for d in AS_OFS] + ["监测周数", "未监测周数", "季度平均分"]
    weekly = _weekly_scores(data)
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    assert set(rows) == set(weekly)
    for code, row in rows.items():
        cells = dict(zip(header[3:3 + len(AS_OFS)], row[3:3 + len(AS_OFS)]))
        expected = {d.isoformat(): weekly[code].get(d.isoformat(), "未监测") for d in AS_OFS}
        assert cells == expected
        assert row[-1] == round(mean(weekly[code].values()), 2)
        assert row[-3] == len(weekly[code])
    means = sorted({r[-1] for r in rows.values()}, reverse=True)
    for row in rows.values():
        assert row[0] == 1 + sum(1 for r in rows.values() if r[-1] > row[-1])
    assert means[0] > means[-1]
    assert ws.freeze_panes == "D3"
    assert ws.auto_filter.ref == f"A2:L{2 + len(rows)}"


def test_scores_sheet_missing_week_reads_not_monitored(data, tmp_path):
    code, day = MISSING
    ws = load_workbook(build_report("scores-xlsx", out=tmp_path / "s.xlsx", quarter="2026Q4"))["季度得分"]
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] == code)
    assert row[header.index(day.isoformat())] == "未监测"
    assert row[header.index("未监测周数")] == 1 + len(NO_RUN_WEEKS)


def test_scores_sheet_detail_rows_equal_scores_export(data, tmp_path):
    from govwatch.checks.coverage import coverage_line

    ws = load_workbook(build_report("scores-xlsx", out=tmp_path / "s.xlsx", quarter="2026Q4"))["周得分明细"]
    got = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    expected = [(e["run"], dt.datetime.fromisoformat(e["as_of"]), e["unit"], e["name"], e["deductions"], e["bonuses"],
                 e["score"]) for run in data.runs for e in scores_export(run)]
    assert [r[:7] for r in got] == expected
    assert ws.cell(row=2, column=2).number_format == "yyyy-mm-dd"
    by_rule = [r[7] for r in got]
    assert len(by_rule) == len(expected)
    assert [t for t in by_rule if "{" in t or re.search(r"[a-z]+\.[a-z_]+", t)] == []
    assert [r[8] for r in got] == [coverage_line(e["coverage"]) if e["coverage"] else None
                                   for run in data.runs for e in scores_export(run)]
    assert ws.freeze_panes == "E2"


def test_findings_sheet_carries_every_field_of_the_export(data, tmp_path):
    run = data.runs[-1]
    ws = load_workbook(build_report("findings-xlsx", out=tmp_path / "f.xlsx", run_ref=str(run.pk)))["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["运行编号", "监测日期", "机关编码", "单位名称", "规则", "问题类型", "指标", "分值", "状态",
                      "需人工复核", "栏目地址", "问题页面", "说明", "证据"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    export = [e for e in findings_export(run) if e["points"] <= 0]
    assert len(rows) == len(export)
    states = {"confirmed": "已确认", "pending": "待复核", "dismissed": "已排除"}
    for row, e in zip(rows, export):
        assert row[0] == e["run"] and row[1] == dt.datetime.fromisoformat(e["as_of"]) and row[2] == e["unit"]
        assert row[4] == e["rule"] and row[7] == e["points"] and row[8] == states[e["state"]]
        assert row[9] == ("是" if e["needs_review"] else "否")
        assert row[10] == e["column_url"] and row[11] == e["url"] and row[12] == e["message"]
        assert row[13] == (summary(e["evidence"], rulebook=load_rulebook(), date_text=cn_date) or "无")
        assert re.findall(r"None|True|False|warc|[{}]", row[13]) == []
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:N{1 + len(rows)}"
    assert ws.cell(row=2, column=12).hyperlink.target == export[0]["url"]


def test_findings_sheet_keeps_bonuses_on_their_own_sheet(data, tmp_path):
    run = data.runs[-1]
    wb = load_workbook(build_report("findings-xlsx", out=tmp_path / "f.xlsx", run_ref=str(run.pk)))
    problems = [r[7] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    bonuses = [r[7] for r in wb["加分项"].iter_rows(min_row=2, values_only=True)]
    assert len(bonuses) == sum(1 for e in findings_export(run) if e["points"] > 0) > 0
    assert [p for p in problems if p > 0] == []
    assert [b for b in bonuses if b <= 0] == []


def test_findings_sheet_for_a_quarter_holds_every_run(data, tmp_path):
    ws = load_workbook(build_report("findings-xlsx", out=tmp_path / "f.xlsx", quarter="2026Q4"))["问题清单"]
    runs = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert runs == {r.pk for r in data.runs}


def test_annual_summary_has_quarter_and_year_means(data, tmp_path):
    wb = load_workbook(build_report("annual-xlsx", out=tmp_path / "a.xlsx", year=2026))
    ws = wb["年度汇总"]
    header = [c.value for c in ws[2]]
    assert header[:11] == ["排名", "机关编码", "单位名称", "第一季度", "第二季度", "第三季度", "第四季度", "全年平均分",
                           "监测周数", "未监测周数", "扣分问题数"]
    assert "错误率扣分" in header
    weekly = _weekly_scores(data)
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 41
    for code, row in rows.items():
        assert row[3:6] == ("未监测", "未监测", "未监测")
        assert row[6] == row[7] == round(mean(weekly[code].values()), 2)
    assert rows["0113"][0] == 41
    assert rows["0113"][header.index("错误率扣分")] == 6 * 13
    assert ws.freeze_panes == "D3"
    assert wb["周得分"].max_row == 2 + 41 + 1


@pytest.mark.parametrize("kind", ["scores-xlsx", "annual-xlsx"])
def test_xlsx_defaults_to_the_period_of_the_latest_run(data, tmp_path, kind):
    path = build_report(kind, out=tmp_path / "x.xlsx")
    assert load_workbook(path).worksheets[0].cell(row=1, column=1).value.startswith("君山区人民政府门户网站")
