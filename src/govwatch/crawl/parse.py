"""Page parsing for the spider, runnable in a worker process.

Extraction is CPU-bound and the reactor is single-threaded, so on a machine
with a spare core the spider sends bytes here through a process pool and gets
small JSON-ready dicts back. Functions take and return plain data only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from govwatch import facts as F
from govwatch.crawl import verdicts as V

_FX: dict | None = None


def _fx() -> dict:
    global _FX
    if _FX is None:
        from govwatch.crawl import extractors

        _FX = extractors.load()
    return _FX


def looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def decode(body: bytes, ctype: str) -> str | None:
    """HTML text, or None when the body is not a page (a PDF, an image...)."""
    low = (ctype or "").lower()
    if low and not low.startswith(("text/html", "application/xhtml", "text/plain")):
        if not looks_like_html(body):
            return None
        ctype = ""
    return _fx()["decode_html"](body, ctype or None)


def text_hash(text: str) -> str:
    return hashlib.sha1(" ".join((text or "").split()).encode("utf-8")).hexdigest()


def _links(url: str, html: str) -> list[dict]:
    return [{"url": l.url, "kind": l.kind, "text": l.text} for l in _fx()["extract_links"](url, html)]


# An endpoint answer rather than a page: JSON, JSONP or a Hanweb datastore.
_DATA_TYPES = ("json", "javascript", "xml")
_DATA_STARTS = (b"{", b"[", b"<?xml", b"<datastore")


def _endpoint_answer(url: str, body: bytes, ctype: str) -> dict | None:
    low = (ctype or "").lower()
    head = body[:200].lstrip()
    if not (any(t in low for t in _DATA_TYPES) or head.startswith(_DATA_STARTS)) or looks_like_html(body):
        return None
    text = _fx()["decode_html"](body, ctype if "charset" in low else None)
    listing = _fx()["extract_endpoint_list"](url, text)
    if listing is None:
        return None
    return {"html": True, "list": F.jsonable(listing), "links": [], "list_hint": False,
            "page_type": "list", "page_type_signal": "endpoint_records", "page_type_confidence": 1.0}


def parse_list(url: str, body: bytes, ctype: str) -> dict:
    answer = _endpoint_answer(url, body, ctype)
    if answer is not None:
        return answer
    html = decode(body, ctype)
    if html is None:
        return {"html": False}
    listing = _fx()["extract_list"](url, html)
    shown = _fx()["classify_page"](url, html, ctype)
    out = {"html": True, "list": F.jsonable(listing), "links": _links(url, html),
           "list_hint": not listing.items and list_hint(html), **shown.as_fields()}
    if shown.type == "index":
        # A section index shows the latest items of several columns: they are items, not navigation.
        out["item_links"] = [i.url for i in _fx()["dated_items"](url, html)]
    return out


# A list page with nothing in it and no placeholder text still says what it is:
# the 政府网站发展指引 ColumnType meta, or an empty list container.
_COLUMN_TYPE = re.compile(r"""<meta\s+name=["']ColumnType["']\s+content=["']([^"']*)""", re.I)
_EMPTY_LIST = re.compile(r"""<(ul|ol|table|tbody|div)\b[^>]*class=["'][^"']*(?:list|news)[^"']*["'][^>]*>\s*</\1>""", re.I)
LIST_COLUMN_TYPES = ("列表",)


def list_hint(html: str) -> bool:
    match = _COLUMN_TYPE.search(html[:8000])
    if match and any(word in match.group(1) for word in LIST_COLUMN_TYPES):
        return True
    return bool(_EMPTY_LIST.search(html))


def parse_detail(url: str, body: bytes, ctype: str, kind: str, list_date: str | None, elements: dict) -> dict:
    html = decode(body, ctype)
    if html is None:
        return {"html": False}
    if V.soft404_by_content(html):
        return {"html": True, "soft404": True}
    fx = _fx()
    if kind == "question":
        facts = fx["extract_question"](url, html)
        text = facts.reply_text or V.visible_text(html)
    elif kind == "guide":
        facts = fx["extract_guide"](url, html, elements)
        text = V.visible_text(html)
    else:
        day = dt.date.fromisoformat(list_date[:10]) if list_date else None
        facts = fx["extract_article"](url, html, day)
        text = facts.text
    return {"html": True, "soft404": False, "facts": F.jsonable(facts), "links": _links(url, html),
            "text_hash": text_hash(text), **fx["classify_page"](url, html, ctype).as_fields()}


def list_digest(data: dict | None) -> str | None:
    """What a list page says, as a digest: its items (URL, title, date, row text), its page links
    and its placeholder. Equal digests mean the same list, whatever else changed on the page."""
    if not data:
        return None
    items = [[i.get("url"), i.get("title"), i.get("date"), i.get("row", "")] for i in data.get("items", ())]
    raw = json.dumps([items, list(data.get("pages", ())), data.get("placeholder")], ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def listpage_from_json(data: dict) -> F.ListPage:
    """Fast rebuild (from_jsonable resolves type hints on every call)."""
    items = tuple(F.ListItem(title=i["title"], url=i["url"],
                             date=dt.date.fromisoformat(i["date"][:10]) if i.get("date") else None,
                             row=i.get("row", "")) for i in data.get("items", ()))
    return F.ListPage(url=data["url"], column_name=data.get("column_name"), items=items,
                      pages=tuple(data.get("pages", ())), placeholder=data.get("placeholder"),
                      read_via=data.get("read_via") or "static")


def warm() -> bool:
    """Imported and ready (called once per pool worker at start)."""
    _fx()
    return True
