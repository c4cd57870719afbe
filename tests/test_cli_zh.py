"""Every line the `govwatch` command prints is Chinese, and a mistake is one line with exit status 2."""

from __future__ import annotations

import gettext
import re
import socket
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from govwatch.cli import COMMANDS, LazyGroup, cli
from govwatch.cliutil import CLI_DOMAIN, LOCALE_DIR

# click's own English, as it prints it; none of it may reach a user.
ENGLISH = re.compile(r"Usage|Options|Commands|Show this|Show the|Error:|Try '|Invalid value|Missing|No such|"
                     r"default:|required\]|\bTEXT\b|\bINTEGER\b|\bFLOAT\b|\bPATH\b|OPTIONS|COMMAND|ARGS")


def _govwatch(*args):
    return subprocess.run([sys.executable, "-m", "govwatch.cli", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": ":".join(sys.path)})


def _every_command():
    group = LazyGroup()
    for name in sorted(COMMANDS):
        command = group.get_command(None, name)
        yield [name], command
        if isinstance(command, click.Group):
            for sub in sorted(command.commands):
                yield [name, sub], command.commands[sub]


def test_cli_help_of_every_command_has_no_english_from_click():
    runner = CliRunner()
    helps = {" ".join(path): runner.invoke(cli, [*path, "--help"]) for path, _cmd in _every_command()}
    helps["(govwatch)"] = runner.invoke(cli, ["--help"])
    assert len(helps) >= len(COMMANDS) + 2  # sample has subcommands
    for name, result in helps.items():
        assert result.exit_code == 0, name
        assert "用法：" in result.output, name
        assert ENGLISH.findall(result.output) == [], (name, result.output)


@pytest.mark.parametrize("args, expected", [
    (["scores", "--format", "x"], "取值无效"),
    (["scores", "--bogus"], "没有这个选项"),
    (["bogus"], "没有这个命令"),
    (["run"], "缺少选项"),
    (["report", "--kind"], "需要 1 个值"),
])
def test_cli_usage_errors_are_chinese_with_exit_2(args, expected):
    result = _govwatch(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert ENGLISH.findall(result.stderr) == []


def test_cli_catalog_matches_its_source():
    """click.mo is compiled from click.po (msgfmt -o click.mo click.po); a stale .mo would print English."""
    po = (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "click.po").read_text(encoding="utf-8")
    msgids = [m for m in re.findall(r'^msgid "(.+)"$', po, flags=re.M)]
    catalog = gettext.translation(CLI_DOMAIN, str(LOCALE_DIR), languages=["zh_CN"])
    assert len(msgids) > 40
    untranslated = [m for m in msgids if catalog.gettext(m.replace("\\n", "\n").replace("\\t", "\t"))
                    == m.replace("\\n", "\n").replace("\\t", "\t")]
    assert untranslated == []


@pytest.mark.parametrize("kind, out", [("circular", "x.docx"), ("quarterly", "x.docx"), ("scores-xlsx", "x.xlsx")])
def test_report_quarter_argument_check_needs_no_database(kind, out, tmp_path):
    result = _govwatch("report", "--kind", kind, "--quarter", "2026Q5", "--out", str(tmp_path / out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.strip()] == ["错误：季度格式应为 YYYYQn，如 2026Q4：2026Q5"]


def test_report_out_in_a_missing_folder_is_refused(tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.docx"
    result = _govwatch("report", "--kind", "weekly", "--out", str(target))
    assert result.returncode == 2
    assert "输出文件夹不存在" in result.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize("server", ["builtin", "gunicorn"])
def test_serve_on_a_busy_port_is_one_chinese_line(server):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _govwatch("serve", "--port", str(port), "--server", server, "--no-collectstatic")
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if line.strip()] == [f"错误：端口 {port} 已被占用，请用 --port 换一个端口"]
    assert result.stdout == ""
