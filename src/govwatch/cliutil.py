"""Small helpers shared by the command-line edges."""

from __future__ import annotations

from pathlib import Path

import click


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
