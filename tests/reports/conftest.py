"""Fixtures for the report tests: the factory data set and helpers that read the generated files."""

from __future__ import annotations

import datetime as dt

import pytest

from .factories import build


# The Monday after the factory's last weekly run: the quarter so far is 1 Oct - 29 Nov,
# so its weeks without a run (from 1, 5 and 12 Oct) are missing for every unit.
TODAY = dt.date(2026, 11, 30)
NO_RUN_WEEKS = (dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 12))


@pytest.fixture
def data(db, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return build()


@pytest.fixture
def no_setup(monkeypatch):
    """The report command in-process: the test database is already set up."""
    import govwatch.monitoring.bootstrap as bootstrap

    monkeypatch.setattr(bootstrap, "setup_django", lambda migrate=True: None)


def docx_text(path) -> str:
    """Every paragraph and every table cell of a .docx, in document order, one per line."""
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    # What a person reads: the zero-width spaces that let addresses wrap at slashes are invisible.
    return "\n".join(lines).replace("\u200b", "")


def docx_tables(path) -> list[list[list[str]]]:
    from docx import Document

    return [[[c.text.replace("\u200b", "") for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def table_with_header(path, first: str, second: str | None = None) -> list[list[str]]:
    for t in docx_tables(path):
        if t and t[0][0] == first and (second is None or t[0][1] == second):
            return t
    raise AssertionError(f"no table starting with {first!r} in {path}")
