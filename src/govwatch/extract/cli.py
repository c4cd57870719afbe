"""`govwatch extract FILE.html`: the facts of one saved page as JSON (INTERFACES.md §5)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from govwatch.cliutil import read_user_file


@click.command("extract")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="页面原始网址（用于补全相对链接和从网址推断日期）")
@click.option("--kind", type=click.Choice(["auto", "article", "list", "question", "guide"]), default="auto", show_default=True, help="页面类型")
def extract(file: Path, url: str | None, kind: str):
    """从一个保存的网页抽取要素，输出 JSON。"""
    body = read_user_file(file)
    from govwatch.extract.page import extract_page

    page_url = url or file.resolve().as_uri()
    result = extract_page(page_url, body, kind=kind)
    click.echo(json.dumps(result, ensure_ascii=False, indent=1))
