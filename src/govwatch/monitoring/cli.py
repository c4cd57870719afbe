"""`govwatch run | findings | scores | demo`: thin wrappers over the pipeline and the monitoring services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import click



def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}", param_hint=flag) from None


def _console():
    from rich.console import Console

    return Console(stderr=False)


@click.command()
@click.option("--site", "site_path", required=True, type=click.Path(dir_okay=False), help="站点配置文件（TOML）")
@click.option("--as-of", "as_of", default=None, help="监测日期 YYYY-MM-DD，默认今天")
@click.option("--resume", is_flag=True, help="继续上次中断的同一日期运行")
@click.option("--no-progress", is_flag=True, help="不显示进度条")
@click.option("--no-wait", is_flag=True, help="配置了 GOVWATCH_BROKER_URL 时提交到队列后立即返回")
def run(site_path, as_of, resume, no_progress, no_wait):
    """对一个站点执行一轮完整监测，打印运行编号和摘要。"""
    from govwatch.monitoring.bootstrap import setup_django

    as_of_date = _date(as_of, "--as-of")
    from govwatch.siteconfig import load_site

    load_site(site_path)  # configuration errors surface before anything starts
    setup_django()
    from govwatch.monitoring.summary import render_summary
    from govwatch.pipeline.interrupt import sigterm_interrupts
    from govwatch.pipeline.run import execute_run
    from govwatch.monitoring.tasks import broker_url

    if broker_url():
        run_obj = _run_on_queue(site_path, as_of_date, no_wait)
        if run_obj is None:
            return
    else:
        # SIGTERM ends the run as failed (已中断), resumable with --resume; a second run on the site exits 2.
        with sigterm_interrupts():
            run_obj = execute_run(site_path, as_of_date, progress=not no_progress, resume=resume).run
    render_summary(run_obj, _console())
    click.echo(f"运行编号：{run_obj.pk}")
    if run_obj.status != "complete":
        sys.exit(1)


def _run_on_queue(site_path, as_of_date, no_wait):
    """Put the run on the workers' queue; wait for it unless --no-wait."""
    from pathlib import Path

    from govwatch.monitoring.models import Run
    from govwatch.monitoring.tasks import submit_run

    result = submit_run(str(Path(site_path).resolve()), as_of_date)
    click.echo(f"已提交到监测队列：任务 {result.id}")
    if no_wait:
        return None
    click.echo("等待工作进程完成……（Ctrl+C 不会取消已提交的任务）")
    outcome = result.get(propagate=True)
    return Run.objects.get(pk=outcome["run"])


def _write(rows: list[dict], fmt: str, out: str | None, columns: list[str], sheet: str):
    if out:
        from govwatch.cliutil import check_out_dir

        check_out_dir(out)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            click.echo(text)
        return
    flat = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in r.items()} for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(flat)
        if out:
            # utf-8-sig so that Excel opens Chinese text correctly
            Path(out).write_text(buf.getvalue(), encoding="utf-8-sig")
        else:
            click.echo(buf.getvalue(), nl=False)
        return
    from openpyxl import Workbook

    if not out:
        raise click.UsageError("xlsx 格式需要 --out 文件名")
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(columns)
    for r in flat:
        ws.append([r.get(c) for c in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(out)


FINDING_COLUMNS = ["run", "as_of", "unit", "rule", "points", "state", "needs_review", "column_url", "url", "message", "evidence"]
SCORE_COLUMNS = ["run", "as_of", "unit", "name", "deductions", "bonuses", "score", "by_rule", "coverage"]


@click.command()
@click.option("--run", "run_ref", default="latest", show_default=True, help="运行编号或 latest")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@click.option("--out", default=None, help="输出文件（默认打印到标准输出）")
def findings(run_ref, fmt, out):
    """导出某次监测的全部问题。"""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.monitoring.exports import findings_export
    from govwatch.monitoring.runs import resolve_run

    run_obj = resolve_run(run_ref)
    _write(findings_export(run_obj), fmt, out, FINDING_COLUMNS, "问题清单")


@click.command()
@click.option("--run", "run_ref", default=None, help="运行编号或 latest（默认 latest）")
@click.option("--quarter", default=None, help="季度，如 2026Q4：各单位周得分的平均值")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@click.option("--out", default=None, help="输出文件（默认打印到标准输出）")
def scores(run_ref, quarter, fmt, out):
    """导出单位得分。"""
    from govwatch.monitoring.bootstrap import setup_django

    if run_ref and quarter:
        raise click.UsageError("--run 与 --quarter 只能选一个")
    setup_django()
    from govwatch.monitoring.exports import scores_export
    from govwatch.monitoring.runs import resolve_run

    if quarter:
        from govwatch.monitoring.quarters import quarter_export

        rows = quarter_export(quarter)
        _write(rows, fmt, out, list(rows[0].keys()) if rows else ["quarter", "unit", "name"], "季度得分")
        return
    run_obj = resolve_run(run_ref or "latest")
    _write(scores_export(run_obj), fmt, out, SCORE_COLUMNS, "单位得分")


@click.command()
@click.option("--as-of", "as_of", default=None, help="监测日期 YYYY-MM-DD，默认今天")
@click.option("--port", default=None, type=int, help="示例门户端口（默认 8765，被占用时自动选择）")
@click.option("--scale", default="default", show_default=True, help="示例门户规模：small|default|large|页面数")
@click.option("--no-progress", is_flag=True, help="不显示进度条")
@click.option("--no-serve", is_flag=True, help="只创建演示用户，不启动网页管理端（测试和 CI 用）")
def demo(as_of, port, scale, no_progress, no_serve):
    """一键演示：生成示例门户并在本机启动，完整监测一轮，导出结果，启动网页管理端。"""
    from govwatch.monitoring.demo import run_demo

    run_demo(as_of=_date(as_of, "--as-of"), port=port, scale=scale, progress=not no_progress, serve=not no_serve)
