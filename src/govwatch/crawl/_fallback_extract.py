"""A minimal stand-in for govwatch.extract, used only while that package lacks a function.

It understands the simple pages of the crawler's own test fixtures; the real
extractors live in govwatch.extract.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

import lxml.html

from govwatch.facts import ArticleFacts, GuideFacts, Link, ListItem, ListPage, QuestionFacts, Signature

_DATE = re.compile(r"(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_TRS = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]")
_ATTACH = re.compile(r"\.(docx?|xlsx?|pdf|zip|rar|wps|et|txt|pptx?)$", re.I)
PLACEHOLDERS = ("暂无信息", "暂无内容", "暂无数据", "暂无记录")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    label = None
    if content_type and "charset=" in content_type.lower():
        label = content_type.lower().split("charset=")[-1].split(";")[0].strip()
    if not label:
        m = _CHARSET.search(body[:4096])
        label = m.group(1).decode("ascii").lower() if m else "utf-8"
    if label in ("gb2312", "gbk", "gb_2312-80"):
        label = "gb18030"
    try:
        return body.decode(label, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _date(text: str):
    m = _DATE.search(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _doc(html: str):
    return lxml.html.fromstring(html or "<html></html>")


def extract_list(url: str, html: str) -> ListPage:
    doc = _doc(html)
    items = []
    for row in doc.xpath("//li|//tr"):
        anchors = row.xpath(".//a[@href]")
        text = " ".join(row.text_content().split())
        date = _date(text)
        if anchors and date:
            a = anchors[0]
            items.append(ListItem(title=" ".join(a.text_content().split()), url=urljoin(url, a.get("href")),
                                  date=date, row=text))
    pages = []
    m = _TRS.search(html)
    if m:
        count, _, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        pages = [urljoin(url, f"{stem}_{i}.{ext}") for i in range(1, count)] + [urljoin(url, f"{stem}.{ext}")]
    for a in doc.xpath("//*[contains(@class,'page')]//a[@href]"):
        pages.append(urljoin(url, a.get("href")))
    pages = tuple(dict.fromkeys(p for p in pages if p != url))
    body = " ".join(doc.text_content().split())
    placeholder = next((p for p in PLACEHOLDERS if p in body), None) if not items else None
    h = doc.xpath("//h1|//h2")
    name = " ".join(h[0].text_content().split()) if h else None
    return ListPage(url=url, column_name=name, items=tuple(items), pages=pages, placeholder=placeholder)


def extract_links(url: str, html: str) -> list[Link]:
    doc = _doc(html)
    out = []
    for a in doc.xpath("//a[@href]"):
        href = a.get("href").strip()
        if href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        target = urljoin(url, href).split("#")[0]
        out.append(Link(url=target, kind="attachment" if _ATTACH.search(target) else "a",
                        text=" ".join(a.text_content().split())[:100]))
    for img in doc.xpath("//img[@src]"):
        out.append(Link(url=urljoin(url, img.get("src").strip()), kind="img"))
    return out


def extract_article(url: str, html: str, list_date=None) -> ArticleFacts:
    doc = _doc(html)
    title = doc.findtext(".//title")
    text = " ".join(doc.text_content().split())
    published = _date(text)
    return ArticleFacts(url=url, title=title, published_at=published or list_date,
                        published_source=("label" if published else ("list" if list_date else None)),
                        event_date=None, signature=Signature(None, None), written_date=None, doc_number=None,
                        index_number=None, publisher=None, attachments=(), mentions_attachment=False, text=text)


def extract_question(url: str, html: str) -> QuestionFacts:
    doc = _doc(html)
    return QuestionFacts(url=url, title=doc.findtext(".//title"), asked_at=_date(doc.text_content()),
                         answered_at=None, status=None, extension=False)


def extract_guide(url: str, html: str, elements=None) -> GuideFacts:
    doc = _doc(html)
    text = doc.text_content()
    present = tuple(name for name, words in (elements or {}).items() if any(w in text for w in words))
    return GuideFacts(url=url, title=doc.findtext(".//title"), elements=present, forms=())
