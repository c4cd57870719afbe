"""An independent second opinion on truth.json: crawl the served sample portal and apply docs/rules.md.

It shares no code with the generator: it reads only site.toml, the rulebook
and what the HTTP server returns, parses the HTML with lxml, and recomputes
column categories, ages, working days, reply delays and score sums itself.
It never imports the monitor's classifier or checks (a test holds it to that).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import tomllib
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import chinese_calendar
import lxml.html

from govwatch.rulebook import load_rulebook

# The confusion pairs of the brief (the text checker's list), written out here on purpose.
TYPOS = {
    "按装": "安装", "既使": "即使", "布署": "部署", "贯撤": "贯彻", "再接再励": "再接再厉", "迫不急待": "迫不及待",
    "按步就班": "按部就班", "走头无路": "走投无路", "鞠躬尽粹": "鞠躬尽瘁", "墨守成归": "墨守成规", "励行节约": "厉行节约",
    "签定合同": "签订合同", "震憾": "震撼", "松驰": "松弛", "编缉": "编辑", "气慨": "气概", "防碍": "妨碍", "脉博": "脉搏",
    "重迭": "重叠", "即然": "既然", "一如继往": "一如既往", "建全": "健全", "既往不究": "既往不咎", "一股作气": "一鼓作气",
    "通迅": "通讯", "座落": "坐落", "部份": "部分", "观注": "关注", "中华人民共合国": "中华人民共和国",
}
CN = {c: i for i, c in enumerate("〇一二三四五六七八九")}
CN["零"] = 0
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 1.5


# ---------------------------------------------------------------------------
# Fetching


@dataclass
class Response:
    url: str
    status: int | None  # None: no HTTP answer
    body: bytes = b""
    ctype: str = ""
    error: str | None = None  # timeout | reset | refused | dns | loop | too_large


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url: str, max_redirects: int = 5) -> Response:
    seen = []
    for _ in range(max_redirects + 1):
        seen.append(url)
        try:
            with _opener.open(url, timeout=TIMEOUT) as r:
                body = r.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    return Response(url, r.status, error="too_large")
                return Response(url, r.status, body, r.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as e:
            if e.code in (301, 302, 303, 307, 308):
                nxt = urljoin(url, e.headers.get("Location", ""))
                if nxt in seen:
                    return Response(url, e.code, error="loop")
                url = nxt
                continue
            return Response(url, e.code, e.read(), e.headers.get("Content-Type", ""))
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, socket.gaierror):
                return Response(url, None, error="dns")
            if isinstance(reason, ConnectionRefusedError):
                return Response(url, None, error="refused")
            if isinstance(reason, (TimeoutError, socket.timeout)):
                return Response(url, None, error="timeout")
            return Response(url, None, error="reset")
        except (TimeoutError, socket.timeout):
            return Response(url, None, error="timeout")
        except (ConnectionResetError, ConnectionAbortedError, OSError):
            return Response(url, None, error="reset")
    return Response(url, None, error="loop")


def verdict(r: Response) -> str:
    """ok | broken | unverified, by docs/rules.md (a first run: 5xx is not yet persistent)."""
    if r.error in ("refused", "dns"):
        return "broken"
    if r.error:
        return "unverified"
    if r.status in (404, 410):
        return "broken"
    if r.status and (r.status >= 500 or r.status in (403, 412, 521)):
        return "unverified"
    if r.status == 200 and b"text/html" in r.ctype.encode() and is_soft_404(r.body):
        return "broken"
    return "ok"


def is_soft_404(body: bytes) -> bool:
    text = body[:4000].decode("utf-8", "replace")
    return "页面不存在" in text and "<title>" in text


def decode(r: Response) -> str:
    m = re.search(r"charset=([\w-]+)", r.ctype)
    enc = m.group(1).lower() if m else "utf-8"
    if enc in ("gb2312", "gbk"):
        enc = "gb18030"  # a gb2312 label means GBK/GB18030 in practice
    return r.body.decode(enc)


# ---------------------------------------------------------------------------
# Dates


DATE_RE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})")
MD_RE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
CN_DATE_RE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    m = DATE_RE.search(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = CN_DATE_RE.search(text)
    if m:
        return dt.date(int("".join(str(CN[c]) for c in m.group(1))), cn_small(m.group(2)), cn_small(m.group(3)))
    return None


def cn_small(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        a, b = s.split("十")
        return (CN[a] if a else 1) * 10 + (CN[b] if b else 0)
    return CN[s]


def add_months(d: dt.date, n: int) -> dt.date:
    import calendar

    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def working_days(d1: dt.date, d2: dt.date) -> int:
    n, d = 0, d1 + dt.timedelta(days=1)
    while d <= d2:
        n += chinese_calendar.is_workday(d)
        d += dt.timedelta(days=1)
    return n


# ---------------------------------------------------------------------------
# Column categories, read from the rulebook's raw keyword tables (附件3)


class NameTables:
    """The rulebook's naming tables as plain TOML, so a loader or classifier bug cannot leak in."""

    def __init__(self, rulebook_path: str | Path):
        raw = tomllib.loads(Path(rulebook_path).read_text(encoding="utf-8"))
        cats = raw["categories"]
        self.order = list(cats["order"])
        self.words = {cid: (cats[cid].get("keywords", []), cats[cid].get("exclude", [])) for cid in self.order}
        self.key_area = raw["key_area"]["keywords"]
        self.expected = [(fid, table["keywords"]) for fid, table in raw["expected"].items()]

    def classify(self, name: str) -> tuple[str, bool, str | None]:
        """(category, key-area flag, expected frequency) of a column name."""
        name = name.strip()
        category = next((cid for cid in self.order
                         if self._has(name, self.words[cid][0]) and not self._has(name, self.words[cid][1])), "other")
        expected = next((fid for fid, words in self.expected if self._has(name, words)), None)
        return category, self._has(name, self.key_area), expected

    @staticmethod
    def _has(name: str, words: list[str]) -> bool:
        return any(w in name for w in words)


# ---------------------------------------------------------------------------
# Crawl


@dataclass
class Row:
    title: str
    url: str
    date: dt.date | None


@dataclass
class Col:
    unit: str
    name: str
    url: str
    status: str = "ok"
    rows: list[Row] = field(default_factory=list)
    placeholder: bool = False
    category: str = "other"
    key_area: bool = False
    expected: str | None = None


@dataclass
class Crawl:
    cols: list[Col] = field(default_factory=list)
    pages: dict[str, tuple[str, Response]] = field(default_factory=dict)  # url -> (unit, response)
    links: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # target -> carrier pages
    page_unit: dict[str, str] = field(default_factory=dict)
    page_col: dict[str, Col] = field(default_factory=dict)


def doc_of(r: Response):
    return lxml.html.fromstring(decode(r))


def carry_links(crawl: Crawl, url: str, doc) -> None:
    for el in doc.iter("a", "img"):
        href = el.get("href") if el.tag == "a" else el.get("src")
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        crawl.links[urljoin(url, href).split("#")[0]].add(url)


def crawl_site(site_toml: Path, rulebook) -> Crawl:
    site = tomllib.loads(site_toml.read_text(encoding="utf-8"))
    names = NameTables(rulebook.path)
    crawl = Crawl()
    home = site["site"]["home"]
    r = fetch(home)
    crawl.pages[home] = ("", r)
    carry_links(crawl, home, doc_of(r))
    for unit in site["units"]:
        for section in unit["sections"]:
            r = fetch(section)
            crawl.pages[section] = (unit["code"], r)
            doc = doc_of(r)
            carry_links(crawl, section, doc)
            for a in doc.xpath('//div[@class="leftnav"]//a | //dl[@class="side-menu"]//dd/a'):
                col = Col(unit["code"], a.text_content().strip(), urljoin(section, a.get("href")))
                col.category, col.key_area, col.expected = names.classify(col.name)
                crawl.cols.append(col)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda c: crawl_column(crawl, c), crawl.cols))
        items = [(c, row) for c in crawl.cols for row in c.rows]
        results = list(pool.map(lambda cr: fetch(cr[1].url), items))
    for (col, row), r in zip(items, results):
        crawl.pages[row.url] = (col.unit, r)
        crawl.page_col[row.url] = col
        if r.status == 200 and not r.error:
            carry_links(crawl, row.url, doc_of(r))
    return crawl


def crawl_column(crawl: Crawl, col: Col) -> None:
    todo, seen = [col.url], set()
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        r = fetch(url)
        crawl.pages[url] = (col.unit, r)
        if verdict(r) != "ok":
            col.status = "unverified"
            return
        doc = doc_of(r)
        carry_links(crawl, url, doc)
        rows = doc.xpath('//ul[@class="list-ul"]/li | //table[@class="news-table"]//tr[td]')
        for li in rows:
            a = li.xpath(".//a")[0]
            date_el = li.xpath('.//span[@class="date"] | .//td[@class="d"]')
            col.rows.append(Row(a.text_content().strip(), urljoin(url, a.get("href")),
                                parse_date(date_el[0].text_content()) if date_el else None))
        if not rows and doc.xpath('//*[contains(@class,"no-data") or contains(@class,"empty")][contains(., "暂无信息")]'):
            col.placeholder = True
        script = " ".join(doc.xpath("//script/text()"))
        m = re.search(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)', script)
        if m:
            total, prefix, suffix = int(m.group(1)), m.group(3), m.group(4)
            todo += [urljoin(url, f"{prefix}_{i}.{suffix}") for i in range(1, total)]
        for a in doc.xpath('//div[@class="pager"]/a'):
            todo.append(urljoin(url, a.get("href")))
        rows += read_script_rows(crawl, col, url, doc)
        if not rows and doc.xpath('//*[@class="no-info"][contains(., "暂无信息")]'):
            col.placeholder = True


# The Hanweb-like and JS-data flavours, read here with their own small parsers: the datastore's
# CDATA records and its dataproxy pages, the JSON literal and its /api/list pages.
CDATA_RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def _li_row(url: str, fragment: str) -> Row:
    li = lxml.html.fragment_fromstring(fragment)
    a = li.xpath(".//a")[0]
    date_el = li.xpath('.//span[@class="date"]')
    return Row(a.text_content().strip(), urljoin(url, a.get("href")), parse_date(date_el[0].text_content()) if date_el else None)


def _more_pages(crawl: Crawl, col: Col, urls: list[str]) -> list[str] | None:
    """Bodies of a column's endpoint pages; None (and the column unverified) when one fails."""
    bodies = []
    for page_url in urls:
        r = fetch(page_url)
        crawl.pages[page_url] = (col.unit, r)
        if verdict(r) != "ok":
            col.status = "unverified"
            return None
        bodies.append(r.body.decode("utf-8"))
    return bodies


def read_script_rows(crawl: Crawl, col: Col, url: str, doc) -> list:
    xml = " ".join(doc.xpath('//script[@type="text/xml"]/text()'))
    script = " ".join(doc.xpath("//script[not(@type)]/text()"))
    rows: list[Row] = []
    if "<datastore>" in xml:
        rows = [_li_row(url, f) for f in CDATA_RECORD.findall(xml)]
        total = re.search(r"var totalpage = (\d+);", script)
        first = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)">', xml)
        n = int(total.group(1)) if total and first else 1
        bodies = _more_pages(crawl, col, [urljoin(url, first.group(1).replace("page=1&", f"page={k}&")) for k in range(2, n + 1)])
        rows += [_li_row(url, f) for body in bodies or () for f in CDATA_RECORD.findall(body)]
    m = re.search(r"var pageData = (\{.*?\});\n", script, re.S)
    if m:
        data = json.loads(m.group(1))
        api = re.search(r"url: '([^']+)'", script)
        n = data["totalPage"] if api else 1
        bodies = _more_pages(crawl, col, [urljoin(url, api.group(1).replace("pageNo=1", f"pageNo={k}")) for k in range(2, n + 1)])
        records = list(data["list"]) + [x for body in bodies or () for x in json.loads(body)["data"]["records"]]
        rows = [Row(x["title"], urljoin(url, x["linkUrl"]), parse_date(x["pubDate"])) for x in records]
    col.rows.extend(rows)
    return rows


# ---------------------------------------------------------------------------
# Facts of one page


def text_of(doc, xpath: str) -> str:
    return " ".join(e.text_content() for e in doc.xpath(xpath))


def table_value(doc, label: str) -> str | None:
    cells = doc.xpath(f'//table[@class="xxgk_table"]//th[contains(., "{label}")]/following-sibling::td[1]')
    return cells[0].text_content().strip() if cells else None


def article_facts(doc, list_date: dt.date | None) -> dict:
    meta = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    pub = (parse_date(meta.get("PubDate")) or parse_date(table_value(doc, "发布日期"))
           or parse_date(re.search(r"发布(?:时间|日期)：([^<\s　]+)", text_of(doc, '//div[@class="info" or @class="art-info"]')).group(1)
                         if re.search(r"发布(?:时间|日期)：", text_of(doc, '//div[@class="info" or @class="art-info"]')) else None)
           or list_date)
    body = doc.xpath('//*[@id="zoom"]')[0]
    paras = [p.text_content() for p in body.xpath("./p[not(@style)]")]
    right = [p.text_content().strip() for p in body.xpath('./p[@style="text-align:right"]')]
    sign_date = parse_date(right[-1]) if right else None
    organ = next((t for t in right if not parse_date(t)), None)
    number = text_of(body, './p[@class="wh"]').strip() or (table_value(doc, "文号") or "")
    attach_links = body.xpath('./p[@class="fj"]/a')
    mentions = bool(body.xpath('./p[@class="fj"]'))
    return {"pub": pub, "paras": paras, "text": " ".join(paras), "sign_date": sign_date, "organ": organ,
            "written": parse_date(table_value(doc, "成文日期")), "doc_number": number, "attachments": len(attach_links),
            "mentions_attachment": mentions}


def event_date(text: str, pub: dt.date) -> dt.date | None:
    best = None
    for m in MD_RE.finditer(text):
        year = int(m.group(1)) if m.group(1) else pub.year
        try:
            d = dt.date(year, int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if not m.group(1) and d > pub:
            d = d.replace(year=year - 1)
        if d <= pub and (best is None or d > best):
            best = d
    return best


def question_facts(doc) -> dict:
    text = doc.text_content()
    asked = parse_date((re.search(r"(?:提问时间|来信时间)\s*：?\s*([^\s]+)", text) or [None, None])[1])
    ans_m = re.search(r"(?:回复时间|答复时间)\s*：?\s*(\d{4}[-年]\d{1,2}[-月]\d{1,2})", text)
    ext = bool(re.search(r"申请延期\s*：?\s*是", text))
    return {"asked": asked, "answered": parse_date(ans_m.group(1)) if ans_m else None, "extension": ext}


def guide_facts(doc, url: str, elements: dict) -> dict:
    labels = [e.text_content() for e in doc.xpath('//div[@class="guide-body"]//th | //div[@class="guide-body"]//dt | //div[@class="guide-body"]//h3')]
    present = [canon for canon, syns in elements.items() if any(s in l for l in labels for s in syns)]
    body = doc.xpath('//div[@class="guide-body"]')[0]
    names = sorted(set(re.findall(r"《([^《》]+?[表书])》", body.text_content())))
    links = {a.text_content().strip("《》 "): urljoin(url, a.get("href")) for a in body.xpath(".//a")}
    return {"present": present, "forms": [(n, links.get(n)) for n in names]}


# ---------------------------------------------------------------------------
# Rules


def recompute(site_toml: Path, as_of: dt.date, first_run: bool = True) -> dict:
    rb = load_rulebook()
    crawl = crawl_site(site_toml, rb)
    A, C = as_of, as_of - dt.timedelta(days=rb.first_cycle_days)
    findings: list[tuple] = []  # (unit, rule, url, discriminator, points, needs_review)

    def add(unit, rule, url, disc=""):
        r = rb.rule(rule)
        findings.append((unit, rule, url, disc, r.points, r.needs_review))

    bonus = defaultdict(set)
    for col in crawl.cols:
        if col.status != "ok":
            continue
        # an item's date: the article's publish date when fetched, else the list date
        dates = []
        for row in col.rows:
            _, r = crawl.pages[row.url]
            d = row.date
            if verdict(r) == "ok" and col.category not in ("consultation", "guide"):
                d = article_facts(doc_of(r), row.date)["pub"]
            dates.append(d)
            if col.category in ("news", "notice") and d and C < d <= A and verdict(r) == "ok":
                bonus[(col.unit, col.category)].add(row.url)
        dates = [d for d in dates if d]
        if not col.rows:
            add(col.unit, "blank.column", col.url)
            continue
        if col.category == "profile" or not dates:
            continue
        newest = max(dates)
        if col.category in ("news", "notice", "policy", "personnel", "plan"):
            rule = rb.rule(f"stale.{col.category}")
            stale = ((A - newest).days > rule["max_age_days"]) if "max_age_days" in rule.params else A > add_months(newest, rule["max_age_months"])
            if stale:
                add(col.unit, rule.id, col.url)
        elif col.key_area or col.expected:
            exp = rb.expected[col.expected or rb.key_area_default_expected]
            if A > add_months(newest, exp.months) + dt.timedelta(days=exp.grace_days):
                add(col.unit, "stale.key_area" if col.key_area else "stale.expected", col.url)
    for (unit, cat), urls in bonus.items():
        rule = rb.rule(f"bonus.{cat}")
        if len(urls) >= rule["min_items"]:
            for u in urls:
                add(unit, rule.id, u)

    elements = rb.rule("guide.missing_element")["elements"]
    link_verdicts: dict[str, tuple[str, str]] = {}

    def link_verdict(target: str) -> str:
        if target not in link_verdicts:
            if target in crawl.pages:
                link_verdicts[target] = verdict(crawl.pages[target][1])
            else:
                link_verdicts[target] = verdict(fetch(target))
        return link_verdicts[target]

    for url, col in crawl.page_col.items():
        unit, r = crawl.pages[url]
        if verdict(r) != "ok":
            continue
        doc = doc_of(r)
        row_date = next(row.date for row in col.rows if row.url == url)
        if col.category == "consultation":
            q = question_facts(doc)
            if q["asked"] is None:
                continue
            answered = q["answered"]
            if answered and not (C < answered <= A):
                continue
            delay = ((answered or A) - q["asked"]).days
            if delay > 7 and not q["extension"]:
                add(unit, "consult.unanswered_7d", url)
            if delay > 15:
                add(unit, "consult.unanswered_15d", url)
            continue
        if col.category == "guide":
            g = guide_facts(doc, url, elements)
            for canon in elements:
                if canon not in g["present"]:
                    add(unit, "guide.missing_element", url, canon)
            for name, link in g["forms"]:
                if link is None or link_verdict(link) == "broken":
                    add(unit, "guide.form_unavailable", url, name)
            continue
        f = article_facts(doc, row_date)
        # a later weekly run judges only pages first seen in its cycle for typos
        for wrong in (TYPOS if first_run or C < f["pub"] <= A else ()):
            for _ in range(f["text"].count(wrong)):
                add(unit, "error.typo", url, wrong)
        pub = f["pub"]
        if col.category == "news" and C < pub <= A:
            ev = event_date(f["text"], pub)
            if ev is None or (pub - ev).days > 1:
                add(unit, "timeliness.news", url)
        if col.category in ("notice", "policy", "plan", "personnel", "finance", "statistics") and C < pub <= A:
            signed = f["sign_date"] or f["written"]
            if signed is None or working_days(signed, pub) > 20:
                add(unit, "timeliness.document", url)
        if col.category in ("policy", "notice"):
            rule = rb.rule("error.nonstandard")
            title = doc.xpath('//h1[@class="title"] | //div[@class="art-title"]')[0].text_content()
            owes = any(k in title for k in rule["doc_number_keywords"]) and not any(k in title for k in rule["doc_number_exempt"])
            missing = []
            if owes and not f["doc_number"]:
                missing.append("文号")
            if f["mentions_attachment"] and not f["attachments"]:
                missing.append("附件")
            if not f["organ"]:
                missing.append("落款机关")
            if not (f["sign_date"] or f["written"]):  # reading 4: the header's 成文日期 stands in
                missing.append("落款日期")
            if missing:
                add(unit, "error.nonstandard", url, ",".join(missing))

    # broken links: template targets (on half the crawled pages or more) are the portal's, not a unit's
    crawled = sum(1 for _, r in crawl.pages.values() if verdict(r) == "ok")
    portal = []
    per_unit: dict[tuple[str, str], list[str]] = defaultdict(list)
    for target, carriers in crawl.links.items():
        if link_verdict(target) != "broken":
            continue
        if len(carriers) >= 0.5 * crawled:
            portal.append(target)
            continue
        for page in carriers:
            unit = crawl.pages[page][0]
            if unit:
                per_unit[(unit, target)].append(page)
    for (unit, target), pages in per_unit.items():
        add(unit, "error.broken_link", sorted(pages)[0], target)
    unverified = sorted(u for u, (_, r) in crawl.pages.items() if verdict(r) == "unverified")
    return {"findings": findings, "portal": portal, "unverified": unverified, "crawled": crawled, "units": rb.units, "rulebook": rb}


def scores(findings: list[tuple], units, rb, keep) -> dict[str, int]:
    by = defaultdict(lambda: defaultdict(int))
    for unit, rule, url, disc, points, review in findings:
        if keep(review):
            by[unit][rule] += points
    out = {}
    for u in units:
        rules = by.get(u.code, {})
        ded = -sum(p for p in rules.values() if p < 0)
        bon = sum(min(p, rb.rule(r)["monthly_cap"]) for r, p in rules.items() if p > 0)
        out[u.code] = max(0, 100 - ded) + bon
    return out
