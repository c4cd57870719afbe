"""Small helpers shared by the command-line edges."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import click

# click looks its own messages ("Usage:", "Options", "Error: ...") up through
# the process-wide gettext domain; govwatch ships a Chinese catalog for them.
LOCALE_DIR = Path(__file__).with_name("locale")
CLI_DOMAIN = "click"

# Placeholders click prints in usage lines and option lists; they are not
# gettext messages, so the command tree is given Chinese ones directly.
TYPE_METAVARS = {"text": "文本", "integer": "整数", "float": "数字", "boolean": "是/否",
                 "file": "文件", "directory": "目录", "path": "路径", "filename": "文件",
                 # click.Path names itself through gettext, so it may already be Chinese.
                 "文件": "文件", "目录": "目录", "路径": "路径"}


class InputError(click.ClickException):
    """A user's mistake: one Chinese line on stderr, exit status 2, no usage banner."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"错误：{self.format_message()}", err=True)


def read_user_file(path: Path) -> bytes:
    """The bytes of a file the user named, or an InputError that says why not."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise InputError(f"不是文件：{path}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def check_out_dir(out) -> None:
    """An output file's folder must exist: a typo in --out must not create a stray tree of folders."""
    parent = Path(out).expanduser().parent
    if not parent.is_dir():
        raise InputError(f"输出文件夹不存在：{parent}（请先创建，或检查 --out 的路径）")


def install_zh_messages() -> None:
    """Make click's built-in help and error lines Chinese for this process.

    The product speaks only Chinese, so the message language is fixed rather
    than taken from the user's locale (a server's LANG is usually C.UTF-8).
    """
    os.environ["LANGUAGE"] = "zh_CN"
    gettext.bindtextdomain(CLI_DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(CLI_DOMAIN)


def localize(command: click.Command) -> click.Command:
    """Give a command (and its subcommands) Chinese usage placeholders, once."""
    if getattr(command, "_govwatch_localized", False):
        return command
    command._govwatch_localized = True
    command.options_metavar = "[选项]"
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag \
                and not isinstance(param.type, click.Choice):
            param.metavar = TYPE_METAVARS.get(param.type.name, "值")
        elif isinstance(param, click.Argument) and param.metavar is None:
            param.metavar = TYPE_METAVARS.get(param.type.name, "参数")
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]..."
        for sub in command.commands.values():
            localize(sub)
    return command
