"""Crawl phase 1, discovery: section roots and pinned columns → navigation pages → list pages
and their pagination; list pages group into columns (`_columns`, which phase 2 starts from).

A mixin of GovSpider (spider.py holds the shared state and plumbing); pure heuristics live in
discovery.py, incremental list walks in httpcache.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque

from govwatch import facts as F
from govwatch.crawl import discovery as D
from govwatch.crawl import httpcache as H
from govwatch.crawl import parse as P
from govwatch.crawl import verdicts as V


# Page types (extract.pagetype) that can head a column; "other" is an undecided page that still
# lists dated items, kept as a column with the low confidence its type judgement has.
LIST_TYPES = ("list", "other")
NOT_NAVIGATION = ("article", "consultation", "guide", "attachment")
# A page the classifier could not place that still lists dated items: a column, but an unsure one.
OTHER_LIST_CONFIDENCE = 0.3
# The most telling form wins when a column's pages were read in several ways.
READ_VIA_ORDER = ("rendered", "endpoint", "script_records", "static")
PTYPE_FIELDS = ("page_type", "page_type_signal", "page_type_confidence")


class DiscoveryPhase:
    """Finds the columns of every unit."""

    def _in_allowed(self, url: str) -> bool:
        return D.host_of(url) in self.allowed

    def _discover(self, url: str, unit: str | None, *, depth: int, anchor: str, via: str, column: str | None = None):
        url = D.strip_fragment(url)
        if url in self.requested or not self._in_allowed(url):
            return []
        if self.html_fetches >= self.site.max_pages:
            self._max_pages_warning()
            return []
        self.requested.add(url)
        self.order += 1
        meta = {"role": "discover", "unit": unit, "depth": depth, "anchor": anchor, "via": via,
                "order": self.order, "column": column}
        cached = self.replay.get(("fetch", url))
        if cached is not None:
            self.pending += 1
            self.local.append((self._replay_discovered, (meta, cached)))
            return []
        if via == "page" and self.walks.get(column, {}).get("how") in ("reuse", "shift"):
            meta["govwatch_reuse"] = True  # answered from the list cache when it has the page
        self.html_fetches += 1
        priority = 10 if via == "page" else -depth
        return [self._request(url, self._on_discover, meta, priority=priority)]

    def _max_pages_warning(self):
        if not self.max_pages_hit:
            self.max_pages_hit = True
            self.warn(f"已达到最大抓取页数 {self.site.max_pages}，其余页面未抓取")

    def _replay_discovered(self, meta, rec):
        listing = P.listpage_from_json(rec["list"]) if rec.get("list") else None
        return list(self._discovered(meta, rec["url"], listing, rec.get("links") or [], rec.get("status_code"),
                                     rec.get("reason"), rec.get("warc"), replayed=True,
                                     list_hint=bool(rec.get("list_hint")), walk=rec.get("walk"),
                                     ptype=rec.get("ptype")))

    async def _on_discover(self, response):
        request = response.request
        url = self._origin_url(request)
        warc = request.meta.get("warc")
        try:
            reason = None
            listing, links = None, []
            if response.status != 200:
                body = self.fx["decode_html"](response.body, None) if response.body else ""
                reason = V.WAF_REASON if V.is_waf_challenge(response.status, body) else V.http_reason(response.status)
            else:
                ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
                parsed = await self._parse(P.parse_list, response.url, response.body, ctype)
                if not parsed["html"]:
                    reason = "不是网页"
                else:
                    listing = P.listpage_from_json(parsed["list"])
                    links = parsed["links"]
            if reason:
                self._error(reason)
            hint = bool(listing is not None and parsed.get("list_hint"))
            ptype = {k: parsed[k] for k in PTYPE_FIELDS if k in parsed} if listing is not None else None
            if ptype is not None and parsed.get("item_links"):
                ptype["item_links"] = parsed["item_links"]
            source = request.meta.get("govwatch_cache")
            if source:
                self.cache_counts[source] += 1
                if source == "reused":
                    self.html_fetches -= 1  # not a fetch
            walk = None
            if listing is not None and request.meta["via"] != "page":
                walk = self._walk_decision(url, parsed["list"])
            self.out.write({"t": "fetch", "url": url, "final_url": response.url, "status_code": response.status,
                            "reason": reason, "warc": warc, "list": parsed["list"] if listing else None,
                            "links": links, "list_hint": hint, "walk": walk, "cache": source, "ptype": ptype})
            return list(self._discovered(request.meta, url, listing, links, response.status, reason, warc,
                                         list_hint=hint, walk=walk, ptype=ptype))
        finally:
            self._task_done()

    def _walk_decision(self, head: str, data: dict) -> dict:
        """How to walk the pagination of a list page that may head a column (recorded in the fetch
        record, so a resumed crawl keeps it). On a re-run, with the column's periodic full walk not
        due (httpcache.full_walk_due) and the column not a consultation column (its rows change as
        questions are answered):

        - "reuse": the page lists exactly what it listed last time (same items, row texts, dates,
          page links, placeholder). The deeper pages come from the list cache without a request.
        - "shift": the page lists new items on top and then, in the same order and unchanged, the
          items it listed last time minus as many at the bottom (a newest-first list that grew).
          The items pushed off it are known, so the deeper pages are reused as well.
        - "full" otherwise: every page is asked (conditionally).

        "extra" holds the items pushed off the first page since the last full walk: they are
        below it now, on pages reused from the cache as they were before the push."""
        digest = P.list_digest(data)
        full = {"how": "full", "digest": digest}
        if not (self.incremental and self.list_cache is not None and self.walk_days > 0):
            return full
        items = list(data.get("items", ()))
        if any((self.prev_pages.get(i["url"]) or {}).get("kind") == "question" for i in items):
            return full
        last = self.list_cache.last_walk(head)
        if last is None or H.full_walk_due(head, self.as_of, last["walked_on"], self.walk_days):
            return full
        keep = {"digest": digest, "walked_on": last["walked_on"].isoformat()}
        if last["digest"] == digest:
            return {"how": "reuse", **keep, "extra": last["extra"]}
        pushed = pushed_off(last["items"], items)
        if pushed is None:
            return full
        return {"how": "shift", **keep, "extra": pushed + last["extra"]}

    def _save_walks(self) -> None:
        """Remember how each column's list stands after this run: a complete full walk, or a first
        page that grew on top (its new items and the items pushed off it). Forget the columns
        whose walk could not read every list page (cached pages may be older than the first page)
        and those whose list is undated or not newest first (a deeper page has an item newer than
        the first page's newest: new items may land there): they are walked in full every run."""
        if self.list_cache is None:
            return
        update = {}
        for head, walk in self.walks.items():
            newest, deeper = self.head_newest.get(head), self.deeper_newest.get(head)
            newest_first = newest is not None and (deeper is None or deeper <= newest)
            if head in self.walk_failed or not newest_first:
                update[head] = None
            elif head not in self.head_urls or not walk.get("digest"):
                continue
            elif walk["how"] == "full":
                update[head] = {"walked_on": self.as_of, "digest": walk["digest"], "items": walk["items"],
                                "extra": []}
            elif walk["how"] == "shift":
                update[head] = {"walked_on": dt.date.fromisoformat(walk["walked_on"]), "digest": walk["digest"],
                                "items": walk["items"], "extra": walk["extra"]}
        self.list_cache.set_walks(update)
        problem = self.list_cache.problem
        if problem and problem.startswith("列表页缓存写入失败"):
            self.warn(problem)

    def _discovered(self, meta, url, listing, links, status_code, reason, warc, replayed=False, list_hint=False,
                    walk=None, ptype=None):
        """Handle a fetched (or replayed, or failed) discovery page; yields follow-up requests.

        `ptype` is what the page shows (extract.pagetype): on a navigation or section page only a
        page shown as a list is a column. An article with a dated sidebar, or a section index listing
        the latest items of each of its columns, is not one, whatever the number of dates on it."""
        if replayed is False and reason is not None and status_code is None:
            self.out.write({"t": "fetch", "url": url, "status_code": None, "reason": reason, "warc": warc,
                            "list": None, "links": []})
        ok = reason is None
        self.url_outcome[url] = self._crawl_outcome(status_code, reason, warc)
        if ok:
            self.counts["pages"] += 1
            self._carry(url, links, fresh=False)
        via, unit, depth = meta["via"], meta["unit"], meta["depth"]
        if via == "page" and status_code in (404, 410):
            # A dead pagination link is the site's broken link (the link check reports it),
            # not a failure to read the column.
            ok, reason, listing = True, None, None
        is_list = listing is not None and (D.is_list_page(listing) or list_hint)
        shown = (ptype or {}).get("page_type")
        if via in ("nav", "root") and shown is not None and shown not in LIST_TYPES:
            is_list = False
        if via == "root" and is_list and not (listing.pages or listing.placeholder or list_hint):
            is_list = False  # a unit's home page shows blocks of other columns' items
            self.root_lists[url] = (meta, listing, warc, ptype)  # unless the unit turns out to have no other column
        if via in ("page", "pin") or is_list:
            newest = None
            if ok and listing is not None:
                newest = max((i.date for i in listing.items if i.date is not None), default=None)
                if via != "page" and isinstance(walk, dict):
                    self.walks[url] = {**walk, "paged": bool(listing.pages), "items": F.jsonable(listing.items)}
                    self.head_newest[url] = newest
                    if walk["how"] != "full" and walk.get("extra"):
                        # items pushed off the first page since the last full walk: the column has them
                        extra = P.listpage_from_json({"url": url, "items": walk["extra"]}).items
                        listing = dataclasses.replace(listing, items=listing.items + extra)
                elif via == "page" and newest is not None and meta.get("column"):
                    head = meta["column"]
                    self.deeper_newest[head] = max(newest, self.deeper_newest.get(head, newest))
            self._register_list(url, meta, listing, ok, reason, warc, ptype)
            if via == "page" and not ok and meta.get("column"):
                self.walk_failed.add(meta["column"])
            if ok and listing is not None:
                yield from self._follow_pagination(url, meta, listing)
        elif not ok and via == "nav" and self._crawl_outcome(status_code, reason, warc)[0] == "unverified":
            # A section link we could not read (5xx, WAF, timeout) may well be a column: report it as an
            # unverified column, which is never charged, rather than lose it.
            self._register_list(url, meta, None, ok, reason, warc)
        elif not ok:
            self.unverified.append((url, reason))
        if via == "nav" and shown in NOT_NAVIGATION:
            return  # an article's links (related items, previous/next) are not the unit's navigation
        if ok and listing is not None and via != "page":
            # Also at the depth limit: trap detection needs to see the links it will not follow.
            yield from self._follow_nav(url, unit, depth, listing, links, follow=depth < self.nav_depth,
                                        items=(ptype or {}).get("item_links", ()))

    def _crawl_outcome(self, status_code, reason, warc):
        if reason is None:
            return ("ok", None, status_code, warc)
        if status_code in (404, 410) or reason == V.SOFT404_REASON:
            return ("broken", reason, status_code, warc)
        return ("unverified", reason, status_code, warc)

    def _register_list(self, url, meta, listing, ok, reason, warc, ptype=None):
        self.groups.add(url)
        if meta["via"] != "page":
            self.head_urls.add(url)
        self.lists[url] = {
            "via": meta["via"], "order": (meta["depth"], meta["order"]), "unit": meta["unit"],
            "anchor": meta["anchor"], "ok": ok, "reason": reason, "warc": warc,
            "items": listing.items if listing else (), "pages": listing.pages if listing else (),
            "placeholder": listing.placeholder if listing else None,
            "name": listing.column_name if listing else None,
            "ptype": ptype, "read_via": listing.read_via if listing else None,
        }

    def _reading(self, head: str, pages: list[str], pinned: bool) -> dict:
        """How sure we are that a column is a dated list, and how its list was read (see facts.Column)."""
        ptype = self.lists[head].get("ptype") or {}
        if pinned:
            confidence, signal = 1.0, "pinned"
        elif ptype.get("page_type") == "list":
            confidence, signal = float(ptype.get("page_type_confidence", 0.0)), ptype.get("page_type_signal")
        elif ptype:
            confidence, signal = OTHER_LIST_CONFIDENCE, ptype.get("page_type_signal")
        else:
            confidence, signal = 0.0, None  # never read: an unverified column
        forms = {self.lists[u].get("read_via") for u in pages} - {None}
        read_via = next((f for f in READ_VIA_ORDER if f in forms), "static")
        return {"list_confidence": round(confidence, 2), "page_type_signal": signal, "read_via": read_via}

    def _follow_pagination(self, url, meta, listing):
        head = meta.get("column") or url
        known = self.column_pages.get(head, 0)
        seen = self.column_items.setdefault(head, set())
        fresh = [i.url for i in listing.items if i.url not in seen]
        seen.update(fresh)
        if meta["via"] == "page" and listing.items and not fresh:
            # An endless pagination (every page the same items) stops when a page adds nothing new.
            return
        for page in listing.pages:
            page = D.strip_fragment(page)
            if not self._in_allowed(page):
                continue
            self.groups.union(url, page)
            if page in self.requested:
                continue
            cap = self.rulebook.max_list_pages
            if known >= cap:
                # An endless list_N trap, or a list longer than we read: stop, and say the
                # column could not be judged rather than judge it on part of its list.
                if head not in self.paging_capped:
                    self.paging_capped.add(head)
                    self.warn(f"栏目分页超过 {cap} 页，已停止翻页，该栏目无法核实：{head}")
                return
            known += 1
            self.column_pages[head] = known
            yield from self._discover(page, meta["unit"], depth=meta["depth"], anchor="", via="page", column=head)

    def _follow_nav(self, url, unit, depth, listing, links, follow=True, items=()):
        skip = {i.url for i in listing.items if i.date is not None} | set(listing.pages) | set(items)
        for link in links:
            target = D.strip_fragment(link["url"])
            if link["kind"] != "a" or target in skip or target in self.requested:
                continue
            if not self._in_allowed(target) or self.site.unit_for_url(target) != unit or unit is None:
                continue
            if not self.traps.allow(target, url):
                key = self.traps.key(target)
                if key not in self.trap_warned:
                    self.trap_warned.add(key)
                    first = self.traps.first.get(key, target)
                    self.warn(f"疑似爬虫陷阱（同一路径的查询参数不断变化），已停止跟踪：{first}")
                    self.unverified.append((first, "疑似爬虫陷阱，已停止跟踪"))
                continue
            if follow:
                yield from self._discover(target, unit, depth=depth + 1, anchor=link.get("text", ""), via="nav")

    def _columns(self) -> list[dict]:
        """Group list pages into columns and write their records."""
        out = []
        pins = {p.url: p for p in self.site.columns}
        from govwatch.rulebook.classify import classify_column

        # A section root with dated items is a column after all when nothing else of its unit is.
        units_with_columns = {info["unit"] for info in self.lists.values()}
        for url, (meta, listing, warc, ptype) in self.root_lists.items():
            if meta["unit"] not in units_with_columns:
                self._register_list(url, meta, listing, True, None, warc, ptype)
        self.root_lists.clear()

        for members in self.groups.groups().values():
            members = [m for m in members if m in self.lists]
            if not members:
                continue
            heads = [m for m in members if self.lists[m]["via"] in ("pin", "nav", "root")] or members
            head = min(heads, key=lambda m: (0 if m in pins else 1, self.lists[m]["order"]))
            ordered, queue, seen = [], deque([head]), {head}
            while queue:
                u = queue.popleft()
                ordered.append(u)
                for p in self.lists[u]["pages"]:
                    if p in self.lists and p not in seen:
                        seen.add(p)
                        queue.append(p)
            ordered += sorted((m for m in members if m not in seen), key=lambda m: self.lists[m]["order"])
            items, item_urls = [], set()
            for u in ordered:
                for item in self.lists[u]["items"]:
                    if item.url not in item_urls:
                        item_urls.add(item.url)
                        items.append(item)
            info = self.lists[head]
            failed = [self.lists[u] for u in ordered if not self.lists[u]["ok"]]
            if head in self.paging_capped:
                failed.insert(0, {"reason": D.PAGING_REASON})
            pin = pins.get(head)
            name = (pin.name if pin and pin.name else None) or D.column_name(info["anchor"], _Named(info["name"]))
            unit = (pin.unit if pin and pin.unit else None) or self.site.unit_for_url(head) or info["unit"]
            cls = classify_column(name, self.rulebook)
            category = pin.category if pin and pin.category else cls.category
            key_area = pin.key_area if pin and pin.key_area is not None else cls.key_area
            expected = pin.expected if pin and pin.expected else cls.expected
            column = {
                "url": head, "unit": unit, "name": name, "category": category, "key_area": key_area,
                "expected": expected, "status": F.UNVERIFIED if failed else F.OK,
                "items": F.jsonable(items), "placeholder": None if items else info["placeholder"],
                "reason": failed[0]["reason"] if failed else None, "warc": info["warc"],
                "pages": ordered, "_order": info["order"],
                **self._reading(head, ordered, pin is not None),
                # A category the office pinned is sure; one read from the name is as sure as the name.
                "category_confidence": 1.0 if pin and pin.category else cls.confidence,
            }
            if failed:
                self.unverified.append((head, failed[0]["reason"]))
            out.append(column)
        out.sort(key=lambda c: (c["unit"] or "", c["_order"]))
        for column in out:
            column.pop("_order")
            self.out.write({"t": "column", **column})
        return out



def pushed_off(old: list[dict], new: list[dict]) -> list[dict] | None:
    """The items a newest-first list page pushed off its bottom, when `new` is `old` with new items
    on top: k items not in `old`, all dated no earlier than the newest of `old`, then the first
    len(new) - k items of `old` unchanged (URL, title, date, row text) and in the same order.
    None when the page changed in any other way (an edit, a removal, a reordering)."""
    key = lambda i: (i.get("url"), i.get("title"), (i.get("date") or "")[:10], i.get("row", ""))  # noqa: E731
    old_urls = {i.get("url") for i in old}
    k = 0
    while k < len(new) and new[k].get("url") not in old_urls:
        k += 1
    if k == 0 or k == len(new):
        return None  # nothing new on top, or nothing left to line up with
    keep = len(new) - k
    if [key(i) for i in new[k:]] != [key(i) for i in old[:keep]]:
        return None
    newest_old = max(((i.get("date") or "")[:10] for i in old), default="")
    if any(not i.get("date") or i["date"][:10] < newest_old for i in new[:k]):
        return None
    return old[keep:]


class _Named:
    def __init__(self, name):
        self.column_name = name

