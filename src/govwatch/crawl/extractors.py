"""The extract API the crawler calls, resolved lazily: govwatch.extract when it has a
function, else the minimal fallback (so the crawler works while extract is built)."""

from __future__ import annotations

import importlib

_NAMES = ("decode_html", "extract_list", "extract_article", "extract_question", "extract_guide", "extract_links")


def load() -> dict:
    fns = {}
    try:
        real = importlib.import_module("govwatch.extract")
    except Exception:  # a broken extract package must not stop the crawl
        real = None
    from govwatch.crawl import _fallback_extract as fallback

    for name in _NAMES:
        fns[name] = getattr(real, name, None) or getattr(fallback, name)
    return fns
