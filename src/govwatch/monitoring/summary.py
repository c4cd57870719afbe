"""The closing run summary: what a person needs to act on, in Chinese."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from govwatch.monitoring.models import Finding, Run
from govwatch.rulebook import load_rulebook


def render_summary(run: Run, console: Console | None = None, top: int = 10) -> None:
    console = console or Console()
    site = run.site
    if run.status == Run.Status.FAILED:
        console.print(f"[bold red]监测运行 #{run.pk} 失败[/]：{run.error}")
        console.print("本次运行未发布任何得分，也不会对任何单位扣分。修复后可重新执行同一命令。")
        return
    rulebook = load_rulebook(run.rulebook)
    everything = list(run.findings.select_related("unit"))
    # A bonus (+1) is not a problem: it is counted and listed apart.
    findings = [f for f in everything if f.points <= 0]
    bonuses = [f for f in everything if f.points > 0 and f.state == Finding.State.CONFIRMED]
    by_state = Counter(f.state for f in findings)
    by_rule = Counter(f.rule for f in findings if f.state != Finding.State.DISMISSED)
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at and run.started_at else 0
    console.print(f"\n[bold]监测运行 #{run.pk}[/]  {site.name}  监测日期 {run.as_of}（周期 {run.cycle_start} 至 {run.as_of}）")
    console.print(
        f"抓取网页 {run.pages} 个（首页、栏目页、列表页和详情页），请求 {run.requests} 次，用时 {duration:.0f} 秒；"
        f"发现问题 {len(findings)} 条：已确认 {by_state.get('confirmed', 0)}，"
        f"待复核 {by_state.get('pending', 0)}，已排除 {by_state.get('dismissed', 0)}；"
        f"加分项 {len(bonuses)} 条（另计，不是问题）"
    )
    stats = run.stats or {}
    if stats.get("recheck_candidates"):
        share = stats.get("rechecked_links", 0) / stats["recheck_candidates"]
        console.print(f"链接复查轮换：以往检查正常、本次本可沿用结果的链接 {stats['recheck_candidates']} 个，"
                      f"重新检查 {stats.get('rechecked_links', 0)} 个（{share:.1%}）")
    scores = list(run.scores.select_related("unit").order_by("score", "unit__code"))
    if scores:
        table = Table(title="得分最低的单位", show_lines=False)
        for col in ("机关编码", "单位", "得分", "扣分", "加分", "主要问题"):
            table.add_column(col)
        for s in scores[:top]:
            worst = sorted(((v, k) for k, v in s.by_rule.items() if v < 0))[:2]
            text = "；".join(f"{rulebook.rules[k].title if k in rulebook.rules else k} {v}" for v, k in worst)
            table.add_row(s.unit.code, s.unit.name, str(s.score), str(s.deductions), str(s.bonuses), text or "—")
        console.print(table)
        full = sum(1 for s in scores if s.score >= rulebook.base_score)
        console.print(f"共 {len(scores)} 个单位参与评分，{full} 个单位满分。")
    if by_rule:
        table = Table(title="问题分布（未排除）")
        table.add_column("规则")
        table.add_column("说明")
        table.add_column("条数", justify="right")
        for rule, n in sorted(by_rule.items(), key=lambda kv: -kv[1]):
            title = rulebook.rules[rule].title if rule in rulebook.rules else rule
            table.add_row(rule, title, str(n))
        console.print(table)
    if run.unverified:
        console.print(f"[yellow]未核实 {len(run.unverified)} 项[/]（本系统无法访问或被拦截，不计扣分）：")
        for url, reason in run.unverified[:15]:
            console.print(f"  · {url}  {reason}")
        if len(run.unverified) > 15:
            console.print(f"  …… 另有 {len(run.unverified) - 15} 项，见 govwatch findings / 运行记录")
    if run.portal_findings:
        console.print(f"门户公共模板问题 {len(run.portal_findings)} 项（不计入任何单位）。")
    if run.not_configured:
        names = "、".join(u["name"] for u in run.not_configured[:10])
        console.print(f"[yellow]未配置的单位 {len(run.not_configured)} 个[/]（不参与评分，不视为满分）：{names}")
    for warning in run.warnings:
        console.print(f"[bold yellow]注意：[/]{warning}")
    if by_state.get("pending"):
        console.print(f"有 {by_state['pending']} 条问题等待人工复核，确认后才计入得分。")
