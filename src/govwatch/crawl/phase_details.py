"""Crawl phase 2, details: every item of every column (on an incremental run only new, changed
or previously unverified items are fetched; the others are reused from the previous run).

A mixin of GovSpider (spider.py holds the shared state and plumbing)."""

from __future__ import annotations

from govwatch import facts as F
from govwatch.crawl import parse as P
from govwatch.crawl import verdicts as V


class DetailsPhase:
    """Fetches and extracts the item pages the discovered columns list."""

    def _kind(self, category: str) -> str:
        return {"consultation": "question", "guide": "guide"}.get(category, "article")

    def _detail_jobs(self):
        columns = self._columns()
        self.lists.clear()  # list state is no longer needed: keep memory flat
        self.column_items.clear()
        self.requested.clear()
        assigned: set[str] = set()
        for column in columns:
            kind = self._kind(column["category"])
            for item in column["items"]:
                url = item["url"]
                if url in assigned or not self._in_allowed(url):
                    continue
                assigned.add(url)
                meta = {"role": "detail", "url": url, "column_url": column["url"], "unit": column["unit"],
                        "kind": kind, "list_date": item["date"], "row": item["row"]}
                yield self._detail(meta)
            column["items"] = ()  # written out already; free as the phase goes

    def _detail(self, meta):
        url = meta["url"]
        cached = self.replay.get(("page", url))
        if cached is not None:
            self.pending += 1
            self.local.append((self._replay_page, (cached,)))
            return None
        prev = self.prev_pages.get(url)
        if prev and prev.get("ok") and prev.get("list_row") == meta["row"] and prev.get("kind") == meta["kind"]:
            self._reuse_page(meta, prev, "unchanged")
            return None
        if self.html_fetches >= self.site.max_pages:
            self._max_pages_warning()
            self._detail_failed(meta, "超出抓取页数上限", None, None, "unverified")
            return None
        headers = {}
        if prev and prev.get("ok"):
            if prev.get("etag"):
                headers["If-None-Match"] = prev["etag"]
            if prev.get("last_modified"):
                headers["If-Modified-Since"] = prev["last_modified"]
            meta["prev"] = True
        self.html_fetches += 1
        return self._request(url, self._on_detail, meta, headers=headers or None)

    def _reuse_page(self, meta, prev, why):
        self.counts["reused_pages"] += 1
        self.url_outcome[meta["url"]] = ("ok", None, 200, prev.get("warc"))
        self._carry(meta["url"], self.prev_links_of(prev), fresh=False)
        self.out.write({"t": "page", "url": meta["url"], "column_url": meta["column_url"], "unit": meta["unit"],
                        "kind": meta["kind"], "status": F.OK, "list_date": meta["list_date"], "row": meta["row"],
                        "reused": why})

    def _replay_page(self, rec):
        self.url_outcome[rec["url"]] = tuple(rec.get("outcome") or ("ok", None, 200, rec.get("warc")))
        if rec.get("status") == F.OK:
            links = rec.get("links")
            if links is None:
                links = self.prev_links_of(self.prev_pages.get(rec["url"]))
            self._carry(rec["url"], links, fresh=bool(rec.get("fresh")))
        return []

    async def _on_detail(self, response):
        request = response.request
        meta = request.meta
        url = meta["url"]
        warc = meta.get("warc")
        try:
            if response.status == 304 and meta.get("prev"):
                self._reuse_page(meta, self.prev_pages[url], "not_modified")
                return []
            if response.status != 200:
                waf = V.is_waf_challenge(response.status, self.fx["decode_html"](response.body, None))
                reason = V.WAF_REASON if waf else V.http_reason(response.status)
                self._detail_failed(meta, reason, response.status, warc,
                                    "broken" if response.status in (404, 410) else "unverified")
                return []
            ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
            kind = meta["kind"]
            parsed = await self._parse(P.parse_detail, response.url, response.body, ctype, kind, meta["list_date"],
                                       self.guide_elements)
            if not parsed["html"]:
                self._detail_failed(meta, "不是网页", 200, warc, "unverified")
                return []
            if parsed["soft404"]:
                self._detail_failed(meta, V.SOFT404_REASON, 200, warc, "broken")
                return []
            links, text_hash = parsed["links"], parsed["text_hash"]
            prev = self.prev_pages.get(url)
            self.counts["pages"] += 1
            self.url_outcome[url] = ("ok", None, 200, warc)
            self._carry(url, links, fresh=True)
            self.out.write({
                "t": "page", "url": url, "column_url": meta["column_url"], "unit": meta["unit"], "kind": kind,
                "status": F.OK, "list_date": meta["list_date"], "row": meta["row"], "warc": warc,
                "facts": parsed["facts"], "links": links, "text_hash": text_hash,
                "etag": _header(response, b"ETag"), "last_modified": _header(response, b"Last-Modified"),
                "text_changed": not prev or prev.get("text_hash") != text_hash, "fresh": True,
                "outcome": ["ok", None, 200, warc],
                **{k: parsed[k] for k in ("page_type", "page_type_signal", "page_type_confidence") if k in parsed},
            })
            return []
        finally:
            self._task_done()

    def _detail_failed(self, meta, reason, status_code, warc, outcome):
        if status_code is not None:
            self._error(reason)
        self.url_outcome[meta["url"]] = (outcome, reason, status_code, warc)
        self.unverified.append((meta["url"], reason))
        self.out.write({"t": "page", "url": meta["url"], "column_url": meta["column_url"], "unit": meta["unit"],
                        "kind": meta["kind"], "status": F.UNVERIFIED, "list_date": meta["list_date"],
                        "row": meta["row"], "warc": warc, "reason": reason,
                        "outcome": [outcome, reason, status_code, warc]})



def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
