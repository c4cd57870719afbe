"""`govwatch textcheck [FILE]`: typos and wrong expressions, one JSON object per input line (INTERFACES.md §6)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


class InputError(click.ClickException):
    """A user's mistake: one Chinese line on stderr, exit status 2, no usage banner."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"错误：{self.format_message()}", err=True)


def _read(path: Path | None) -> str:
    if path is None:
        data = sys.stdin.buffer.read()
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"文件不存在：{path}") from None
        except IsADirectoryError:
            raise InputError(f"不是文件：{path}") from None
        except OSError as exc:
            raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


@click.command("textcheck")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--whitelist", "whitelist_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="已排除的误报：每行一个错误写法，或“错误写法<TAB>上下文”")
def textcheck(file: Path | None, whitelist_file: Path | None):
    """检查文本中的错别字和错误表述：逐行读入 FILE（缺省为标准输入），每行输出一个 JSON 对象。"""
    from govwatch.textcheck import get_checker, hits_to_json
    from govwatch.textcheck.checker import Whitelist

    entries: list = []
    if whitelist_file is not None:
        for row in _read(whitelist_file).splitlines():
            if row.strip() and not row.startswith("#"):
                wrong, _, context = row.partition("\t")
                entries.append((wrong.strip(), context.strip() or None))
    text = _read(file)
    checker = get_checker()
    whitelist = Whitelist(entries)
    out = sys.stdout
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        hits = checker.check(line.rstrip("\r"), whitelist=whitelist)
        out.write(json.dumps({"line": number, "issues": hits_to_json(hits)}, ensure_ascii=False) + "\n")
    out.flush()
