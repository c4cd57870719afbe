"""Parent side: turn the child's JSONL records into a CrawlResult."""

from __future__ import annotations

import datetime as dt
import sys

from govwatch import facts as F
from govwatch.crawl.result import CrawlResult


class Assembler:
    """Feed it records as they arrive (last record per key wins: a resumed crawl rewrites some)."""

    def __init__(self, as_of: dt.date, previous: F.PreviousState | None, text_hook=None):
        self.as_of = as_of
        self.previous = previous
        # text_hook(url, unit, text, first_seen, text_changed) -> typo hits or None. Article text is only
        # needed for the typo check, so it is checked as each record arrives and then dropped: the parent's
        # memory stays flat however large the site, and stored facts stay small.
        self.text_hook = text_hook
        self.typos: dict[str, list] = {}
        self.columns: dict[str, dict] = {}
        self.pages: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self.warnings: list[str] = []
        self.done: dict | None = None
        self._link_cache: dict[tuple, F.Link] = {}
        self.requests_before = 0  # requests of killed earlier attempts are not known; this run's child counts

    def feed(self, rec: dict) -> None:
        t = rec.get("t")
        if t == "column":
            self.columns[rec["url"]] = rec
        elif t == "page":
            if rec.get("links") is not None:
                rec["links"] = self._shared_links(rec["links"])
            self._take_text(rec)
            self.pages[rec["url"]] = rec
        elif t == "link":
            # Template links are carried by every page: intern so each page URL is stored once.
            rec["carriers"] = [sys.intern(c) for c in rec.get("carriers", ())]
            self.links[rec["target"]] = rec
        elif t == "warning":
            if rec["text"] not in self.warnings:
                self.warnings.append(rec["text"])
        elif t == "done":
            self.done = rec

    def _take_text(self, rec: dict) -> None:
        facts = rec.get("facts")
        if self.text_hook is None or rec.get("kind") != "article" or rec.get("status") != F.OK or not facts:
            return
        text = facts.get("text") or ""
        prev = self.previous.pages.get(rec["url"]) if self.previous else None
        first_seen = prev.first_seen if prev and prev.first_seen else self.as_of
        hits = self.text_hook(rec["url"], rec.get("unit"), text, first_seen, bool(rec.get("text_changed", True)))
        if hits:
            self.typos[rec["url"]] = hits
        else:
            self.typos.pop(rec["url"], None)  # a resumed crawl may rewrite a record
        facts["text"] = ""

    def _shared_links(self, links: list[dict]) -> tuple[F.Link, ...]:
        """One Link object per distinct link: the template's links repeat on every page."""
        out = []
        for l in links:
            key = (l["url"], l["kind"], l.get("text", ""))
            link = self._link_cache.get(key)
            if link is None:
                link = self._link_cache[key] = F.Link(url=sys.intern(key[0]), kind=key[1], text=key[2])
            out.append(link)
        return tuple(out)

    def result(self) -> CrawlResult:
        done = self.done or {}
        prev_pages = self.previous.pages if self.previous else {}
        prev_links = self.previous.links if self.previous else {}
        columns = [
            F.Column(url=c["url"], unit=c["unit"], name=c["name"], category=c["category"], key_area=bool(c["key_area"]),
                     expected=c["expected"], status=c["status"],
                     items=tuple(F.from_jsonable(F.ListItem, i) for i in c["items"]),
                     placeholder=c["placeholder"], reason=c["reason"], warc=c["warc"])
            for c in self.columns.values()
        ]
        pages, states = [], []
        for url in list(self.pages):  # pop as we go: records and facts are not held twice
            rec = self.pages.pop(url)
            page, state = self._page(rec, prev_pages.get(rec["url"]))
            pages.append(page)
            if state is not None:
                states.append(state)
        links, link_states = [], []
        for key in list(self.links):
            rec = self.links.pop(key)
            target = rec["target"]
            carriers = tuple(rec["carriers"])
            links.append(F.LinkCheck(target=target, kind=rec["kind"], outcome=rec["outcome"], reason=rec["reason"],
                                     http_status=rec["http_status"], carriers=carriers, warc=rec.get("warc")))
            checked_on = rec.get("checked_on")
            prev = prev_links.get(target)
            if not rec.get("checked") and prev is not None and prev.outcome == rec["outcome"] and prev.checked_on:
                checked_on = prev.checked_on
            link_states.append(F.PreviousLink(target=target, outcome=rec["outcome"], reason=rec["reason"],
                                              http_status=rec["http_status"],
                                              checked_on=F._parse_dateish(checked_on) if isinstance(checked_on, str) else checked_on))
        self._link_cache.clear()
        unverified = [tuple(u) for u in done.get("unverified", [])]
        return CrawlResult(
            columns=columns, pages=pages, links=links, crawled_pages=int(done.get("crawled_pages", 0)),
            unverified=unverified, requests=int(done.get("requests", 0)), page_states=states,
            link_states=link_states, warc_files=list(done.get("warc_files", [])), stats=dict(done.get("stats", {})),
            warnings=list(self.warnings), typos=dict(self.typos) if self.text_hook is not None else None,
        )

    def _page(self, rec: dict, prev: F.PreviousPage | None):
        kind = rec["kind"]
        list_date = F._parse_dateish(rec["list_date"]) if rec.get("list_date") else None
        first_seen = prev.first_seen if prev and prev.first_seen else self.as_of
        common = dict(url=rec["url"], column_url=rec["column_url"], unit=rec["unit"], kind=kind, list_date=list_date,
                      first_seen=first_seen)
        if rec.get("reused") and prev is not None:
            facts = F.from_jsonable(F.PAGE_FACT_TYPES[kind], prev.facts) if prev.facts else None
            page = F.Page(status=F.OK, facts=facts, text_changed=False, warc=prev.warc, **common)
            state = F.PreviousPage(url=rec["url"], kind=kind, column_url=rec["column_url"], list_row=rec["row"],
                                   etag=prev.etag, last_modified=prev.last_modified, text_hash=prev.text_hash,
                                   first_seen=first_seen, facts=prev.facts, links=prev.links, warc=prev.warc)
            return page, state
        if rec["status"] != F.OK:
            page = F.Page(status=F.UNVERIFIED, facts=None, text_changed=False, warc=rec.get("warc"),
                          reason=rec.get("reason"), **common)
            # Facts left empty: the next run refetches a page this run could not read.
            state = F.PreviousPage(url=rec["url"], kind=kind, column_url=rec["column_url"], list_row=rec["row"],
                                   etag=None, last_modified=None, text_hash=None, first_seen=first_seen, facts={},
                                   links=(), warc=rec.get("warc"))
            return page, state
        facts = F.from_jsonable(F.PAGE_FACT_TYPES[kind], rec["facts"])
        page = F.Page(status=F.OK, facts=facts, text_changed=bool(rec.get("text_changed", True)), warc=rec.get("warc"),
                      **common)
        links = rec.get("links") or ()
        state = F.PreviousPage(url=rec["url"], kind=kind, column_url=rec["column_url"], list_row=rec["row"],
                               etag=rec.get("etag"), last_modified=rec.get("last_modified"), text_hash=rec.get("text_hash"),
                               first_seen=first_seen, facts=rec["facts"], links=links, warc=rec.get("warc"))
        return page, state
