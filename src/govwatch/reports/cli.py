"""`govwatch report`: Word reports and Excel workbooks.

    govwatch report --kind weekly    [--run RUN|latest]             --out FILE.docx
    govwatch report --kind quarterly [--quarter 2026Q4 | --run RUN] --out FILE.docx
    govwatch report --kind circular  [--run RUN | --quarter Q]      --out FILE.docx
    govwatch report --kind scores-xlsx   [--quarter Q | --run RUN]  --out FILE.xlsx
    govwatch report --kind findings-xlsx [--run RUN | --quarter Q]  --out FILE.xlsx
    govwatch report --kind annual-xlsx   [--year 2026]              --out FILE.xlsx

Every argument is checked here, so a mistake ends with one Chinese line and
exit status 2 (the GovwatchError path of `govwatch.cli.main`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from govwatch.cliutil import check_out_dir
from govwatch.lib.errors import GovwatchError

DOCX_KINDS = ("weekly", "quarterly", "circular")
XLSX_KINDS = ("scores-xlsx", "findings-xlsx", "annual-xlsx")
KINDS = DOCX_KINDS + XLSX_KINDS
KIND_NAMES = {"weekly": "周监测结果", "quarterly": "季度监测报告", "circular": "通报", "scores-xlsx": "季度得分表",
              "findings-xlsx": "问题清单", "annual-xlsx": "年度汇总表"}


def _number(value: str | None, flag: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise GovwatchError(f"{flag} 应为数字：{value}") from None


def _day(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise GovwatchError(f"{flag} 日期格式应为 YYYY-MM-DD：{value}") from None


def check_args(kind, out, run_ref, quarter, year) -> None:
    """Argument checks that need no database."""
    if not kind:
        raise GovwatchError(f"缺少 --kind（可用：{'、'.join(KINDS)}）")
    if kind not in KINDS:
        raise GovwatchError(f"--kind 无效：{kind}（可用：{'、'.join(KINDS)}）")
    if not out:
        raise GovwatchError("缺少 --out 输出文件")
    check_out_dir(out)
    want = ".docx" if kind in DOCX_KINDS else ".xlsx"
    if Path(out).suffix.lower() != want:
        raise GovwatchError(f"{KIND_NAMES[kind]}应输出为 {want} 文件：{out}")
    if run_ref and quarter:
        raise GovwatchError("--run 与 --quarter 只能选一个")
    if kind == "weekly" and quarter:
        raise GovwatchError("周监测结果针对一次监测运行：请用 --run，不能用 --quarter")
    if year is not None and kind != "annual-xlsx":
        raise GovwatchError("--year 只用于 annual-xlsx")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise GovwatchError(f"--year 应为四位年份：{year}")
    if quarter:
        from govwatch.lib.dates import parse_quarter

        parse_quarter(quarter)


@click.command()
@click.option("--kind", default=None, help="weekly|quarterly|circular（Word）或 scores-xlsx|findings-xlsx|annual-xlsx（Excel）")
@click.option("--run", "run_ref", default=None, help="运行编号或 latest（默认 latest）")
@click.option("--quarter", default=None, help="季度，如 2026Q4")
@click.option("--year", default=None, help="年份（annual-xlsx），默认最近一次监测所在年份")
@click.option("--out", default=None, help="输出文件 .docx 或 .xlsx")
@click.option("--template", default=None, help="使用指定的 Word 模板文件（默认：$GOVWATCH_REPORT_TEMPLATES/<kind>.docx，再到内置模板）")
@click.option("--threshold", default=None, help="低分线：季度报告和季度通报默认 90 分")
@click.option("--doc-number", default=None, help="通报文号，如 “君政公办〔2026〕12号”（默认留空待填）")
@click.option("--date", "issued", default=None, help="通报成文日期 YYYY-MM-DD（默认监测日期或季度末）")
@click.option("--issuer", default=None, help="发文机关（默认：区政务公开领导小组办公室）")
def report(kind, run_ref, quarter, year, out, template, threshold, doc_number, issued, issuer):
    """生成 Word 报告（周监测结果、季度监测报告、通报）或 Excel 表（季度得分、问题清单、年度汇总）。"""
    check_args(kind, out, run_ref, quarter, year)
    limit = _number(threshold, "--threshold")
    issued_day = _day(issued, "--date")
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    path = build_report(kind, out=out, run_ref=run_ref, quarter=quarter, year=int(year) if year else None,
                        template=template, threshold=limit, doc_number=doc_number, issued=issued_day, issuer=issuer)
    click.echo(f"已生成{KIND_NAMES[kind]}：{path}")


def build_report(kind: str, *, out, run_ref=None, quarter=None, year=None, template=None, threshold=None,
                 doc_number=None, issued=None, issuer=None) -> Path:
    """The command without click: also what the web app and `govwatch demo` call."""
    from govwatch.monitoring.runs import resolve_run
    from govwatch.reports import data, render, xlsx
    from govwatch.reports.cn import quarter_of

    def run_or_latest():
        return resolve_run(run_ref or "latest")

    def the_quarter():
        return quarter.upper().strip() if quarter else quarter_of(run_or_latest().as_of)

    # A period named through --run belongs to that run's site; otherwise to the period's latest run's site.
    site = resolve_run(run_ref).site if run_ref and not quarter else None

    extra = {"issuer": issuer} if issuer else {}
    if kind == "weekly":
        ctx = data.weekly_context(run_or_latest()) | extra
        return render.render_docx("weekly", ctx, out, template=template, threshold=threshold)
    if kind == "quarterly":
        ctx = data.quarterly_context(the_quarter(), threshold=90 if threshold is None else threshold, site=site) | extra
        return render.render_docx("quarterly", ctx, out, template=template)
    if kind == "circular":
        if quarter:
            ctx = data.circular_context(quarter=the_quarter(), threshold=threshold, doc_number=doc_number,
                                        issued=issued, **extra)
        else:
            ctx = data.circular_context(run=run_or_latest(), threshold=threshold, doc_number=doc_number,
                                        issued=issued, **extra)
        return render.render_docx("circular", ctx, out, template=template)
    if template:
        raise GovwatchError("--template 只用于 Word 报告")
    if kind == "scores-xlsx":
        q = the_quarter()
        ctx = data.quarterly_context(q, threshold=90 if threshold is None else threshold, site=site)
        runs = data.period_runs(*data.quarter_bounds(q)[:2], site=site)
        return xlsx.write_scores_xlsx(ctx, runs, out)
    if kind == "findings-xlsx":
        if quarter:
            q = the_quarter()
            runs = data.period_runs(*data.quarter_bounds(q)[:2])
            if not runs:
                raise GovwatchError(f"{q} 没有已完成的监测运行")
            return xlsx.write_findings_xlsx(runs, out, f"{q} 问题清单")
        run = run_or_latest()
        return xlsx.write_findings_xlsx([run], out, f"第{run.pk}次监测问题清单")
    if kind == "annual-xlsx":
        the_year = year or (data.quarter_bounds(quarter)[2] if quarter else run_or_latest().as_of.year)
        return xlsx.write_annual_xlsx(data.annual_context(the_year, site=site), out, threshold=threshold)
    raise GovwatchError(f"--kind 无效：{kind}")
