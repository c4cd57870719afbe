"""The facts that flow through the pipeline: crawl/extract produce them, checks consume them.

Plain frozen dataclasses, no framework. Every date is a `datetime.date` (or
`datetime.datetime` where a time is known); a value that was not found is
None, never a guess. `to_json`/`from_json` give the stable JSON shapes.

Judgements and how sure we are of them (issue 11; shared by the list readers and the
coverage/review code):
- `Column.read_via`: how the column's list was read, one of `READ_VIA` (static HTML,
  records embedded in a script, a JSON/XML endpoint the page names, a headless render).
- `Column.list_confidence`: 0..1, how sure we are the page is a dated list (a column).
- `Column.category_confidence`: 0..1, how sure the rulebook category is.
- `Column.unit_confidence`: 0..1, how sure the unit attribution is.
- `Page.page_type` (one of `PAGE_TYPES`), `Page.page_type_signal` (the name of the signal
  that decided), `Page.page_type_confidence` (0..1).
Defaults are 1.0 / "static" / None: a reader that does not measure a judgement leaves it
as sure as it always was. What counts as "low" is rulebook data (`[confidence]`); a
deduction resting on a low-confidence judgement goes to review (`checks.confidence`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Column and page states.
OK = "ok"
UNVERIFIED = "unverified"  # could not be fetched or was blocked: never a deduction

# How a column's list was read.
READ_VIA = ("static", "script_records", "endpoint", "rendered")
# What a page is, judged from what it shows.
PAGE_TYPES = ("list", "article", "index", "guide", "consultation", "attachment", "other")


@dataclass(frozen=True)
class Attachment:
    text: str
    url: str


@dataclass(frozen=True)
class Signature:
    organ: str | None
    date: dt.date | None


@dataclass(frozen=True)
class ListItem:
    """One entry of a column list page."""

    title: str
    url: str
    date: dt.date | None
    row: str = ""  # normalized text of the whole list row (title, date, status...): its change means an edit


@dataclass(frozen=True)
class ListPage:
    """What `extract.extract_list` finds on one list page."""

    url: str
    column_name: str | None
    items: tuple[ListItem, ...]
    pages: tuple[str, ...]  # absolute URLs of the column's other list pages (pagination)
    placeholder: str | None = None  # e.g. "暂无信息" when the list shows only a placeholder
    # How the items were read: static | script_records | endpoint | rendered (Column.read_via).
    read_via: str = "static"


@dataclass(frozen=True)
class ArticleFacts:
    url: str
    title: str | None
    published_at: dt.date | dt.datetime | None
    published_source: str | None  # meta | info_table | label | list | url
    event_date: dt.date | None  # news: the date the text mentions closest to, not after, publication
    signature: Signature  # 落款 organ and date from the body
    written_date: dt.date | None  # 成文日期 from the 信息公开 header table
    doc_number: str | None  # 文号
    index_number: str | None  # 索引号
    publisher: str | None  # 发布机构 / 发文机关
    attachments: tuple[Attachment, ...]
    mentions_attachment: bool  # the body announces attachments (附件：...)
    text: str  # body text without boilerplate
    links: int = 0
    meta: dict[str, str] = field(default_factory=dict)  # 政府网站发展指引 meta tags present on the page

    @property
    def text_chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class QuestionFacts:
    url: str
    title: str | None
    asked_at: dt.date | dt.datetime | None
    answered_at: dt.date | dt.datetime | None
    status: str | None  # 已回复 | 未回复 | 办理中 (as the page says)
    extension: bool  # 申请延期
    reply_text: str | None = None


@dataclass(frozen=True)
class FormRef:
    """A form (表格/附件) a guide mentions, with its download link if any."""

    name: str
    url: str | None


@dataclass(frozen=True)
class GuideFacts:
    url: str
    title: str | None
    elements: tuple[str, ...]  # canonical names of the 8 elements that are present
    forms: tuple[FormRef, ...]


@dataclass(frozen=True)
class Link:
    """A link, image or attachment found on a page."""

    url: str
    kind: str  # "a" | "img" | "attachment"
    text: str = ""


# ---------------------------------------------------------------------------
# What one crawl knows, assembled for the checks.


@dataclass(frozen=True)
class Column:
    url: str
    unit: str | None  # 机关编码; None when it cannot be attributed
    name: str
    category: str  # category ID (INDICATORS.md)
    key_area: bool
    expected: str | None  # monthly | quarterly | yearly | None
    status: str  # OK | UNVERIFIED
    items: tuple[ListItem, ...]  # every item over all list pages, in list order
    placeholder: str | None = None
    reason: str | None = None  # why unverified
    warc: str | None = None  # evidence pointer of the first list page
    read_via: str = "static"  # one of READ_VIA
    list_confidence: float = 1.0  # 0..1: is this page a dated list at all
    category_confidence: float = 1.0  # 0..1: is `category` right
    unit_confidence: float = 1.0  # 0..1: is `unit` right


@dataclass(frozen=True)
class Page:
    """A fetched detail page attributed to a column (and so to a unit)."""

    url: str
    column_url: str
    unit: str | None
    kind: str  # article | question | guide
    status: str  # OK | UNVERIFIED
    facts: ArticleFacts | QuestionFacts | GuideFacts | None
    first_seen: dt.date | None = None  # as-of date of the first run that saw this page
    text_changed: bool = True  # text differs from the previous run (typo re-check)
    list_date: dt.date | None = None
    warc: str | None = None
    reason: str | None = None
    page_type: str | None = None  # one of PAGE_TYPES; None: not judged
    page_type_signal: str | None = None  # the signal that decided page_type
    page_type_confidence: float = 1.0  # 0..1


@dataclass(frozen=True)
class LinkCheck:
    """The outcome of checking one link target, with every page that carries it."""

    target: str
    kind: str  # a | img | attachment
    outcome: str  # ok | broken | unverified
    reason: str | None  # "HTTP 404", "DNS 解析失败", "软404", ...
    http_status: int | None
    carriers: tuple[str, ...]  # URLs of crawled pages that carry the link
    warc: str | None = None
    # Distinct carriers over the whole site, when `carriers` holds only one unit's share of them
    # (publishing checks one unit at a time); None means len(set(carriers)).
    carrier_count: int | None = None

    @property
    def total_carriers(self) -> int:
        return self.carrier_count if self.carrier_count is not None else len(set(self.carriers))


@dataclass(frozen=True)
class TypoHit:
    start: int
    end: int
    wrong: str
    right: str
    kind: str  # typo | expression
    confidence: float
    context: str = ""


@dataclass
class RunFacts:
    """Everything the checks need for one run."""

    as_of: dt.date
    cycle_start: dt.date  # exclusive: the previous run's as-of date
    columns: list[Column]
    pages: list[Page]
    links: list[LinkCheck]
    crawled_pages: int  # pages of the portal seen, for the site-wide template share
    typos: dict[str, list[TypoHit]] = field(default_factory=dict)  # page URL -> hits (pages to judge only)
    unverified: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    # Unit of any other crawled page (later list pages, section roots) by the site's section prefixes,
    # so that a broken link found there is charged to the unit whose part of the portal carries it.
    page_units: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Finding:
    unit: str | None
    rule: str
    points: int
    needs_review: bool
    url: str
    column_url: str | None
    message: str  # Chinese, what the unit reads
    evidence: dict[str, Any] = field(default_factory=dict)
    state: str = "confirmed"  # confirmed | pending | dismissed

    @property
    def key(self) -> tuple:
        """Identity of a finding across runs (for remembered dismissals)."""
        return (self.unit, self.rule, self.url, self.evidence.get("target") or self.evidence.get("wrong") or self.evidence.get("element") or self.evidence.get("form") or "")


# ---------------------------------------------------------------------------
# JSON helpers


def jsonable(value: Any) -> Any:
    """Turn facts into JSON-ready values: dates as ISO strings, dataclasses as dicts."""
    if isinstance(value, dt.datetime):
        if value.hour == value.minute == value.second == 0 and value.microsecond == 0:
            return value.strftime("%Y-%m-%dT%H:%M")
        return value.strftime("%Y-%m-%dT%H:%M") if value.second == 0 else value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# ---------------------------------------------------------------------------
# What the previous run of the same site knew: the crawler's memory for incremental runs.


@dataclass(frozen=True)
class PreviousPage:
    url: str
    kind: str  # article | question | guide
    column_url: str
    list_row: str  # normalized text of the list row that led here; a change means refetch
    etag: str | None
    last_modified: str | None
    text_hash: str | None
    first_seen: dt.date | None
    facts: dict[str, Any]  # jsonable(facts) of the page
    links: tuple[Link, ...]
    warc: str | None = None


@dataclass(frozen=True)
class PreviousLink:
    target: str
    outcome: str
    reason: str | None
    http_status: int | None
    checked_on: dt.date | None


@dataclass
class PreviousState:
    """What the previous run knew. This in-memory form holds everything; the monitoring
    service subclasses it to read pages from the database on demand, so that a re-run of a
    100,000-page portal never holds the previous run's facts all at once. The crawler only
    uses the methods below."""

    as_of: dt.date | None = None
    pages: dict[str, PreviousPage] = field(default_factory=dict)
    links: dict[str, PreviousLink] = field(default_factory=dict)
    # The previous run's directory name under the runs directory ("run-12"). A reused page's
    # evidence pointer ("warc/…") is relative to that run; it is qualified with this prefix so
    # it still names the same record when read from the new run. None: pointers kept as they are.
    warc_root: str | None = None

    def iter_pages(self):
        """Every previous page, facts included or not (the crawler needs refetch hints and links)."""
        return iter(self.pages.values())

    def first_seen(self, url: str) -> dt.date | None:
        page = self.pages.get(url)
        return page.first_seen if page is not None else None

    def pages_for(self, urls) -> dict[str, PreviousPage]:
        """Full previous pages (facts included) for the given URLs that the previous run had."""
        return {url: self.pages[url] for url in urls if url in self.pages}

    def link(self, target: str) -> PreviousLink | None:
        return self.links.get(target)

    def iter_links(self):
        return iter(self.links.values())


_DATE_FIELDS = {"published_at", "event_date", "written_date", "asked_at", "answered_at", "date", "first_seen", "checked_on"}


def _parse_dateish(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if "T" in value:
        return dt.datetime.fromisoformat(value)
    return dt.date.fromisoformat(value)


def from_jsonable(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a facts dataclass from `jsonable` output (nested dataclasses included)."""
    import typing

    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        hint = hints[f.name]
        kwargs[f.name] = _rebuild(hint, value, f.name)
    return cls(**kwargs)


def _rebuild(hint: Any, value: Any, name: str) -> Any:
    import typing

    if value is None:
        return None
    if name in _DATE_FIELDS:
        return _parse_dateish(value)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple and args:
        return tuple(_rebuild(args[0], v, "") for v in value)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in args:
            if dataclasses.is_dataclass(arg) and isinstance(value, dict):
                return from_jsonable(arg, value)
        return value
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_jsonable(hint, value)
    return value


PAGE_FACT_TYPES = {"article": ArticleFacts, "question": QuestionFacts, "guide": GuideFacts}
