"""`govwatch extract FILE.html`: the facts of one saved page as JSON (INTERFACES.md §5)."""

from __future__ import annotations

import json
from pathlib import Path

import click


class InputError(click.ClickException):
    """A user's mistake: one Chinese line on stderr, exit status 2, no usage banner."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"错误：{self.format_message()}", err=True)


@click.command("extract")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="页面原始网址（用于补全相对链接和从网址推断日期）")
@click.option("--kind", type=click.Choice(["auto", "article", "list", "question", "guide"]), default="auto", show_default=True, help="页面类型")
def extract(file: Path, url: str | None, kind: str):
    """从一个保存的网页抽取要素，输出 JSON。"""
    try:
        body = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"文件不存在：{file}") from None
    except IsADirectoryError:
        raise InputError(f"不是文件：{file}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 {file}：{exc.strerror or exc}") from None
    from govwatch.extract.page import extract_page

    page_url = url or file.resolve().as_uri()
    result = extract_page(page_url, body, kind=kind)
    click.echo(json.dumps(result, ensure_ascii=False, indent=1))
