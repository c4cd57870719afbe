"""`govwatch textcheck [FILE]`: typos and wrong expressions, one JSON object per input line (INTERFACES.md §6)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from govwatch.cliutil import read_user_file


def _read(path: Path | None) -> str:
    if path is None:
        data = sys.stdin.buffer.read()
    else:
        data = read_user_file(path)
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
