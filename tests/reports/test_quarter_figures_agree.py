"""One definition of a unit's missing weeks: `scores --quarter`, the quarterly report and 得分表.xlsx agree."""

from __future__ import annotations

from openpyxl import load_workbook

from govwatch.monitoring.quarters import quarter_export
from govwatch.reports.cli import build_report

from .conftest import NO_RUN_WEEKS, table_with_header
from .factories import MISSING


def test_quarter_missing_weeks_agree_across_export_report_and_workbook(data, tmp_path):
    export = {r["unit"]: r for r in quarter_export("2026Q4")}
    report = table_with_header(build_report("quarterly", out=tmp_path / "q.docx", quarter="2026Q4"), "排名", "机关编码")
    ws = load_workbook(build_report("scores-xlsx", out=tmp_path / "s.xlsx", quarter="2026Q4"))["季度得分"]
    header = [c.value for c in ws[2]]
    sheet = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    assert len(export) == 41
    assert set(sheet) == set(export) == {r[1] for r in report[1:]}

    def md(iso: str) -> str:
        return f"{int(iso[5:7])}月{int(iso[8:10])}日"

    for row in report[1:]:
        code = row[1]
        weeks = export[code]["missing_weeks"]
        assert row[5] == "、".join(md(d) for d in weeks)
        assert sheet[code][header.index("未监测周数")] == len(weeks)
        assert float(row[3]) == export[code]["mean"] == sheet[code][header.index("季度平均分")]
    assert len(export[MISSING[0]]["missing_weeks"]) == len(NO_RUN_WEEKS) + 1
