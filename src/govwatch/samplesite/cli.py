"""`govwatch sample generate|serve`: the built-in sample portal."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import click

from govwatch.lib.errors import GovwatchError


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _scale(ctx, param, value):
    if value in ("small", "default", "large") or (value.isdigit() and int(value) > 0):
        return int(value) if value.isdigit() else value
    raise click.BadParameter("应为 small、default、large 或正整数页面数")


@click.group()
def sample():
    """生成或启动内置示例门户网站（含标准答案 truth.json）。"""


@sample.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="输出目录")
@click.option("--as-of", "as_of", callback=_date, help="监测日期（默认今天）")
@click.option("--anchor", callback=_date, help="锚定日期：预设问题按此日期布置（默认等于监测日期）")
@click.option("--seed", default=2017, show_default=True, type=int, help="随机种子")
@click.option("--scale", default="default", callback=_scale, show_default=True,
              help="规模：small、default（约3千页）、large（约10万页）或页面数")
@click.option("--base-url", default="http://127.0.0.1:8765/", show_default=True, help="站点配置和标准答案使用的网址")
@click.option("--homepage-age", type=click.IntRange(0), default=None,
              help="首页另设要闻动态、通知公告栏，其中最新信息已发布该天数（用于首页长期未更新的演示）")
def generate(out_dir, as_of, anchor, seed, scale, base_url, homepage_age):
    """生成示例门户：网页、site.toml 和 truth.json。"""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govwatch.samplesite.generate import generate_site

    as_of = as_of or dt.date.today()
    anchor = anchor or as_of
    console = Console()
    with Progress(TextColumn("[bold]生成示例门户"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("", total=41)

        def tick(done, total, name):
            progress.update(task, completed=done, total=total, description=name)

        summary = generate_site(out_dir, as_of, seed=seed, scale=scale, base_url=base_url, anchor=anchor, progress=tick,
                                homepage_age=homepage_age)
    planted = sum(n for r, n in summary.by_rule.items() if not r.startswith("bonus."))
    console.print(f"已生成示例门户：{summary.pages} 个网页（另有附件等文件 {summary.files - summary.pages} 个），"
                  f"{summary.units} 个单位，{summary.columns} 个栏目，用时 {summary.seconds:.1f} 秒。")
    console.print(f"监测日期 {summary.as_of}（锚定日期 {summary.anchor}，种子 {summary.seed}）；"
                  f"标准答案含 {summary.findings} 条问题（其中扣分问题 {planted} 条）、{summary.near_misses} 个近似正确的对照、"
                  f"{summary.faults} 个不应扣分的故障网址。")
    out = Path(out_dir)
    console.print(f"站点配置：{out / 'site.toml'}\n标准答案：{out / 'truth.json'}\n"
                  f"启动：govwatch sample serve {out}")


@sample.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default=None, help="监听地址（默认取 site.toml 首页的主机，通常为 127.0.0.1）")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="端口（默认取 site.toml 首页的端口）")
@click.option("--flaky-share", default=0.0, type=click.FloatRange(0, 1), show_default=True,
              help="首页按此比例的请求失败或变慢（用于可用性探测演示，如 0.06）")
@click.option("--flaky-mode", type=click.Choice(["error", "slow"]), default="error", show_default=True,
              help="error：返回 HTTP 503；slow：延迟 --slow-seconds 秒后才返回")
@click.option("--slow-seconds", default=20.0, type=click.FloatRange(0), show_default=True, help="slow 模式的延迟秒数")
def serve(directory, host, port, flaky_share, flaky_mode, slow_seconds):
    """启动示例门户网站（多线程，仅供本机测试）。"""
    from govwatch.samplesite.server import Flaky, make_server

    home = _home_of(Path(directory))
    parts = urlsplit(home) if home else None
    site_host = parts.hostname if parts else "127.0.0.1"
    site_port = (parts.port or 80) if parts else 8765
    host = host or site_host
    port = port or site_port
    if port != site_port:
        click.echo(f"警告：site.toml 和 truth.json 中的网址使用端口 {site_port}，当前在端口 {port} 上启动，"
                   "对照标准答案时请重新生成（--base-url）。", err=True)
    try:
        server = make_server(directory, host, port)
    except OSError as exc:
        raise GovwatchError(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}") from None
    if flaky_share:
        server.flaky = Flaky(path=urlsplit(home).path or "/" if home else "/", share=flaky_share, mode=flaky_mode,
                             slow_seconds=slow_seconds)
        click.echo(f"首页 {server.flaky.path} 有 {flaky_share:.0%} 的请求将{'失败（HTTP 503）' if flaky_mode == 'error' else f'延迟 {slow_seconds:g} 秒'}")
    click.echo(f"示例门户已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已停止。")
    finally:
        server.stopping.set()
        server.server_close()


def _home_of(directory: Path) -> str | None:
    site = directory / "site.toml"
    if not site.exists():
        return None
    try:
        return tomllib.loads(site.read_text(encoding="utf-8")).get("site", {}).get("home")
    except tomllib.TOMLDecodeError:
        return None
