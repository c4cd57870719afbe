"""Typo and wrong-expression detection (pure: no Django, Scrapy or network).

    >>> from govwatch.textcheck import get_checker
    >>> [h.right for h in get_checker().check("工作人员已为群众免费按装了节水器具。")]
    ['安装']

`check(text, whitelist=...)` takes the site's dismissed typos: plain wrong
strings, or (wrong, context-or-None) pairs (see `Whitelist`).
"""

from __future__ import annotations

import functools

from govwatch.textcheck.checker import TextChecker, Whitelist

__all__ = ["TextChecker", "Whitelist", "get_checker", "hits_to_json"]


@functools.lru_cache(maxsize=1)
def get_checker() -> TextChecker:
    """The process-wide checker (data loaded once)."""
    return TextChecker()


def hits_to_json(hits) -> list[dict]:
    """INTERFACES.md section 6 issue objects."""
    return [{"start": h.start, "end": h.end, "wrong": h.wrong, "right": h.right, "kind": h.kind,
             "confidence": h.confidence} for h in hits]
