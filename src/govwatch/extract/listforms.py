"""List forms beyond static HTML rows: what the page shows decides which reader applies.

Chinese government CMS families write their column lists in a few recurring ways:

- Hanweb 大汉 jcms: the first page's rows sit as CDATA `<record>`s in a
  `<script type="text/xml"><datastore>` block (spliced in by dom.with_records); its
  `<nextgroup>` names the `module/web/jpage/dataproxy.jsp` endpoint, which answers
  `?page=N` (or `startrecord/endrecord/perpage`) with the same XML and a `<totalpage>`.
- In-house Vue/jQuery platforms: the rows are JSON in a `<script>` (`var list = [...]`,
  `window.__DATA__ = {...}`, `<script type="application/json">`) and written into the page by
  script, or fetched from a JSON endpoint the page's script names (`$.ajax({url: ...})`, `fetch(...)`).
- A 政府信息公开目录 catalogue frame: the list is another document in an `<iframe>`.

Each reader is a detector in `FORMS` (name, function): it looks at the page text and returns
what it found, or nothing. Pure functions; chompjs parses JavaScript object literals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import chompjs

from govwatch.facts import ListItem
from govwatch.lib.cndate import find_dates

# Safety cap on pages generated from a stated total (crawler trap guard, as for createPageHTML).
MAX_ENDPOINT_PAGES = 2000

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
IFRAME = re.compile(r"""<iframe\b[^>]*\bsrc\s*=\s*["']([^"']+)["']""", re.I)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
TOTAL_PAGES = re.compile(r"(?:totalpage|totalPages?|pageCount|pagecount|countPage)\s*[=:>]\s*['\"]?(\d{1,5})", re.I)
TOTAL_RECORDS = re.compile(r"(?:totalrecord|totalRecord|totalCount|recordCount)\s*[=:>]\s*['\"]?(\d{1,7})", re.I)
PER_PAGE = re.compile(r"(?:perpage|perPage|pageSize|pagesize)\s*[=:>]\s*['\"]?(\d{1,4})", re.I)
# Script calls that load data: the URL they name is a list endpoint when its answer holds records.
LOADER = re.compile(
    r"""(?:\$\.(?:ajax|get|post|getJSON)|fetch|axios(?:\.get|\.post)?|\.open)\s*\(\s*(?:\{[^}]*?\burl\s*:\s*)?"""
    r"""(?:['"](?:GET|POST)['"]\s*,\s*)?['"]([^'"\s]+)['"](?!\s*\+)""", re.I)  # a literal joined with + is computed
# Where a JS data literal starts: an array of objects or an object, assigned or passed.
DATA_START = re.compile(r"[=:(]\s*(\[\s*\{|\{)")
DATA_TYPES = ("application/json", "application/ld+json", "text/json")

# Record field names, as platforms spell them (most telling first).
TITLE_KEYS = ("title", "docTitle", "doctitle", "name", "subject", "DOCTITLE", "Title", "infoTitle", "articleTitle")
URL_KEYS = ("url", "link", "href", "docUrl", "docurl", "DOCPUBURL", "pubUrl", "detailUrl", "path", "URL", "Link")
DATE_KEYS = ("pubDate", "publishDate", "publishTime", "pubdate", "pubtime", "docPubTime", "DOCRELTIME",
             "releaseTime", "createTime", "date", "time", "publish_date", "created", "Date", "PubDate")
TITLE_HINTS = ("title",)
URL_HINTS = ("url", "link", "href")
DATE_HINTS = ("date", "time")
URLISH = re.compile(r"^(?:https?://|/|\./|\.\./|[\w\-]+/|[\w\-]+\.s?html?)", re.I)
PAGE_KEYS = ("pageNo", "pageNum", "page", "pageIndex", "currentPage", "current", "curPage", "p", "pn")


@dataclass
class Found:
    """What a reader found on one page: items, more pages to read, and the form's name."""

    form: str
    items: list[ListItem] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


# --- records in data ----------------------------------------------------------------------

def _pick(record: dict, keys, hints=()) -> str | None:
    """The first known key with a value; else the first key that contains a hint (linkUrl, docPubTime...)."""
    for k in keys:
        v = record.get(k)
        if isinstance(v, (str, int)) and str(v).strip():
            return str(v).strip()
    for k, v in record.items():
        if any(h in str(k).lower() for h in hints) and isinstance(v, (str, int)) and str(v).strip():
            return str(v).strip()
    return None


def _record_arrays(data, depth=0):
    """Every list of dicts inside a JSON value."""
    if depth > 6:
        return
    if isinstance(data, list):
        if data and all(isinstance(x, dict) for x in data):
            yield data
        for x in data[:50]:
            yield from _record_arrays(x, depth + 1)
    elif isinstance(data, dict):
        for v in data.values():
            yield from _record_arrays(v, depth + 1)


def _date_of(value: str | None):
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):  # epoch seconds or milliseconds
        import datetime as dt

        try:
            return (dt.datetime.fromtimestamp(int(value[:10]), dt.timezone(dt.timedelta(hours=8)))).date()
        except (OverflowError, OSError, ValueError):
            return None
    found = [m.date() for m in find_dates(value, yearless=False) if m.date() is not None]
    return found[0] if found else None


def records_to_items(data, base: str) -> list[ListItem]:
    """The largest array of records that each have a title and a link (dates where given)."""
    best: list[ListItem] = []
    for array in _record_arrays(data):
        items = []
        for rec in array:
            title, url = _pick(rec, TITLE_KEYS, TITLE_HINTS), _pick(rec, URL_KEYS, URL_HINTS)
            if not title or not url or not URLISH.match(url):
                continue
            date = _date_of(_pick(rec, DATE_KEYS, DATE_HINTS))
            row = " ".join(x for x in (title, date.isoformat() if date else "") if x)
            items.append(ListItem(title=title, url=urljoin(base, url), date=date, row=row))
        if len(items) > len(best):
            best = items
    return best


def _totals(data) -> tuple[int | None, int | None, int | None]:
    """(total pages, total records, per page) stated anywhere in a JSON value."""
    text = json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data
    pages = TOTAL_PAGES.search(text.replace('"', ""))
    records = TOTAL_RECORDS.search(text.replace('"', ""))
    per = PER_PAGE.search(text.replace('"', ""))
    return (int(pages.group(1)) if pages else None, int(records.group(1)) if records else None,
            int(per.group(1)) if per else None)


def _page_count(data, shown: int) -> int | None:
    """Pages the list states it has; None when it does not say."""
    pages, records, per = _totals(data)
    if pages:
        return pages
    if records and (per or shown):
        return -(-records // (per or shown))
    return None


def numbered_pages(url: str, total: int) -> list[str]:
    """The other pages of an endpoint URL whose query names the page (`page=1` → 2..total)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    key = next((k for k in PAGE_KEYS if any(q == k and v.isdigit() for q, v in query)), None)
    if key is None:
        return []
    current = int(dict(query)[key])
    out = []
    for n in range(1, min(total, MAX_ENDPOINT_PAGES) + 1):
        if n == current:
            continue
        q = [(k, str(n) if k == key else v) for k, v in query]
        out.append(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q), "")))
    return out


# --- readers ---------------------------------------------------------------------------------

def script_data(url: str, html: str) -> Found | None:
    """Rows kept as JSON / JS literals in the page's scripts and written out by script."""
    best: list[ListItem] = []
    best_data = None
    for attrs, body in SCRIPT.findall(html):
        if "src=" in attrs.lower() or not body.strip():
            continue
        is_data = any(t in attrs.lower() for t in DATA_TYPES)
        starts = [0] if is_data else [m.start(1) for m in DATA_START.finditer(body)]
        for start in starts[:20]:
            try:
                data = chompjs.parse_js_object(body[start:])
            except Exception:
                continue
            items = records_to_items(data, url)
            if len(items) > len(best):
                best, best_data = items, data
    if not best:
        return None
    # More pages come from the endpoint the page's script names, when it names one. Its other pages
    # are named here: its first page repeats the embedded rows, and a page that adds nothing new
    # ends a pagination walk (the endless-pagination guard).
    total = _page_count(best_data, len(best)) or _page_count(html, len(best))
    pages = []
    if total and total > 1:
        for target in endpoint_urls(url, html)[:1]:
            pages = [target] + numbered_pages(target, total)
    return Found("script_records", best, pages)


def hanweb_datastore(url: str, html: str) -> Found | None:
    """Hanweb jcms: the embedded datastore names its dataproxy endpoint; ask it for the other pages."""
    m = NEXTGROUP.search(html)
    if not m:
        return None
    href = HREF.search(m.group(1))
    if not href:
        return None
    endpoint = urljoin(url, href.group(1).replace("&amp;", "&"))
    total = _page_count(html, 0)
    if total == 1:
        return None
    # Unknown total: ask for page 2, whose answer states it (datastore_pages). The endpoint's own
    # page is read too: the page may embed fewer records than the endpoint serves per page.
    return Found("script_records", [], [endpoint] + numbered_pages(endpoint, total or 2))


def endpoint_urls(url: str, html: str) -> list[str]:
    """URLs a page's scripts load data from (same host only)."""
    host = urlsplit(url).netloc
    out = []
    for attrs, body in SCRIPT.findall(html):
        if "src=" in attrs.lower():
            continue
        for m in LOADER.finditer(body):
            target = urljoin(url, m.group(1))
            if urlsplit(target).netloc == host and target not in out and not target.endswith((".js", ".css")):
                out.append(target)
    return out


def json_endpoint(url: str, html: str) -> Found | None:
    """A list a script loads from a JSON endpoint the page names: read the endpoint as the list."""
    targets = endpoint_urls(url, html)
    return Found("endpoint", [], targets) if targets else None


def iframe_list(url: str, html: str) -> Found | None:
    """A catalogue or list shown in a same-host iframe: the framed document is the list."""
    host = urlsplit(url).netloc
    targets = [urljoin(url, src) for src in IFRAME.findall(html)]
    targets = [t for t in targets if urlsplit(t).netloc == host]
    return Found("static", [], targets) if targets else None


# Detectors in order; each sees the raw page. The first that finds items wins for items; pages add up.
FORMS = (("script_records", script_data), ("hanweb_datastore", hanweb_datastore),
         ("json_endpoint", json_endpoint), ("iframe", iframe_list))


def read_forms(url: str, html: str, static_items: int, static_pages: int = 0) -> Found | None:
    """What the non-static readers add to a page with `static_items` rows and `static_pages` pager links."""
    if static_items:
        # Static rows are there: a datastore's endpoint adds the other pages, unless a pager names them.
        return None if static_pages else hanweb_datastore(url, html)
    for name, reader in FORMS:
        try:
            found = reader(url, html)
        except Exception:
            continue
        if found and (found.items or found.pages):
            return found
    return None


# --- endpoint answers --------------------------------------------------------------------------

def endpoint_answer(url: str, text: str) -> tuple[list[ListItem], list[str]] | None:
    """A JSON answer of a list endpoint: its records and the endpoint's other pages. None: not a list."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        m = re.match(r"^\s*[\w$.]+\s*\(\s*(.*)\)\s*;?\s*$", text, re.S)  # JSONP
        if not m:
            return None
        stripped = m.group(1)
    try:
        data = json.loads(stripped)
    except ValueError:
        try:
            data = chompjs.parse_js_object(stripped)
        except Exception:
            return None
    items = records_to_items(data, url)
    if not items:
        return None
    return items, numbered_pages(url, _page_count(data, len(items)) or 1)


def datastore_pages(url: str, text: str) -> list[str]:
    """The other pages of a Hanweb dataproxy answer (its `<totalpage>`)."""
    return numbered_pages(url, _page_count(text, 0) or 1)
