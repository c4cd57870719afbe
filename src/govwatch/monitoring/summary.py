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
        missed = sum(1 for c in (run.coverage or {}).values() if not c.get("monitored", True))
        tail = f"另有 {missed} 个单位未能有效监测，不评分。" if missed else ""
        console.print(f"共 {len(scores)} 个单位参与评分，{full} 个单位满分。{tail}")
    render_coverage(run, console)
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


def render_coverage(run: Run, console: Console) -> None:
    """Coverage of the run: totals, how lists were read, and every unit we could not monitor."""
    from govwatch.checks.coverage import NOT_MONITORED, READ_VIA_LABELS
    from govwatch.monitoring.coverage import unmonitored

    coverage = run.coverage or {}
    if not coverage:
        return
    total = {k: sum(int(c.get(k, 0)) for c in coverage.values())
             for k in ("sections", "sections_reached", "columns", "columns_read", "pages_unverified")}
    via: Counter = Counter()
    for c in coverage.values():
        via.update(c.get("read_via") or {})
    how = "，".join(f"{READ_VIA_LABELS.get(k, k)} {n}" for k, n in sorted(via.items())) or "无"
    console.print(f"监测覆盖：栏目入口 {total['sections_reached']}/{total['sections']} 可访问，"
                  f"栏目 {total['columns_read']}/{total['columns']} 读出带日期的信息（读取方式：{how}），"
                  f"未核实页面 {total['pages_unverified']} 个。")
    missed = unmonitored(run)
    if not missed:
        return
    table = Table(title=f"{NOT_MONITORED}的单位（不评分、不排名）")
    for col in ("机关编码", "单位", "原因", "需要配置"):
        table.add_column(col)
    from govwatch.catalog.models import Unit

    names = dict(Unit.objects.filter(code__in=list(missed)).values_list("code", "name"))
    for code, cov in sorted(missed.items()):
        table.add_row(code, names.get(code, code), cov.get("reason") or "", cov.get("advice") or "")
    console.print(table)
