"""Parent side: turn the child's JSONL records into a CrawlResult backed by the run's fact store.

Nothing of a page is kept in memory: each record is typo-checked (article text is needed
for nothing else), turned into its stored form and written to `store.FactStore`. The
parent's memory stays flat however large the site; publishing reads the store per unit.
"""

from __future__ import annotations

import datetime as dt

from govwatch import facts as F
from govwatch.crawl.result import CrawlResult
from govwatch.store import FactStore, StoredSequence, link_state_from_record, page_row, state_from_row

# Reused pages take their facts from the previous run; fetched in batches of this many URLs.
REUSE_BATCH = 500


class Assembler:
    """Feed it records as they arrive (last record per key wins: a resumed crawl rewrites some)."""

    def __init__(self, as_of: dt.date, previous: F.PreviousState | None, text_hook=None, store_path=None):
        self.as_of = as_of
        self.previous = previous
        # text_hook(url, unit, text, first_seen, text_changed) -> typo hits or None; its optional
        # settle(typos) -> typos is called once all records are in.
        self.text_hook = text_hook
        self.typos: dict[str, list] = {}
        self.store = FactStore(store_path, fresh=True)
        self.warnings: list[str] = []
        self.done: dict | None = None
        self._reused: dict[str, dict] = {}  # url -> record waiting for the previous run's facts
        self.requests_before = 0  # requests of killed earlier attempts are not known; this run's child counts

    def feed(self, rec: dict) -> None:
        t = rec.get("t")
        if t == "column":
            self.store.put_column(rec)
        elif t == "page":
            self._take_text(rec)
            self._reused.pop(rec["url"], None)
            if rec.get("reused") and self.previous is not None:
                self._reused[rec["url"]] = rec
                if len(self._reused) >= REUSE_BATCH:
                    self._flush_reused()
            else:
                self.store.put_page(self._row(rec))
        elif t == "link":
            self.store.put_link(self._link(rec))
        elif t == "warning":
            if rec["text"] not in self.warnings:
                self.warnings.append(rec["text"])
        elif t == "done":
            self.done = rec

    def _first_seen(self, url: str) -> dt.date:
        seen = self.previous.first_seen(url) if self.previous is not None else None
        return seen or self.as_of

    def _take_text(self, rec: dict) -> None:
        facts = rec.get("facts")
        if self.text_hook is None or rec.get("kind") != "article" or rec.get("status") != F.OK or not facts:
            return
        text = facts.get("text") or ""
        hits = self.text_hook(rec["url"], rec.get("unit"), text, self._first_seen(rec["url"]),
                              bool(rec.get("text_changed", True)))
        if hits:
            self.typos[rec["url"]] = hits
        else:
            self.typos.pop(rec["url"], None)  # a resumed crawl may rewrite a record
        facts["text"] = ""

    def _flush_reused(self) -> None:
        if not self._reused:
            return
        previous = self.previous.pages_for(list(self._reused))
        for url, rec in self._reused.items():
            self.store.put_page(self._row(rec, previous.get(url)))
        self._reused.clear()

    def _row(self, rec: dict, prev: F.PreviousPage | None = None) -> dict:
        common = dict(url=rec["url"], column_url=rec["column_url"], unit=rec["unit"], kind=rec["kind"],
                      list_date=rec.get("list_date"), first_seen=self._first_seen(rec["url"]),
                      list_row=rec.get("row") or "", page_type=rec.get("page_type"),
                      page_type_signal=rec.get("page_type_signal"),
                      page_type_confidence=rec.get("page_type_confidence", 1.0))
        if rec.get("reused") and prev is not None:
            # Unchanged since the previous run: its facts, validators and evidence carry over.
            return page_row(status=F.OK, facts=prev.facts or None, text_changed=False, warc=self._prev_pointer(prev.warc),
                            etag=prev.etag, last_modified=prev.last_modified, text_hash=prev.text_hash,
                            links=prev.links, **common)
        if rec["status"] != F.OK:
            # Facts left empty: the next run refetches a page this run could not read.
            return page_row(status=F.UNVERIFIED, facts=None, text_changed=False, warc=rec.get("warc"),
                            reason=rec.get("reason"), **common)
        return page_row(status=F.OK, facts=rec["facts"], text_changed=bool(rec.get("text_changed", True)),
                        warc=rec.get("warc"), etag=rec.get("etag"), last_modified=rec.get("last_modified"),
                        text_hash=rec.get("text_hash"), links=rec.get("links") or (), **common)

    def _prev_pointer(self, pointer: str | None) -> str | None:
        """A reused page's evidence stays the previous run's record: name that run's directory."""
        root = self.previous.warc_root if self.previous is not None else None
        if pointer and root and pointer.startswith("warc/"):
            return f"{root}/{pointer}"
        return pointer

    def _link(self, rec: dict) -> dict:
        """The link record as stored. The child resolves `checked_on` (the date the target was last
        actually checked) from the previous run's links it was given."""
        checked_on = rec.get("checked_on")
        return {"target": rec["target"], "kind": rec["kind"], "outcome": rec["outcome"], "reason": rec["reason"],
                "http_status": rec["http_status"], "carriers": list(rec.get("carriers") or ()),
                "warc": rec.get("warc"), "checked_on": F.jsonable(checked_on)}

    def _settled_typos(self) -> dict | None:
        """The typo hits; a hook that learns from the whole run (the site's template lines) settles them."""
        if self.text_hook is None:
            return None
        settle = getattr(self.text_hook, "settle", None)
        return settle(dict(self.typos)) if settle is not None else dict(self.typos)

    def result(self) -> CrawlResult:
        self._flush_reused()
        self.store.flush()
        done = self.done or {}
        store = self.store
        return CrawlResult(
            columns=StoredSequence(store.columns, lambda: store.count("columns")),
            pages=StoredSequence(store.pages, lambda: store.count("pages")),
            links=StoredSequence(store.links, lambda: store.count("links")),
            page_states=StoredSequence(lambda: map(state_from_row, store.page_rows()), lambda: store.count("pages")),
            link_states=StoredSequence(lambda: map(link_state_from_record, store.link_records()),
                                       lambda: store.count("links")),
            crawled_pages=int(done.get("crawled_pages", 0)),
            unverified=[tuple(u) for u in done.get("unverified", [])], requests=int(done.get("requests", 0)),
            warc_files=list(done.get("warc_files", [])), stats=dict(done.get("stats", {})),
            warnings=list(self.warnings), typos=self._settled_typos(),
            store=store,
        )
