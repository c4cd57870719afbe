"""`extract_page`: one saved page to the INTERFACES.md §5 JSON object."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govwatch.extract.article import extract_article
from govwatch.extract.dom import block_text, drop_noise, meta_lookup, meta_tags, parse
from govwatch.extract.encoding import decode_html
from govwatch.extract.guide import extract_guide
from govwatch.extract.labels import info_tables
from govwatch.extract.links import is_attachment
from govwatch.extract.listpage import extract_list
from govwatch.extract.patterns import GUIDE_MARKERS_MIN, QUESTION_MARKERS
from govwatch.extract.question import extract_question
from govwatch.facts import jsonable

KINDS = ("auto", "article", "list", "question", "guide")
# A list page has many dated links and little prose of its own.
LIST_MIN_ITEMS = 5
PROSE_LINE = 80


def guess_kind(url: str, html: str) -> str:
    try:
        root = parse(html)
        drop_noise(root)
        text = block_text(root)
    except Exception:
        return "article"
    if sum(1 for m in QUESTION_MARKERS if m in text) >= 2:
        return "question"
    guide = extract_guide(url, html)
    if len(guide.elements) >= GUIDE_MARKERS_MIN:
        return "guide"
    meta = meta_tags(root)
    # The 政府网站发展指引 puts ArticleTitle/PubDate on detail pages only.
    if meta_lookup(meta, ("ArticleTitle", "PubDate")) or info_tables(root):
        return "article"
    listing = extract_list(url, html)
    # Download links (附件) are not list entries of a column page for this decision.
    pages_listed = [item for item in listing.items if not is_attachment(item.url, item.title)]
    dated = sum(1 for item in pages_listed if item.date)
    if dated or listing.pages or (listing.placeholder and not listing.items) or len(pages_listed) >= LIST_MIN_ITEMS:
        # A body paragraph (a long sentence-bearing line) means an article that happens to list links.
        long_prose = [line for line in text.split("\n") if len(line) >= PROSE_LINE and "。" in line]
        if len(long_prose) < max(2, dated):
            return "list"
    return "article"


def _article_json(facts) -> dict[str, Any]:
    return {
        "kind": "article",
        "url": facts.url,
        "title": facts.title,
        "published_at": jsonable(facts.published_at),
        "published_source": facts.published_source,
        "event_date": jsonable(facts.event_date),
        "signature": jsonable(facts.signature),
        "written_date": jsonable(facts.written_date),
        "doc_number": facts.doc_number,
        "index_number": facts.index_number,
        "publisher": facts.publisher,
        "attachments": jsonable(facts.attachments),
        "mentions_attachment": facts.mentions_attachment,
        "links": facts.links,
        "text_chars": facts.text_chars,
        "meta": facts.meta,
    }


def extract_page(url: str, body: bytes, content_type: str | None = None, kind: str = "auto",
                 list_date: dt.date | None = None) -> dict[str, Any]:
    html = decode_html(body, content_type) if isinstance(body, (bytes, bytearray)) else (body or "")
    url = url or ""
    if kind not in KINDS:
        kind = "auto"
    if kind == "auto":
        kind = guess_kind(url, html)
    if kind == "list":
        return {"kind": "list", **jsonable(extract_list(url, html))}
    if kind == "question":
        return {"kind": "question", **jsonable(extract_question(url, html))}
    if kind == "guide":
        return {"kind": "guide", **jsonable(extract_guide(url, html))}
    return _article_json(extract_article(url, html, list_date))
