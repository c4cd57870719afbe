"""政府信息公开目录 catalogue tables: a header row names the columns (索引号, 名称, 文号, 成文日期,
发布日期...), and a row's publication date is the cell under the 发布日期 header, not the first
date of the row (成文日期 often comes first)."""

from __future__ import annotations

from govwatch.extract.dom import inline_text, tag_of
from govwatch.extract.patterns import CATALOGUE_DATE_HEADERS
from govwatch.lib.cndate import find_dates

HEADER_MAX_CHARS = 8  # a header cell is a short label


def _cells(tr) -> list:
    return [c for c in tr if tag_of(c) in ("td", "th")]


def date_column(table) -> int | None:
    """Index of the cell that holds the publication date, from the table's header row; None without one."""
    for tr in table.iter("tr"):
        texts = [inline_text(c) for c in _cells(tr)]
        for i, text in enumerate(texts):
            if len(text) <= HEADER_MAX_CHARS and CATALOGUE_DATE_HEADERS.search(text):
                return i
        if any(True for _ in tr.iter("a")):
            return None  # past the header: a row of data
    return None


def row_date(row, column: int):
    """The date in a catalogue row's publication date cell, or None."""
    cells = _cells(row) if tag_of(row) == "tr" else []
    if column >= len(cells):
        return None
    found = [m.date() for m in find_dates(inline_text(cells[column]), yearless=False) if m.date() is not None]
    return found[0] if found else None
