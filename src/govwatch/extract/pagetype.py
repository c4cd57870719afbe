"""What a page is, from what it shows: list, article, index, guide, consultation, attachment, other.

The main content block decides, not the number of dates on the page. An article page often
carries dated sidebars (相关文章, 最新信息, 热点信息, 上一篇/下一篇); a section index shows the
latest few items of each of its columns. Neither is a column.

Evidence is weighed as named signals. Each signal found adds its weight to the type it speaks
for; the type with the larger sum wins, its strongest signal is recorded as the deciding one,
and the confidence is the winner's share of all the evidence (so a close call is low
confidence and goes to review downstream). No URL pattern is consulted: CMS families lay out
their URLs differently, and a classifier keyed on ours would fail on theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govwatch.extract import listpage as L
from govwatch.extract.dom import (
    block_text, drop_boilerplate, drop_noise, inline_text, meta_lookup, meta_tags, parse, with_records,
)
from govwatch.extract.guide import extract_guide
from govwatch.extract.labels import info_tables
from govwatch.extract.links import link_text
from govwatch.extract.listforms import read_forms
from govwatch.extract.patterns import GUIDE_MARKERS_MIN, QUESTION_MARKERS, SIDEBAR_HEADINGS
from govwatch.lib.cndate import find_dates

PAGE_TYPES = ("list", "article", "index", "guide", "consultation", "attachment", "other")

# Signal weights. Article evidence and list evidence compete; the others decide outright.
ARTICLE_SIGNALS = {
    "article_meta": 3.0,  # 政府网站发展指引 ArticleTitle / PubDate: detail pages only
    "info_table": 3.0,  # 信息公开 header table (索引号, 发布机构, 成文日期...)
    "publication_label": 2.0,  # 发布时间：/发布日期：/来源： with a date, outside the main list
    "prose_body": 2.0,  # sentence text outside the main list, at least ARTICLE_MIN_PROSE characters
    "prose_dominates": 1.5,  # that prose outweighs the list's own text (the list is a sidebar)
    "prev_next": 1.0,  # 上一篇 / 下一篇
    "article_tools": 1.0,  # 打印本页, 关闭窗口, 字号 大 中 小
    "sidebar_list": 1.0,  # the page's only dated rows sit under a 相关信息/最新信息/热点信息 heading
}
LIST_SIGNALS = {
    "list_pagination": 3.0,  # the list has pages (links, script pager, record endpoint)
    "dated_list": 2.5,  # at least LIST_MIN_DATED dated rows in the main list
    "list_dominates": 1.5,  # the list's text outweighs the prose around it
    "column_type_meta": 2.0,  # ColumnType meta says 列表
    "dated_rows": 1.0,  # 1..LIST_MIN_DATED-1 dated rows
    "list_placeholder": 1.5,  # 暂无信息 where a list would be
    "script_records": 2.5,  # dated records in the page's scripts, written out by script
    "list_endpoint": 2.0,  # the page's script loads its list from an endpoint that it names
}
OUTRIGHT = {
    "content_type": 1.0,  # a non-HTML answer (PDF, Word, Excel...): an attachment
    "consultation_labels": 0.9,
    "guide_elements": 0.85,
    "multi_list_blocks": 0.8,  # several short dated blocks, none dominant: a section index
    "link_hub": 0.5,  # many links, no dates, no prose: navigation
    "nothing": 0.3,
}

ARTICLE_MIN_PROSE = 120  # characters of sentence text that make a body
LIST_MIN_DATED = 5
INDEX_MIN_BLOCKS = 3  # separate dated blocks on a section index
INDEX_DOMINANCE = 2.0  # a block with this many times the dated rows of the next one is the page's list
LINK_HUB_MIN = 8  # undated links that make a navigation page
CONSULTATION_MIN_LABELS = 2
SIDEBAR_MAX_ROWS = 10  # a box beside the body; a column's own page shows more, or pages on
HEADING_MAX_CHARS = 40  # text before a list that can be its heading
ROW_MAX_CHARS = 160  # a list row: a title, a date, a status

SENTENCE = re.compile(r"[。；！？]")
SENTENCE_END = re.compile(r"。")  # titles in a list carry none
PUBLICATION_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|发布于|更新时间|信息来源|来源)\s*[:：]")
PREV_NEXT = re.compile(r"上一篇|下一篇|上一条|下一条")
ARTICLE_TOOLS = re.compile(r"打印本页|打印此页|关闭窗口|【?\s*字号|字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小")
LIST_COLUMN_TYPES = ("列表",)
NON_HTML = ("application/pdf", "application/msword", "application/vnd", "application/zip", "application/x-rar",
            "image/", "video/", "audio/", "application/octet-stream")


@dataclass(frozen=True)
class PageType:
    type: str  # one of PAGE_TYPES
    signal: str  # the signal that decided
    confidence: float  # 0..1

    def as_fields(self) -> dict:
        return {"page_type": self.type, "page_type_signal": self.signal,
                "page_type_confidence": round(self.confidence, 2)}


def classify_page(url: str, html: str | bytes | None, content_type: str | None = None) -> PageType:
    """Never raises: an unreadable page is "other" with low confidence."""
    low = (content_type or "").lower()
    if low.startswith(NON_HTML) and not (html and str(html[:200]).lstrip().lower().startswith(("<!doctype", "<html"))):
        return PageType("attachment", "content_type", OUTRIGHT["content_type"])
    try:
        return _classify(url or "", html if isinstance(html, str) else (html or b"").decode("utf-8", "replace"))
    except Exception:
        return PageType("other", "nothing", OUTRIGHT["nothing"])


def _classify(url: str, html: str) -> PageType:
    root = parse(with_records(html))
    meta = meta_tags(root)
    drop_noise(root)
    text = block_text(root)
    if sum(1 for m in QUESTION_MARKERS if m in text) >= CONSULTATION_MIN_LABELS:
        return PageType("consultation", "consultation_labels", OUTRIGHT["consultation_labels"])
    if len(extract_guide(url, html).elements) >= GUIDE_MARKERS_MIN:
        return PageType("guide", "guide_elements", OUTRIGHT["guide_elements"])
    article: dict[str, float] = {}
    listed: dict[str, float] = {}
    if meta_lookup(meta, ("ArticleTitle", "PubDate")):
        article["article_meta"] = ARTICLE_SIGNALS["article_meta"]
    if info_tables(root):
        article["info_table"] = ARTICLE_SIGNALS["info_table"]
    column_type = meta_lookup(meta, ("ColumnType",)) or ""
    if any(word in column_type for word in LIST_COLUMN_TYPES):
        listed["column_type_meta"] = LIST_SIGNALS["column_type_meta"]
    pages = L.pages_of(root, url, html, text)
    drop_boilerplate(root)

    blocks = dated_blocks(root)
    picked = L._pick_list(root)
    # A list row is short and holds a title, not sentences; a "row" holding paragraphs is a wrapper
    # around the body, not a list.
    rows = [r for r in (picked[1] if picked else []) if _list_row(r)]
    if picked and 0 < len(rows) <= SIDEBAR_MAX_ROWS and not _numbered(pages) and _under_sidebar_heading(picked[0]):
        # The dated rows are a sidebar box (相关信息, 最新信息): the page's own content is elsewhere.
        article["sidebar_list"] = ARTICLE_SIGNALS["sidebar_list"]
        rows = []
    dated = sum(1 for r in rows if L._row_date(L._row_text(r), link_text(L._main_link(r))))
    inside = {el for r in rows for el in r.iter()}
    prose, outside = _prose_outside(root, inside)
    list_chars = sum(len(L._row_text(r)) for r in rows)

    if dated and _numbered(pages):
        listed["list_pagination"] = LIST_SIGNALS["list_pagination"]
    if dated >= LIST_MIN_DATED:
        listed["dated_list"] = LIST_SIGNALS["dated_list"]
    elif dated:
        listed["dated_rows"] = LIST_SIGNALS["dated_rows"]
    if not dated and L.placeholder_of(block_text(root), [], L.DEFAULT_PLACEHOLDERS):
        listed["list_placeholder"] = LIST_SIGNALS["list_placeholder"]
    if not dated:
        found = read_forms(url, html, 0, 0)
        if found is not None and any(i.date for i in found.items):
            listed["script_records"] = LIST_SIGNALS["script_records"]
        elif found is not None and found.form == "endpoint" and found.pages:
            listed["list_endpoint"] = LIST_SIGNALS["list_endpoint"]
    if dated and list_chars > 2 * prose:
        listed["list_dominates"] = LIST_SIGNALS["list_dominates"]
    if prose >= ARTICLE_MIN_PROSE:
        article["prose_body"] = ARTICLE_SIGNALS["prose_body"]
        if prose > list_chars:
            article["prose_dominates"] = ARTICLE_SIGNALS["prose_dominates"]
    label = PUBLICATION_LABEL.search(outside)
    if label and find_dates(outside[label.end():label.end() + 40], yearless=False):
        article["publication_label"] = ARTICLE_SIGNALS["publication_label"]
    if PREV_NEXT.search(text):
        article["prev_next"] = ARTICLE_SIGNALS["prev_next"]
    if ARTICLE_TOOLS.search(text):
        article["article_tools"] = ARTICLE_SIGNALS["article_tools"]

    # A section index: several short dated blocks, none of which is the page's list.
    if len(blocks) >= INDEX_MIN_BLOCKS and not _numbered(pages) and "prose_body" not in article:
        sizes = sorted(blocks, reverse=True)
        if sizes[0] < INDEX_DOMINANCE * sizes[1]:
            return PageType("index", "multi_list_blocks", OUTRIGHT["multi_list_blocks"])

    a, b = sum(article.values()), sum(listed.values())
    if a == 0 and b == 0:
        links = sum(1 for _ in root.iter("a"))
        if links >= LINK_HUB_MIN and prose < ARTICLE_MIN_PROSE:
            return PageType("index", "link_hub", OUTRIGHT["link_hub"])
        return PageType("other", "nothing", OUTRIGHT["nothing"])
    if a > b:
        return PageType("article", max(article, key=article.get), a / (a + b))
    return PageType("list", max(listed, key=listed.get), b / (a + b))


NUMBERED_PAGE = re.compile(r"(?:_\d+\.\w+$|[?&][^=]*(?:page|record|pn|p)[^=]*=\d+)", re.I)


def _numbered(pages) -> bool:
    """A real pager names a numbered page; a lone link back to a column's index.html is a breadcrumb."""
    return any(NUMBERED_PAGE.search(p) for p in pages)


def dated_blocks(root) -> list[int]:
    """Dated-row counts of the separate lists of a page (innermost containers, none inside another)."""
    found = []
    for el, linked, dated in L._candidates(root):
        short = [r for r in linked if _list_row(r)]
        dated = sum(1 for r in short if L._row_date(L._row_text(r), link_text(L._main_link(r))))
        if dated >= 2:
            found.append((el, dated))
    picked: list = []
    # Deepest first: a wrapper around two lists is not a third list.
    for el, dated in sorted(found, key=lambda f: -_depth(f[0])):
        if any(_contains(el, p) for p, _ in picked):
            continue
        picked.append((el, dated))
    return [d for _, d in picked]


def _list_row(row) -> bool:
    text = L._row_text(row)
    return len(text) <= ROW_MAX_CHARS and not SENTENCE_END.search(text)


def _under_sidebar_heading(el) -> bool:
    """The list's heading (a preceding sibling, or the start of its box) names a sidebar."""
    parent = el.getparent()
    candidates = [s for s in el.itersiblings(preceding=True)][:2]
    if parent is not None:
        candidates.append(parent)
    for c in candidates:
        text = (inline_text(c) if c is not parent else (parent.text or "") + " ".join(
            inline_text(s) for s in el.itersiblings(preceding=True)))[:HEADING_MAX_CHARS]
        if SIDEBAR_HEADINGS.search(text):
            return True
    return False


def _depth(el) -> int:
    n = 0
    while el is not None:
        el = el.getparent()
        n += 1
    return n


def _contains(outer, inner) -> bool:
    while inner is not None:
        if inner is outer:
            return True
        inner = inner.getparent()
    return False


def _prose_outside(root, inside: set) -> tuple[int, str]:
    """Characters of sentence text outside the main list, and all text outside it."""
    prose = 0
    parts = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el in inside:
            continue
        own = [el.text or ""] + [(c.tail or "") for c in el]
        chunk = " ".join(s.strip() for s in own if s and s.strip())
        if not chunk:
            continue
        parts.append(chunk)
        if SENTENCE.search(chunk):
            prose += len(chunk)
    return prose, "\n".join(parts)
