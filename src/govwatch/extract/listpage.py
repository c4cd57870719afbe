"""Column list pages: column name, the main repeated list of dated links, pagination."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from govwatch.extract.dom import (
    absolute, block_text, clean_ws, drop_boilerplate, drop_noise, inline_text, meta_lookup, meta_tags, page_title,
    parse, tag_of, with_records,
)
from govwatch.extract.catalogue import date_column, row_date
from govwatch.extract.links import link_text
from govwatch.extract.listforms import datastore_pages, endpoint_answer, read_forms
from govwatch.extract.patterns import (
    BREADCRUMB_ATTR, BREADCRUMB_SEPARATORS, BREADCRUMB_TEXT, DEFAULT_PLACEHOLDERS, HANWEB_RECORD, HANWEB_TOTAL, INDEX_PAGE,
    META_COLUMN, ROW_OTHER_DATE, PAGE_PARAMS, TITLE_SEPARATORS, TOTAL_PAGES_TEXT, TRS_PAGER, TRS_VAR,
)
from govwatch.facts import ListItem, ListPage
from govwatch.lib.cndate import find_dates, url_date

# Safety cap against crawler traps: a pager claiming 10^5 pages is not followed blindly.
MAX_GENERATED_PAGES = 2000
# Short "month-day" dates in lists ([11-20]) are read only with a year from elsewhere on the row.
_ROW_CONTAINERS = ("ul", "ol", "table", "tbody", "div", "dl", "section", "td")


# --- column name ---------------------------------------------------------------

def breadcrumb_items(root) -> list[str]:
    for el in root.iter("div", "p", "span", "nav", "td", "ul", "ol"):
        attrs = " ".join(str(el.get(a) or "") for a in ("id", "class"))
        text = inline_text(el)
        if not text or len(text) > 200:
            continue
        if (attrs and BREADCRUMB_ATTR.search(attrs) and BREADCRUMB_SEPARATORS.search(text)) or BREADCRUMB_TEXT.match(text):
            body = BREADCRUMB_TEXT.sub("", text)
            parts = [p.strip() for p in BREADCRUMB_SEPARATORS.split(body) if p and p.strip()]
            if parts:
                return parts
    return []


def column_name_of(root, meta) -> str | None:
    value = meta_lookup(meta, META_COLUMN)
    if value and value.strip():
        return clean_ws(value)
    crumbs = breadcrumb_items(root)
    if crumbs:
        return crumbs[-1]
    title = page_title(root)
    if title:
        parts = [p for p in TITLE_SEPARATORS.split(title) if p.strip()]
        return parts[0].strip() if parts else title
    return None


# --- items -----------------------------------------------------------------------

def _row_date(text: str, title: str = ""):
    """The row's first date outside its title (later dates are reply or update dates)."""
    if title and title in text:
        text = text.replace(title, " ", 1)
    dates = [m for m in find_dates(text, yearless=False) if m.date() is not None]
    own = [m for m in dates if not ROW_OTHER_DATE.search(text[max(0, m.start - 10): m.start])]
    chosen = own or dates
    return chosen[0].date() if chosen else None


def _main_link(row):
    best = None
    for a in row.iter("a"):
        href = a.get("href")
        if not href or href.strip().lower().startswith(("javascript:", "#", "mailto:")) and not a.get("onclick"):
            continue
        text = link_text(a)
        if best is None or len(text) > len(link_text(best)):
            best = a
    return best


def _rows(container) -> list:
    """Rows of a container: its children; a container of bare <a> gets one row per link."""
    children = [c for c in container if isinstance(c.tag, str)]
    if tag_of(container) == "table":
        rows = []
        for c in children:
            rows.extend(r for r in c.iter("tr")) if tag_of(c) in ("tbody", "thead") else rows.append(c)
        return rows
    return children


def _candidates(root):
    for el in root.iter(*_ROW_CONTAINERS):
        rows = _rows(el)
        if len(rows) < 1:
            continue
        linked = [r for r in rows if _main_link(r) is not None]
        if not linked:
            continue
        dated = sum(1 for r in linked if _row_date(_row_text(r), link_text(_main_link(r))))
        yield el, linked, dated


def _pick_list(root):
    best, best_key = None, (0, -10**9, 0)
    for el, linked, dated in _candidates(root):
        # Most dated rows first; then the tightest container (a wrapper adds undated rows such as a side menu).
        key = (dated, -(len(linked) - dated), len(linked))
        # Dated rows decide; among lists without dates a real list has several rows with long titles.
        if dated == 0 and (len(linked) < 3 or sum(len(link_text(_main_link(r))) for r in linked) / len(linked) < 8):
            continue
        if key > best_key:
            best, best_key = (el, linked), key
    return best


_MONTH_DAY = re.compile(r"(?<![\d\-/.])(\d{1,2})[-/.月](\d{1,2})日?(?![\d\-/.])")


def _short_row_date(text: str, title: str, url: str):
    """Rows that show only "11-20": the year comes from the item URL when its month and day agree."""
    from_url = url_date(url)
    if from_url is None:
        return None
    if title and title in text:
        text = text.replace(title, " ", 1)
    for m in _MONTH_DAY.finditer(text):
        if (int(m.group(1)), int(m.group(2))) == (from_url.month, from_url.day):
            return from_url
    return None


def _row_text(row) -> str:
    """Row text with a space between cells/spans, so title and date stay apart."""
    try:
        return clean_ws(" ".join(t.strip() for t in row.itertext() if t and t.strip()))
    except Exception:
        return inline_text(row)


def items_of(root, base: str) -> list[ListItem]:
    picked = _pick_list(root)
    if not picked:
        return []
    items, seen = [], set()
    table = next((el for el in [picked[0], *picked[0].iterancestors()] if tag_of(el) == "table"), None)
    date_cell = date_column(table) if table is not None else None
    for row in picked[1]:
        a = _main_link(row)
        url = absolute(base, a.get("href")) if a is not None else None
        if not url or url in seen:
            continue
        seen.add(url)
        title = clean_ws(a.get("title") or "") or link_text(a)
        shown = link_text(a)
        # Lists truncate long titles ("关于…的通…"); the title attribute holds the full one.
        if shown and not shown.endswith(("...", "…")) and len(shown) >= len(title):
            title = shown
        row_text = _row_text(row)
        # A catalogue table names its publication date column; elsewhere the row's first date outside the title.
        day = row_date(row, date_cell) if date_cell is not None else None
        day = day or _row_date(row_text, shown) or _short_row_date(row_text, shown, url)
        items.append(ListItem(title=title, url=url, date=day, row=row_text))
    return items


# --- pagination ----------------------------------------------------------------------

def _script_ints(scripts: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in TRS_VAR.finditer(scripts)}


def trs_pages(scripts: str, base: str) -> list[str]:
    variables = _script_ints(scripts)
    for m in TRS_PAGER.finditer(scripts):
        args = [a.strip().strip("'\"") for a in m.group(1).split(",")]
        ints = []
        for a in args:
            if a.isdigit():
                ints.append(int(a))
            elif a in variables:
                ints.append(variables[a])
        strings = [a for a in args if a and not a.isdigit() and a not in variables]
        if len(ints) < 1:
            continue
        total = ints[0]
        stem, ext = "index", "html"
        for i, s in enumerate(strings):
            if s.lower() in ("html", "htm", "shtml", "jsp", "php", "asp", "aspx") and i > 0:
                stem, ext = strings[i - 1], s
                break
        total = min(total, MAX_GENERATED_PAGES)
        pages = [urljoin(base, f"{stem}.{ext}")] + [urljoin(base, f"{stem}_{n}.{ext}") for n in range(1, total)]
        return pages
    return []


def _page_param(query: list[tuple[str, str]]) -> str | None:
    keys = {k for k, v in query if v.isdigit()}
    for name in PAGE_PARAMS:
        if name in keys:
            return name
    return None


def _total_from_text(text: str) -> int | None:
    m = TOTAL_PAGES_TEXT.search(text or "")
    if not m:
        return None
    values = [int(g) for g in m.groups() if g]
    return values[0] if values else None


def link_pages(root, base: str, page_text: str, scripts: str) -> list[str]:
    """Pagination from links: index_N.html siblings and ?page=N, with the full range when the last page is known."""
    base_parts = urlsplit(base)
    base_dir = base_parts.path.rsplit("/", 1)[0] + "/"
    index_pages: dict[int, str] = {}
    index_pattern = None
    param_pages: dict[int, str] = {}
    param_pattern = None
    last_hint = _total_from_text(page_text)
    hm = HANWEB_TOTAL.search(scripts)
    if hm and last_hint is None:
        last_hint = int(hm.group(1))
    for a in root.iter("a"):
        url = absolute(base, a.get("href"))
        if not url:
            continue
        parts = urlsplit(url)
        if parts.netloc != base_parts.netloc:
            continue
        directory, _, name = parts.path.rpartition("/")
        m = INDEX_PAGE.match(name)
        if m and directory + "/" == base_dir and not parts.query:
            n = int(m.group("n") or 0)
            index_pages[n] = url
            index_pattern = (directory + "/", m.group("stem"), m.group("ext"))
            continue
        query = parse_qsl(parts.query, keep_blank_values=True)
        key = _page_param(query)
        if key and parts.path == base_parts.path:
            n = int(dict(query)[key])
            param_pages[n] = url
            param_pattern = (parts, query, key)
    pages: list[str] = []
    if index_pages and index_pattern:
        directory, stem, ext = index_pattern
        highest = max(index_pages)
        if last_hint:
            highest = max(highest, last_hint - 1)
        highest = min(highest, MAX_GENERATED_PAGES)
        root_url = urlunsplit((base_parts.scheme, base_parts.netloc, directory, "", ""))
        # The first page has no number (index.html); include it so a later page knows its siblings.
        pages.append(urljoin(root_url, f"{stem}.{ext}"))
        pages.extend(urljoin(root_url, f"{stem}_{n}.{ext}") for n in range(1, highest + 1))
    if param_pages and param_pattern:
        parts, query, key = param_pattern
        lowest = min(min(param_pages), 1)
        highest = max(param_pages)
        if last_hint:
            highest = max(highest, last_hint if lowest >= 1 else last_hint - 1)
        highest = min(highest, MAX_GENERATED_PAGES)
        base_has_param = any(k == key for k, _ in parse_qsl(base_parts.query))
        for n in range(lowest, highest + 1):
            if n == 1 and not base_has_param and parts.path == base_parts.path:
                continue  # page 1 is the page we are on (index.html without a page parameter)
            q = [(k, str(n) if k == key else v) for k, v in query]
            pages.append(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q), "")))
    return pages


def _same_page(a: str, b: str) -> bool:
    def norm(u: str) -> str:
        parts = urlsplit(u)
        path = parts.path
        if path.endswith("/"):
            path += "index.html"
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    return norm(a) == norm(b)


def pages_of(root, base: str, html: str, page_text: str) -> list[str]:
    scripts = "\n".join(s for s in re.findall(r"<script[^>]*>(.*?)</script>", html or "", re.S | re.I))
    found = trs_pages(scripts, base) + link_pages(root, base, page_text, scripts)
    pages, seen = [], set()
    for url in found:
        if not url or url in seen or _same_page(url, base):
            continue
        seen.add(url)
        pages.append(url)
    return pages


# --- placeholder -------------------------------------------------------------------

def placeholder_of(text: str, items: list[ListItem], placeholders) -> str | None:
    if items and len(items) > 0:
        return None
    for word in placeholders:
        if word and word in text:
            return word
    return None


def extract_list(url: str, html: str, placeholders=DEFAULT_PLACEHOLDERS) -> ListPage:
    try:
        return _extract_list(url or "", html or "", tuple(placeholders or ()))
    except Exception:
        return ListPage(url=url or "", column_name=None, items=(), pages=())


def _extract_list(url: str, html: str, placeholders) -> ListPage:
    if isinstance(html, bytes):
        from govwatch.extract.encoding import decode_html

        html = decode_html(html)
    root = parse(with_records(html))
    meta = meta_tags(root)
    drop_noise(root)
    name = column_name_of(root, meta)
    page_text = block_text(root)
    pages = pages_of(root, url, html, page_text)
    drop_boilerplate(root)
    items = items_of(root, url)
    read_via = "script_records" if items and HANWEB_RECORD.search(html) else "static"
    found = read_forms(url, html, len(items), len(pages))
    if found is not None:
        if found.items and not items:
            items, read_via = found.items, found.form
        elif found.pages and not items:
            read_via = "endpoint" if found.form == "endpoint" else read_via
        pages = pages + [p for p in found.pages if p not in pages and not _same_page(p, url)]
    return ListPage(
        url=url,
        column_name=name,
        items=tuple(items),
        pages=tuple(pages),
        placeholder=placeholder_of(block_text(root), items, placeholders),
        read_via=read_via,
    )


def extract_endpoint_list(url: str, text: str) -> ListPage | None:
    """The answer of a list endpoint (JSON records, or a Hanweb dataproxy datastore), as a list page.
    None when the answer holds no list."""
    try:
        records = HANWEB_RECORD.findall(text or "")
        if records:
            items = items_of(parse("<html><body><ul>" + "".join(records) + "</ul></body></html>"), url)
            pages = datastore_pages(url, text)
        else:
            answer = endpoint_answer(url, text or "")
            if answer is None:
                return None
            items, pages = answer
        return ListPage(url=url, column_name=None, items=tuple(items), pages=tuple(pages), read_via="endpoint")
    except Exception:
        return None


# --- every dated list of a page (a homepage's boxes) -----------------------------------

def dated_items(url: str, html: str) -> list[ListItem]:
    """The dated items of every list on a page, read like a column's rows: a homepage shows its
    news and notice boxes side by side, and its freshness is the newest of them all."""
    try:
        if isinstance(html, bytes):
            from govwatch.extract.encoding import decode_html

            html = decode_html(html)
        root = parse(with_records(html or ""))
        drop_noise(root)
        drop_boilerplate(root)
    except Exception:
        return []
    items: dict[str, ListItem] = {}
    for _, rows, dated in _candidates(root):
        if not dated:
            continue
        for row in rows:
            a = _main_link(row)
            href = absolute(url, a.get("href")) if a is not None else None
            shown = link_text(a) if a is not None else ""
            text = _row_text(row)
            if len(find_dates(text)) > 1:
                continue  # a wrapper around a whole box, not one of its rows
            day = _row_date(text, shown) or (_short_row_date(text, shown, href) if href else None)
            if href and day and href not in items:
                items[href] = ListItem(title=clean_ws(a.get("title") or "") or shown, url=href, date=day, row=text)
    return list(items.values())
