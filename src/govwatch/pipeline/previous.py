"""The previous complete run's state, read from its stored rows, for an incremental crawl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from govwatch import facts as F
from govwatch.monitoring.models import LinkResult, PageFact, Run


class StoredPreviousState(F.PreviousState):
    """The previous run's state, read from its stored rows on demand.

    Held in memory: each page's first-seen date. Facts and links of pages are read only for
    the pages the crawler reuses, in batches, and link outcomes are streamed into the crawl
    child's job, so a re-run of a 100,000-page portal does not hold the previous run at once."""

    def __init__(self, run: Run):
        super().__init__(as_of=run.as_of, warc_root=Path(run.run_dir).name if run.run_dir else None)
        self.run = run
        self._first_seen = {url: seen for url, seen in
                            run.page_facts.values_list("url", "first_seen").iterator(chunk_size=5000)}

    @staticmethod
    def _link(link: LinkResult) -> F.PreviousLink:
        return F.PreviousLink(target=link.target, outcome=link.outcome, reason=link.reason or None,
                              http_status=link.http_status, checked_on=link.checked_on)

    def iter_links(self):
        fields = ("target", "outcome", "reason", "http_status", "checked_on")
        for link in self.run.link_results.only(*fields).order_by("pk").iterator(chunk_size=5000):
            yield self._link(link)

    def link(self, target: str) -> F.PreviousLink | None:
        found = self.run.link_results.filter(target=target).first()
        return self._link(found) if found is not None else None

    @staticmethod
    def _page(p: PageFact) -> F.PreviousPage:
        return F.PreviousPage(
            url=p.url, kind=p.kind, column_url=p.column_url, list_row=p.list_row,
            etag=p.etag or None, last_modified=p.last_modified or None, text_hash=p.text_hash or None,
            first_seen=p.first_seen, facts=p.facts, links=tuple(F.Link(**link) for link in p.links),
            warc=p.warc or None,
        )

    def iter_pages(self):
        # Small chunks: each row carries its facts and links as JSON.
        for p in self.run.page_facts.all().order_by("pk").iterator(chunk_size=200):
            yield self._page(p)

    def first_seen(self, url: str) -> dt.date | None:
        return self._first_seen.get(url)

    def pages_for(self, urls) -> dict[str, F.PreviousPage]:
        urls = list(urls)
        out = {}
        for i in range(0, len(urls), 500):
            for p in self.run.page_facts.filter(url__in=urls[i:i + 500]):
                out[p.url] = self._page(p)
        return out


def previous_state(run: Run | None) -> F.PreviousState | None:
    return StoredPreviousState(run) if run is not None else None
