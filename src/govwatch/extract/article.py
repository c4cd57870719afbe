"""Article pages: the publish-date cascade, header-table fields, 落款, attachments."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re

from govwatch.extract.body import body_text
from govwatch.extract.docnumber import doc_number_from_value, doc_number_in_head
from govwatch.extract.dom import (
    block_text, clean_ws, drop_boilerplate, drop_noise, inline_text, meta_lookup, meta_tags, page_title, parse,
)
from govwatch.extract.labels import LabelIndex, info_tables, labelled, table_value, text_value
from govwatch.extract.links import attachments_of, links_of
from govwatch.extract.patterns import (
    DATELINE_WINDOW, GOV_META_NAMES, INDEX_NUMBER_VALUE, LABEL_GAP, INFO_LABELS, MENTIONS_ATTACHMENT, META_PUBDATE, META_TITLE,
    PUBLISHED_LABELS, SOURCE_LABELS, TITLE_SEPARATORS,
)
from govwatch.extract.signature import find_signature
from govwatch.facts import ArticleFacts, Signature
from govwatch.lib.cndate import find_dates, parse_date, parse_day, url_date

# A date further in the future than this (relative to nothing: absolute sanity) is not a publish date.
_MAX_FUTURE_YEAR = 2100


def gov_meta(meta: dict[str, str]) -> dict[str, str]:
    """The 政府网站发展指引 meta tags present, under their canonical names."""
    lowered = {k.lower(): v for k, v in meta.items()}
    return {name: lowered[name.lower()] for name in GOV_META_NAMES if name.lower() in lowered}


def _info_value(tables, field: str) -> str | None:
    for table in tables:
        value = table_value(table, INFO_LABELS[field])
        if value is not None:
            return value
        # Label and value in one cell: <td>索引号：000014349/2019-00007</td>.
        found = text_value(block_text(table), INFO_LABELS[field])
        if found is not None:
            return found[0]
    return None


def _date_from(value: str | None):
    return parse_date(value) if value else None


@functools.lru_cache(maxsize=64)
def _label_date_regex(label: str) -> re.Pattern:
    gapped = LABEL_GAP.join(re.escape(ch) for ch in label)
    # The value may sit on the next line when label and date are separate blocks.
    return re.compile(rf"(?<![\u4e00-\u9fff]){gapped}{LABEL_GAP}[:：]?[ \t\u3000\xa0]*\n?[ \t\u3000\xa0]*")


def labelled_date(text: str, labels=PUBLISHED_LABELS):
    """A date written right after one of `labels` (colon optional), most specific label first."""
    for label in labels:
        for m in _label_date_regex(label).finditer(text or ""):
            window = text[m.end(): m.end() + 40]
            dates = find_dates(window, yearless=False)
            if dates and dates[0].start == 0 and dates[0].value() is not None:
                return dates[0].value()
    return None


def dateline(page_text: str, title: str | None):
    """An unlabelled date next to the title (news datelines), else the first date with a time."""
    if title:
        pos = page_text.find(title[:20])
        if pos >= 0:
            start = pos + min(len(title), 20)
            for m in find_dates(page_text[start: start + DATELINE_WINDOW], yearless=False):
                if m.value() is not None:
                    return m.value()
    for m in find_dates(page_text, yearless=False):
        if m.hour is not None and m.value() is not None:
            return m.value()
    return None


def published_cascade(meta, tables, page_text: str, url: str, list_date: dt.date | None, title: str | None = None):
    """(value, source) from the most reliable source that has a date."""
    value = _date_from(meta_lookup(meta, META_PUBDATE))
    if value:
        return value, "meta"
    value = _date_from(_info_value(tables, "published"))
    if value:
        return value, "info_table"
    value = labelled_date(page_text)
    if value:
        return value, "label"
    if list_date:
        return list_date, "list"
    value = url_date(url)
    if value:
        return value, "url"
    # Last resort, weaker than the list and URL: a dateline printed without a label.
    value = dateline(page_text, title)
    if value:
        return value, "text"
    return None, None


def title_of(root, meta, tables) -> str | None:
    value = meta_lookup(meta, META_TITLE)
    if value and value.strip():
        return clean_ws(value)
    value = _info_value(tables, "title")
    if value:
        return clean_ws(value)
    head_title = page_title(root) or ""
    candidates = []
    for tag in ("h1", "h2", "h3"):
        for el in root.iter(tag):
            text = inline_text(el)
            if len(text) >= 4:
                candidates.append(text)
    for text in candidates:
        if text in head_title or (len(head_title) >= 6 and head_title.split()[0][:12] in text):
            return text
    # Title-like class names (articleTitle, news_title, tit) are common when there is no h1.
    for el in root.iter("div", "p", "span", "td", "strong"):
        cls = (el.get("class") or "") + " " + (el.get("id") or "")
        if re.search(r"(?:^|[\s_\-])(?:title|tit|bt|biaoti)(?:$|[\s_\-\d])|articletitle|newstitle|arttitle", cls, re.I):
            text = inline_text(el)
            if 4 <= len(text) <= 120 and (not head_title or text[:6] in head_title):
                return text
    if candidates:
        return candidates[0]
    if head_title:
        parts = [p for p in TITLE_SEPARATORS.split(head_title) if p.strip()]
        return parts[0].strip() if parts else head_title
    return None


def event_date_of(text: str, published: dt.date | None) -> dt.date | None:
    """The date the text mentions closest to, and not after, the publish date."""
    if published is None:
        return None
    best = None
    for match in find_dates(text):
        day = match.resolve(published)
        if day is None or day > published:
            continue
        if best is None or day > best:
            best = day
    return best


def _index_number(value: str | None) -> str | None:
    """The 索引号 as written (first token of the cell); codes mixing in Chinese are kept whole."""
    value = clean_ws(value)
    if not value or value in ("无", "暂无", "/", "-"):
        return None
    token = value.split(" ")[0]
    if len(token) <= 60:
        return token
    m = INDEX_NUMBER_VALUE.search(token)
    return m.group(0) if m else None


def extract_article(url: str, html: str, list_date: dt.date | None = None) -> ArticleFacts:
    try:
        return _extract_article(url or "", html, list_date)
    except Exception:  # never let a hostile page stop a crawl
        return ArticleFacts(url=url or "", title=None, published_at=list_date, published_source="list" if list_date else None,
                            event_date=None, signature=Signature(None, None), written_date=None, doc_number=None,
                            index_number=None, publisher=None, attachments=(), mentions_attachment=False, text="")


def _extract_article(url: str, html: str, list_date: dt.date | None) -> ArticleFacts:
    root = parse(html)
    meta = meta_tags(root)
    drop_noise(root)
    tables = info_tables(root)
    page_text = block_text(root)
    index = LabelIndex(root)

    title = title_of(root, meta, tables)
    published, source = published_cascade(meta, tables, page_text, url, list_date, title)
    text = body_text(root)
    lines = text.split("\n")

    doc_value = _info_value(tables, "doc_number")
    if doc_value is None:
        doc_value, _ = labelled(root, INFO_LABELS["doc_number"], page_text, index)
    doc_number = doc_number_from_value(doc_value) or doc_number_in_head(lines)

    index_value = _info_value(tables, "index_number")
    if index_value is None:
        index_value, _ = labelled(root, INFO_LABELS["index_number"], page_text, index)

    publisher = _info_value(tables, "publisher")
    if not publisher:
        publisher, _ = labelled(root, INFO_LABELS["publisher"], page_text, index)
    if not publisher:
        publisher = meta_lookup(meta, ("ContentSource",))
    if not publisher:
        publisher, _ = labelled(root, SOURCE_LABELS, page_text, index)

    written = _info_value(tables, "written_date")
    if written is None:
        written, _ = labelled(root, INFO_LABELS["written_date"], page_text, index)

    signature = find_signature(text)
    pub_day = published.date() if isinstance(published, dt.datetime) else published

    cleaned = copy.deepcopy(root)
    drop_boilerplate(cleaned)
    attachments = attachments_of(cleaned, url)
    return ArticleFacts(
        url=url,
        title=title,
        published_at=published,
        published_source=source,
        event_date=event_date_of(f"{title or ''}\n{text}", pub_day),
        signature=signature,
        written_date=parse_day(written),
        doc_number=doc_number,
        index_number=_index_number(index_value),
        publisher=clean_ws(publisher) or None if publisher else None,
        attachments=tuple(attachments),
        mentions_attachment=bool(MENTIONS_ATTACHMENT.search(text)),
        text=text,
        links=sum(1 for link in links_of(root, url) if link.kind != "img"),
        meta=gov_meta(meta),
    )
