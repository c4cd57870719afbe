"""`govwatch probe --site S.toml [--once]`: availability probes by hand."""

from __future__ import annotations

import time

import click


def _line(p) -> str:
    from govwatch.checks.availability import REASON_LABELS

    took = f"{p.seconds:.2f} 秒" if p.seconds is not None else "—"
    state = "正常" if p.ok else f"失败：{REASON_LABELS[p.reason]}"
    return f"{p.url}  HTTP {p.status or '—'}  {took}  {p.size} 字节  {state}"


def _summary(w: dict) -> str:
    level = {"veto": "达到否决线", "ok": "正常"}[w["level"]]
    thin = "" if w["enough_probes"] else "（探测次数不足每日20次）"
    p50 = "—" if w["p50_seconds"] is None else f"{w['p50_seconds']:.2f}"
    p95 = "—" if w["p95_seconds"] is None else f"{w['p95_seconds']:.2f}"
    return (f"近7天首页探测 {w['probes']} 次{thin}，失败 {w['count']} 次（{w['failure_share']:.1%}），{w['title']}：{level}；"
            f"响应时间 p50 {p50} 秒，p95 {p95} 秒")


@click.command()
@click.option("--site", "site_path", required=True, type=click.Path(exists=True, dir_okay=False), help="站点配置 TOML")
@click.option("--once", is_flag=True, help="只探测一轮并输出结果")
def probe(site_path, once):
    """探测首页和配置中列出的网页能否在规定时间内打开（国家指标：首页无法访问）。"""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.probe import service
    from govwatch.rulebook import load_rulebook
    from govwatch.siteconfig import load_site

    config = load_site(site_path)
    rulebook = load_rulebook(config.rulebook, relative_to=config.base_dir)
    every = service.interval(rulebook)
    while True:
        for p in service.probe_once(config, rulebook):
            click.echo(_line(p))
        week = service.site_availability(service.site_row(config), rulebook=rulebook)
        click.echo(_summary(week))
        if week["homepage"]:
            h = week["homepage"]
            click.echo(f"{h['title']}：{'达到否决线' if h['level'] == 'veto' else '正常'}；{h['message']}")
        if once:
            return
        click.echo(f"下一轮在 {int(every.total_seconds() // 60)} 分钟后（Ctrl+C 停止）")
        time.sleep(every.total_seconds())
