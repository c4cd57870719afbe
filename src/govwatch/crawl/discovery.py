"""Column discovery heuristics: what is a list page, what to call a column, which links
are traps, and how list pages group into columns. Pure functions and small classes."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from govwatch.facts import ListPage

# Anchor texts that say nothing about the column they lead to.
MEANINGLESS_ANCHORS = re.compile(
    r"^(更多|更多>+|more|>+|»+|首页|上一页|下一页|尾页|末页|返回|点击进入|进入|详细|详情|查看|\d+|第\d+页|\W*)$", re.I)
MAX_ANCHOR_NAME = 16

# Navigation depth below a section root (pagination does not count).
NAV_DEPTH = 3
# A path followed with more distinct query strings than this is a trap (calendars, session ids).
QUERY_VARIANTS = 8
# Pages of one path linking onward to new query values of the same path more than this: a trap.
SELF_CHAIN = 3
PAGING_REASON = "分页过多"

_PAGE_PARAMS = {"page", "pageno", "pagenum", "pageindex", "p", "pn", "currentpage", "curpage", "start", "offset"}


def is_list_page(listing: ListPage) -> bool:
    """A column list: dated items, pagination or a blank placeholder."""
    dated = sum(1 for item in listing.items if item.date is not None)
    return dated >= 1 or bool(listing.pages) or bool(listing.placeholder)


def column_name(anchor: str | None, listing: ListPage | None) -> str:
    text = " ".join((anchor or "").split())
    if text and len(text) <= MAX_ANCHOR_NAME and not MEANINGLESS_ANCHORS.match(text):
        return text
    if listing is not None and listing.column_name:
        return listing.column_name.strip()
    return text or ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class TrapGuard:
    """Spots crawler traps among navigation links.

    Two signs, either is enough: pages of one path that keep linking to new query
    values of that same path (an endless calendar: ?date= → ?date=), more than
    SELF_CHAIN times; or more than QUERY_VARIANTS distinct query strings for one
    path overall. Pure pagination parameters are exempt (the rulebook's max_list_pages bounds them).
    """

    def __init__(self, limit: int = QUERY_VARIANTS, chain: int = SELF_CHAIN):
        self.limit = limit
        self.chain = chain
        self.variants: dict[str, set[str]] = defaultdict(set)
        self.self_links: dict[str, set[str]] = defaultdict(set)
        self.first: dict[str, str] = {}
        self.trapped: set[str] = set()

    @staticmethod
    def key(url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def allow(self, url: str, from_url: str | None = None) -> bool:
        parts = urlsplit(url)
        if not parts.query:
            return True
        key = self.key(url)
        self.first.setdefault(key, url)
        if key in self.trapped:
            return False
        names = frozenset(k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True))
        if names and names <= _PAGE_PARAMS:
            return True
        seen = self.variants[key]
        if parts.query in seen:
            return True
        chained = from_url is not None and self.key(from_url) == key and urlsplit(from_url).query
        if len(seen) >= self.limit or (chained and len(self.self_links[key]) >= self.chain):
            self.trapped.add(key)
            return False
        seen.add(parts.query)
        if chained:
            self.self_links[key].add(parts.query)
        return True


class ListGroups:
    """Union-find over list pages joined by pagination links. Each group is one column,
    headed by the member reached from navigation first."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def add(self, url: str) -> None:
        self.parent.setdefault(url, url)

    def find(self, url: str) -> str:
        self.add(url)
        root = url
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[url] != root:
            self.parent[url], url = root, self.parent[url]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for url in self.parent:
            out[self.find(url)].append(url)
        return out
