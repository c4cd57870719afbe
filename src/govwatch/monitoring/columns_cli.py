"""`govwatch columns`: the column inventory (栏目梳理) of a site, from its latest run."""

from __future__ import annotations

import click


@click.command()
@click.option("--site", "site_path", required=True, type=click.Path(dir_okay=False), help="站点配置文件（TOML）")
@click.option("--run", "run_ref", default="latest", show_default=True, help="运行编号或 latest")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default="table", show_default=True)
@click.option("--out", default=None, help="输出文件（xlsx 必填；其他格式默认打印到标准输出）")
def columns(site_path, run_ref, fmt, out):
    """列出站点发现的全部栏目：单位、名称、地址、类别及把握、读取方式、信息条数、最新日期、是否已确认。"""
    from govwatch.siteconfig import load_site

    config = load_site(site_path)  # configuration errors surface before the database is touched
    if fmt == "xlsx" and not out:
        raise click.UsageError("xlsx 格式需要 --out 文件名")
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.monitoring.coverage import INVENTORY_FIELDS, inventory

    run, rows = inventory(config, run_ref)
    if fmt == "json":
        from govwatch.monitoring.cli import _write

        _write(rows, "json", out, [key for key, _label in INVENTORY_FIELDS], "栏目梳理")
    elif fmt == "xlsx":
        _xlsx(rows, INVENTORY_FIELDS, out)
        click.echo(f"已写入 {out}：{len(rows)} 个栏目（监测运行 #{run.pk}，{run.as_of}）")
    else:
        _table(run, rows, out)


def _xlsx(rows: list[dict], fields, out: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "栏目梳理"
    ws.append([label for _key, label in fields])
    for r in rows:
        ws.append(["是" if r[k] is True else "否" if r[k] is False else r[k] for k, _label in fields])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(out)


def _table(run, rows: list[dict], out: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"栏目梳理：监测运行 #{run.pk}（{run.as_of}），共 {len(rows)} 个栏目")
    for label in ("单位", "栏目", "地址", "类别（把握）", "读取方式", "条数", "最新日期", "确认"):
        table.add_column(label)
    for r in rows:
        table.add_row(f"{r['unit'] or '—'} {r['unit_name']}", r["name"], r["url"],
                      f"{r['category_label']}（{r['category_confidence']:.2f}）", r["read_via_label"],
                      str(r["item_count"]), r["newest_item_date"] or "—",
                      "已确认" if r["confirmed"] else "待确认")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            Console(file=fh, width=240).print(table)
    else:
        console = Console()
        # Piped output (a file, another program) gets whole URLs rather than an 80-column wrap.
        (console if console.is_terminal else Console(width=240)).print(table)
