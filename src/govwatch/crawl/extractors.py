"""The extract API the crawler calls (govwatch.extract), as a name -> function table
so that a worker process and the reactor process resolve it the same way."""

from __future__ import annotations

_NAMES = ("decode_html", "extract_list", "extract_article", "extract_question", "extract_guide", "extract_links", "classify_page",
          "extract_endpoint_list", "dated_items")


def load() -> dict:
    from govwatch import extract

    return {name: getattr(extract, name) for name in _NAMES}
