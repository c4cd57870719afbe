"""Errors a user can act on: they name the file, the line and the field."""

from __future__ import annotations


class GovwatchError(Exception):
    """Base of every error that is the user's to fix; the CLI prints it on one line."""


class ConfigError(GovwatchError):
    """A site configuration or rulebook that cannot be used as written."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def toml_syntax_error(path, exc: Exception) -> ConfigError:
    """A ConfigError for a tomllib syntax error; Python 3.11 keeps the position only in the message."""
    import re

    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line = int(m.group(1)) if m else getattr(exc, "lineno", None)
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
    col = f"第 {m.group(2)} 列" if m else ""
    return ConfigError(str(path), line, None, f"TOML 语法错误{('（' + col + '）') if col else ''}：{detail}")
