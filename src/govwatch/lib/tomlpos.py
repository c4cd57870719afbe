"""Find the line of a key in TOML source, so that validation errors can name it.

tomllib reports positions only for syntax errors; schema errors found after
parsing need the line of the offending key, which we recover from the text.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _split_dotted(key: str) -> list[str]:
    parts, buf, quote = [], "", None
    for ch in key:
        if quote:
            if ch == quote:
                quote = None
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return parts


def find_line(text: str, path: list[str | int]) -> int | None:
    """Best-effort 1-based line of the key at `path` (e.g. ["rules", "stale.news", "points"]).

    Array indexes in `path` select the n-th `[[table]]` of that name. Returns the
    line of the deepest part of the path that could be found, or None.
    """
    names = [p for p in path if isinstance(p, str)]
    lines = text.splitlines()
    best: int | None = None
    # Walk table headers; remember which header corresponds to which path prefix.
    current: list[str] = []
    array_counts: dict[tuple[str, ...], int] = {}
    for lineno, raw in enumerate(lines, start=1):
        m = _HEADER.match(raw)
        if m:
            current = _split_dotted(m.group(1))
            if raw.strip().startswith("[["):
                key = tuple(current)
                array_counts[key] = array_counts.get(key, -1) + 1
            if _matches_prefix(current, path, array_counts):
                best = lineno
            continue
        stripped = raw.split("#", 1)[0]
        if "=" not in stripped:
            continue
        key = _split_dotted(stripped.split("=", 1)[0].strip())
        full = current + key
        if _matches_prefix(full, path, array_counts):
            best = lineno
            if full == names:
                return lineno
    return best


def _matches_prefix(keys: list[str], path: list[str | int], array_counts) -> bool:
    names = [p for p in path if isinstance(p, str)]
    if len(keys) > len(names) or names[: len(keys)] != keys:
        return False
    # If the path selects a specific array element, the header must be that element.
    idx_positions = [i for i, p in enumerate(path) if isinstance(p, int)]
    for pos in idx_positions:
        table = tuple(p for p in path[:pos] if isinstance(p, str))
        if len(keys) >= len(table) and tuple(keys[: len(table)]) == table:
            if array_counts.get(table, -1) != path[pos]:
                return False
    return True
