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
