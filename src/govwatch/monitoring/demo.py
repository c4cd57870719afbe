"""`govwatch demo`: the whole product on one machine, with nothing to configure.

1. generate the sample portal under ./govwatch-data/sample-portal/ and serve it on 127.0.0.1;
2. run one full monitoring cycle into SQLite (or GOVWATCH_DATABASE_URL);
3. export findings and scores under ./govwatch-data/exports/;
4. print the summary and the next commands to try;
5. create the demo users and serve the dashboard (govwatch.web.demo).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import click

DEFAULT_PORT = 8765


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _generate(generate_site, portal_dir, as_of, base_url, scale, progress, console):
    if not progress:
        return generate_site(portal_dir, as_of=as_of, base_url=base_url, scale=scale)
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("生成页面", total=None)

        def tick(done, total, label):
            bar.update(task, completed=done, total=total or None, description=label or "生成页面")

        return generate_site(portal_dir, as_of=as_of, base_url=base_url, scale=scale, progress=tick)


def _reports(run, exports: Path, console) -> list[Path]:
    """The documents an office publishes: weekly bulletin, circular and score sheets; the files written."""
    from govwatch.reports.cli import build_report

    written = []
    for kind, name in (("weekly", "周监测结果"), ("quarterly", "季度监测报告"), ("circular", "通报"),
                       ("scores-xlsx", "得分表"), ("findings-xlsx", "问题清单")):
        suffix = "xlsx" if kind.endswith("xlsx") else "docx"
        out = exports / f"{name}-run{run.pk}.{suffix}"
        try:
            written.append(Path(build_report(kind, out=out, run_ref=str(run.pk))))
        except Exception as exc:  # a report failure must not hide the run's results
            console.print(f"[yellow]生成{name}失败：{exc}[/]")
    return written


def _digests(run, exports: Path, console) -> None:
    """Each unit admin's digest of new problems, and the office summary.

    Without SMTP settings they are written as .eml files under exports/mail/, so a demo never mails anyone.
    """
    import os

    from django.conf import settings

    from govwatch.reports.digests import send_run_digests

    if not (os.environ.get("GOVWATCH_SMTP_HOST") or os.environ.get("GOVWATCH_EMAIL_BACKEND")):
        settings.EMAIL_BACKEND = "govwatch.reports.mailfiles.EmlFileBackend"
        settings.EMAIL_FILE_PATH = str(exports / "mail")
    if not settings.GOVWATCH_OFFICE_EMAILS:
        settings.GOVWATCH_OFFICE_EMAILS = ["office@demo.govwatch.invalid"]
    report = send_run_digests(run, fail_silently=True)
    where = settings.EMAIL_FILE_PATH if settings.EMAIL_BACKEND.endswith("EmlFileBackend") else "SMTP"
    console.print(f"已生成问题通知邮件 {report.sent} 封（{len(report.unit_mails)} 个单位 + 监测办汇总）→ {where}")


def run_demo(as_of: dt.date | None = None, port: int | None = None, scale: str = "default", progress: bool = True,
             serve: bool = False):
    from rich.console import Console

    from govwatch.monitoring.bootstrap import setup_django

    console = Console()
    setup_django()
    from django.conf import settings

    from govwatch.lib.clock import today_shanghai
    from govwatch.monitoring.exports import findings_export, scores_export
    from govwatch.pipeline.run import execute_run
    from govwatch.monitoring.summary import render_summary
    from govwatch.samplesite import generate_site, serve_in_thread

    as_of = as_of or today_shanghai()
    if port is None:
        port = DEFAULT_PORT if _port_free(DEFAULT_PORT) else _free_port()
    elif not _port_free(port):
        raise click.UsageError(f"端口 {port} 已被占用，请换一个端口或省略 --port")
    data_dir = Path(settings.DATA_DIR)
    portal_dir = data_dir / "sample-portal"
    base_url = f"http://127.0.0.1:{port}/"
    console.print(f"[bold]1/4[/] 生成示例门户（监测日期 {as_of}）→ {portal_dir}")
    _generate(generate_site, portal_dir, as_of, base_url, scale, progress, console)
    # The portal stays up while the dashboard runs, so that 复查 (re-check) can fetch its pages.
    with serve_in_thread(portal_dir, "127.0.0.1", port):
        console.print(f"[bold]2/4[/] 示例门户已在 {base_url} 启动，开始监测……")
        outcome = execute_run(portal_dir / "site.toml", as_of, progress=progress)
        run = outcome.run
        render_summary(run, console)
        if run.status != run.Status.COMPLETE:
            raise SystemExit(1)
        exports = data_dir / "exports"
        exports.mkdir(parents=True, exist_ok=True)
        written = [exports / f"findings-run{run.pk}.json", exports / f"scores-run{run.pk}.json"]
        written[0].write_text(json.dumps(findings_export(run), ensure_ascii=False, indent=1), encoding="utf-8")
        written[1].write_text(json.dumps(scores_export(run), ensure_ascii=False, indent=1), encoding="utf-8")
        written += _reports(run, exports, console)
        console.print(f"[bold]3/4[/] 结果和报告已导出到 {exports}：")
        for path in written:
            console.print(f"  {path.name}")
        console.print("\n接下来可以试试：")
        console.print("  govwatch findings --run latest --format csv --out 问题清单.csv")
        console.print("  govwatch scores --run latest --format xlsx --out 得分.xlsx")
        console.print(f"  govwatch sample serve {portal_dir}     # 单独启动示例门户")
        console.print(f"  govwatch run --site {portal_dir / 'site.toml'} --as-of {as_of}   # 重跑（幂等）")
        console.print(f"  示例门户的标准答案：{portal_dir / 'truth.json'}")
        # 4. demo users, then (unless --no-serve) the dashboard at http://127.0.0.1:8000
        from govwatch.web.demo import finish_demo

        finish_demo(console, serve=serve, after_users=lambda users: _digests(run, exports, console))
    return run
