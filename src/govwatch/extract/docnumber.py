"""文号 (document numbers): find them, and compare them in a normalized form."""

from __future__ import annotations

import re

from govwatch.extract.patterns import CLOSE_BRACKETS, DOC_NUMBER, DOC_NUMBER_ORDER, DOC_PREFIX_NOISE, OPEN_BRACKETS
from govwatch.lib.cnnum import halfwidth_digits

_OPEN = re.compile("[" + re.escape(OPEN_BRACKETS) + "]")
_CLOSE = re.compile("[" + re.escape(CLOSE_BRACKETS) + "]")
_SPACE = re.compile(r"[\s\u3000\xa0]+")


def normalize_doc_number(value: str | None) -> str | None:
    """One canonical spelling for comparison: 〔〕 brackets, ASCII digits, no spaces."""
    if not value:
        return None
    text = _SPACE.sub("", halfwidth_digits(value))
    text = _OPEN.sub("〔", text)
    text = _CLOSE.sub("〕", text)
    return text or None


def _clean_prefix(prefix: str) -> str:
    cut = DOC_PREFIX_NOISE.match(prefix)
    return prefix[cut.end():] if cut and cut.end() < len(prefix) else prefix


def find_doc_numbers(text: str | None) -> list[str]:
    """Every 文号 in `text`, as written (brackets kept), stripped of surrounding words."""
    if not text:
        return []
    text = halfwidth_digits(text)
    found: list[tuple[int, str]] = []
    for m in DOC_NUMBER.finditer(text):
        prefix = _clean_prefix(m.group("prefix"))
        start = m.start() + (len(m.group("prefix")) - len(prefix))
        found.append((start, prefix + text[m.start("prefix") + len(m.group("prefix")): m.end()].strip()))
    for m in DOC_NUMBER_ORDER.finditer(text):
        if any(abs(m.start() - s) < 3 for s, _ in found):
            continue
        prefix = _clean_prefix(m.group("prefix"))
        found.append((m.start() + len(m.group("prefix")) - len(prefix), prefix + text[m.end("prefix"): m.end()]))
    found.sort()
    return [_SPACE.sub("", v) for _, v in found]


def doc_number_from_value(value: str | None) -> str | None:
    """A header-table 文号 cell: the 文号 in it, else the cell itself when it is short and not a dash."""
    if not value:
        return None
    numbers = find_doc_numbers(value)
    if numbers:
        return numbers[0]
    value = value.strip()
    if value in ("无", "暂无", "/", "-", "—", "——") or len(value) > 40:
        return None
    return value or None


def doc_number_in_head(lines: list[str], max_lines: int = 12) -> str | None:
    """The 文号 line under a document's title: a line that is only a 文号."""
    for line in lines[:max_lines]:
        numbers = find_doc_numbers(line)
        if numbers and len(_SPACE.sub("", line)) <= len(numbers[0]) + 4:
            return numbers[0]
    return None
