"""Excel workbooks: the score sheet (units × weeks), the findings sheet, the annual summary.

Every sheet has its header row frozen and an auto-filter. A week in which a
unit had no score reads 未监测 (grey) and is not part of any mean.
"""

from __future__ import annotations

import os
from pathlib import Path

from govwatch.reports import cn
from govwatch.reports.aggregate import Grid

STATE_LABELS = {"confirmed": "已确认", "pending": "待复核", "dismissed": "已排除"}
MISSING = "未监测"


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(name="宋体", size=14, bold=True),
        "head_font": Font(name="宋体", bold=True),
        "head_fill": PatternFill("solid", fgColor="D9E2F3"),
        "missing_fill": PatternFill("solid", fgColor="E7E6E6"),
        "low_fill": PatternFill("solid", fgColor="F8CBAD"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
    }


def _header(ws, row: int, labels: list[str], st) -> None:
    for i, label in enumerate(labels, 1):
        c = ws.cell(row=row, column=i, value=label)
        c.font, c.fill, c.alignment, c.border = st["head_font"], st["head_fill"], st["center"], st["border"]


def _title(ws, text: str, width: int, st) -> None:
    ws.cell(row=1, column=1, value=text).font = st["title"]
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _finish(ws, header_row: int, freeze_col: str, widths: dict[str, float]) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = f"{freeze_col}{header_row + 1}"
    last = get_column_letter(ws.max_column)
    ws.auto_filter.ref = f"A{header_row}:{last}{max(ws.max_row, header_row)}"
    for col, w in widths.items():
        ws.column_dimensions[col].width = w


def _grid_sheet(ws, grid: Grid, title: str, st, threshold: float | None = None, mean_label: str = "季度平均分") -> None:
    from openpyxl.utils import get_column_letter

    labels = ["排名", "机关编码", "单位名称"] + [d.isoformat() for d in grid.dates] + ["监测周数", "未监测周数", mean_label]
    _title(ws, title, len(labels), st)
    _header(ws, 2, labels, st)
    row = 3
    for code in grid.units:
        p = grid.periods[code]
        values = [p.rank, code, grid.names[code]]
        values += [grid.cells[code].get(d, MISSING) for d in grid.dates]
        values += [p.weeks, len(p.missing), p.mean if p.mean is not None else MISSING]
        for i, v in enumerate(values, 1):
            c = ws.cell(row=row, column=i, value=v)
            c.border = st["border"]
            c.alignment = st["left"] if i == 3 else st["center"]
            if v == MISSING:
                c.fill = st["missing_fill"]
        mean_cell = ws.cell(row=row, column=len(labels))
        mean_cell.number_format = "0.00"
        if threshold is not None and p.mean is not None and p.mean < threshold:
            mean_cell.fill = st["low_fill"]
        row += 1
    ws.cell(row=row, column=3, value="全区平均").font = st["head_font"]
    for j, d in enumerate(grid.dates):
        c = ws.cell(row=row, column=4 + j, value=grid.week_mean(d))
        c.number_format = "0.00"
        c.alignment = st["center"]
    overall = ws.cell(row=row, column=len(labels), value=grid.overall_mean())
    overall.number_format = "0.00"
    widths = {"A": 6, "B": 9, "C": 22}
    for j in range(len(grid.dates) + 3):
        widths[get_column_letter(4 + j)] = 11
    _finish(ws, 2, "D", widths)
    # The filter covers the unit rows, not the district mean below them.
    ws.auto_filter.ref = f"A2:{get_column_letter(len(labels))}{row - 1}"


def _runs_sheet(ws, runs: list, st) -> None:
    """Every weekly score exactly as `govwatch scores --run` exports it (INTERFACES.md §4)."""
    from govwatch.checks.coverage import coverage_line
    from govwatch.monitoring.exports import scores_export
    from govwatch.reports.data import rule_title

    labels = ["运行编号", "监测日期", "机关编码", "单位名称", "扣分", "加分", "得分", "分项", "监测覆盖"]
    _header(ws, 1, labels, st)
    row = 2
    for run in runs:
        for r in scores_export(run):
            values = [r["run"], _day(r["as_of"]), r["unit"], r["name"], r["deductions"], r["bonuses"], r["score"],
                      by_rule_text(r["by_rule"], lambda rule: rule_title(rule, run.rulebook)),
                      coverage_line(r["coverage"]) if r.get("coverage") else ""]
            for i, v in enumerate(values, 1):
                _date_cell(ws.cell(row=row, column=i, value=v))
            row += 1
    _finish(ws, 1, "E", {"A": 9, "B": 12, "C": 9, "D": 22, "E": 7, "F": 7, "G": 7, "H": 50, "I": 60})


def write_scores_xlsx(ctx: dict, runs: list, out: str | os.PathLike) -> Path:
    """The quarter's score sheet: units × weeks with the mean and the rank; then every weekly score row."""
    from openpyxl import Workbook

    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "季度得分"
    _grid_sheet(ws, ctx["_grid"], f"{ctx['site']} {ctx['label']}各单位周得分及平均分", st, threshold=ctx["threshold"])
    _runs_sheet(wb.create_sheet("周得分明细"), runs, st)
    return _save(wb, out)


def by_rule_text(by_rule: dict, title) -> str:
    """分项 as a person reads it: 问题类型 and points, deductions first (栏目长期未更新 -4；动态要闻更新 +2)."""
    items = sorted(by_rule.items(), key=lambda kv: (kv[1] > 0, kv[1], kv[0]))
    return "；".join(f"{title(rule)} {points:+d}" for rule, points in items) or "无"


def _day(value):
    """An ISO date from an export row as a real date, so that Excel sorts and filters it as one."""
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value


def _date_cell(cell) -> None:
    import datetime as dt

    if isinstance(cell.value, (dt.date, dt.datetime)):
        cell.number_format = "yyyy-mm-dd"


FINDING_FIELDS = [
    ("run", "运行编号"), ("as_of", "监测日期"), ("unit", "机关编码"), ("name", "单位名称"), ("rule", "规则"),
    ("title", "问题类型"), ("indicator", "指标"), ("points", "分值"), ("state", "状态"),
    ("needs_review", "需人工复核"), ("column_url", "栏目地址"), ("url", "问题页面"), ("message", "说明"),
    ("evidence", "证据"),
]


def finding_rows(runs: list) -> list[dict]:
    """monitoring.exports.findings_export rows (INTERFACES.md §3) plus the unit name and the rule's wording."""
    from govwatch.catalog.models import Unit
    from govwatch.monitoring.exports import findings_export
    from govwatch.reports.data import rule_indicator, rule_title

    names = dict(Unit.objects.values_list("code", "name"))
    rows = []
    for run in runs:
        for r in findings_export(run):
            rows.append({**r, "name": names.get(r["unit"], "") if r["unit"] else "（门户）",
                         "title": rule_title(r["rule"], run.rulebook), "indicator": rule_indicator(r["rule"], run.rulebook)})
    return rows


def write_findings_xlsx(runs: list, out: str | os.PathLike, title: str) -> Path:
    """Problems on one sheet, bonuses (+ points) on their own: a bonus is not a problem."""
    from openpyxl import Workbook

    from govwatch.lib.evidence import cn_date, summary
    from govwatch.reports.data import _rulebook

    st = _styles()
    wb = Workbook()
    rows = finding_rows(runs)
    books = {run.pk: _rulebook(run.rulebook) for run in runs}
    sheets = [(wb.active, "问题清单", [r for r in rows if r["points"] <= 0]),
              (wb.create_sheet(), "加分项", [r for r in rows if r["points"] > 0])]
    for ws, name, chosen in sheets:
        ws.title = name
        _header(ws, 1, [label for _, label in FINDING_FIELDS], st)
        for row, r in enumerate(chosen, 2):
            for i, (key, _) in enumerate(FINDING_FIELDS, 1):
                v = r[key]
                if key == "evidence":
                    v = summary(v, rulebook=books.get(r["run"]), date_text=cn_date) or "无"
                elif key == "as_of":
                    v = _day(v)
                elif key == "state":
                    v = STATE_LABELS.get(v, v)
                elif key == "needs_review":
                    v = "是" if v else "否"
                c = ws.cell(row=row, column=i, value=v)
                _date_cell(c)
                if key in ("url", "column_url") and v:
                    c.hyperlink = v
                    c.style = "Hyperlink"
        _finish(ws, 1, "C", {"A": 9, "B": 12, "C": 9, "D": 20, "E": 22, "F": 28, "G": 14, "H": 6, "I": 8, "J": 10,
                             "K": 40, "L": 40, "M": 60, "N": 60})
    wb.properties.title = title
    return _save(wb, out)


def write_annual_xlsx(ctx: dict, out: str | os.PathLike, threshold: float | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "年度汇总"
    year = ctx["year"]
    labels = (["排名", "机关编码", "单位名称"] + [cn.quarter_name(year, q)[5:] for q in range(1, 5)]
              + ["全年平均分", "监测周数", "未监测周数", "扣分问题数"] + [f"{n}扣分" for n in ctx["indicators"]])
    _title(ws, f"{ctx['site']} {year}年度政府门户网站内容保障监测汇总（全年{ctx['run_count']}次监测）", len(labels), st)
    _header(ws, 2, labels, st)
    row = 3
    for r in ctx["rows"]:
        values = ([r["rank"], r["unit"], r["name"]] + [MISSING if v is None else v for v in r["quarters"]]
                  + [r["mean"] if r["mean"] is not None else MISSING, r["weeks"], r["missing"], r["findings"]]
                  + r["deductions"])
        for i, v in enumerate(values, 1):
            c = ws.cell(row=row, column=i, value=v)
            c.border = st["border"]
            c.alignment = st["left"] if i == 3 else st["center"]
            if 4 <= i <= 8 and isinstance(v, float):
                c.number_format = "0.00"
            if v == MISSING:
                c.fill = st["missing_fill"]
        if threshold is not None and r["mean"] is not None and r["mean"] < threshold:
            ws.cell(row=row, column=8).fill = st["low_fill"]
        row += 1
    widths = {"A": 6, "B": 9, "C": 22}
    for j in range(4, len(labels) + 1):
        widths[get_column_letter(j)] = 12
    _finish(ws, 2, "D", widths)
    _grid_sheet(wb.create_sheet("周得分"), ctx["_grid"], f"{year}年各单位周得分", st, threshold=threshold,
                mean_label="全年平均分")
    return _save(wb, out)


def _save(wb, out) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
