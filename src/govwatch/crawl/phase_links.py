"""Crawl phase 3, links: every distinct link, image and attachment target on crawled pages is
checked once (HEAD, then GET where an HTML answer must be read for soft 404s, judged against a
per-host probe of a page that cannot exist).

A mixin of GovSpider (spider.py holds the shared state and plumbing)."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlsplit

import scrapy

from govwatch.crawl import discovery as D
from govwatch.crawl import parse as P
from govwatch.crawl import verdicts as V
from govwatch.crawl.rota import recheck_plan


class LinksPhase:
    """Checks the link targets carried by crawled pages."""

    def _recheck_rota(self) -> set[str]:
        """The links reused from the previous run that the rota checks again this run (crawl/rota.py)."""
        rule = self.rulebook.rule("error.broken_link")
        last_checked = {}
        for target in self.targets:
            prev = self.prev_links.get(target)
            if (target in self.url_outcome or ("link", target) in self.replay or target in self.fresh_targets
                    or not prev or prev.get("outcome") != "ok"):
                continue
            last_checked[target] = dt.date.fromisoformat(prev["checked_on"]) if prev.get("checked_on") else None
        plan = recheck_plan(last_checked, self.as_of, float(rule.get("recheck_share", 0.0)),
                            int(rule.get("recheck_period_days", 0)))
        self.counts["recheck_candidates"] = len(last_checked)
        self.counts["rechecked_links"] = len(plan)
        return plan

    def _link_jobs(self):
        rota = self._recheck_rota()
        for target, (kind, carriers) in self.targets.items():
            known = self.url_outcome.get(target)
            if known is not None:
                # Judged as a page this run; the date it was last actually checked carries over
                # while its outcome stays the same (docs/rules.md, persistent 5xx).
                prev = self.prev_links.get(target) or {}
                self._link_result(target, known[0], known[1], known[2], known[3], checked=False,
                                  checked_on=prev.get("checked_on") if prev.get("outcome") == known[0] else None)
                continue
            cached = self.replay.get(("link", target))
            if cached is not None:
                self._link_emit(cached)
                continue
            prev = self.prev_links.get(target)
            if prev and prev.get("outcome") == "ok" and target not in self.fresh_targets and target not in rota:
                self.counts["reused_links"] += 1
                self._link_result(target, "ok", prev.get("reason"), prev.get("http_status"), None, checked=False,
                                  checked_on=prev.get("checked_on"))
                continue
            yield self._request(target, self._on_link, {"role": "link", "target": target, "step": "head",
                                                        "dont_obey_robotstxt": True,
                                                        "download_maxsize": self.site.max_page_bytes},
                                method="HEAD")

    def _link_emit(self, rec):
        kind, carriers = self.targets[rec["target"]]
        rec = {**rec, "kind": kind, "carriers": [self.page_urls[i] for i in carriers]}
        self.counts["links"] += 1
        self.out.write(rec)

    def _link_result(self, target, outcome, reason, status, warc, *, checked=True, checked_on=None):
        self._link_emit({"t": "link", "target": target, "outcome": outcome, "reason": reason, "http_status": status,
                         "warc": warc, "checked": checked,
                         "checked_on": self.job["as_of"] if checked else (checked_on or self.job["as_of"])})

    def _get(self, request):
        meta = {k: request.meta[k] for k in ("role", "target", "dont_obey_robotstxt", "download_maxsize")}
        meta["step"] = "get"
        self.pending += 1
        return scrapy.Request(request.meta["target"], callback=self._on_link, errback=self._errback,
                              meta={"handle_httpstatus_all": True, **meta}, dont_filter=True)

    def _on_link(self, response):
        request = response.request
        target = request.meta["target"]
        warc = request.meta.get("warc")
        s = response.status
        try:
            if request.meta["step"] == "head":
                ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
                if 200 <= s < 300:
                    if ctype and not ctype.startswith(("text/html", "application/xhtml", "application/octet-stream")):
                        self._link_result(target, "ok", None, s, warc)
                        return []
                    return [self._get(request)]  # an HTML answer must be read: soft 404s say 200
                if s in (404, 410):
                    self._link_result(target, "broken", V.http_reason(s), s, warc)
                    return []
                return [self._get(request)]
            return list(self._judge_get(request, response, target, warc))
        finally:
            self._task_done()

    def _judge_get(self, request, response, target, warc):
        s = response.status
        if 200 <= s < 300:
            ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
            if ctype and not ctype.startswith(("text/html", "application/xhtml")) and not P.looks_like_html(response.body):
                self._link_result(target, "ok", None, s, warc)
                return
            html = self.fx["decode_html"](response.body, ctype if "html" in ctype else None)
            if V.soft404_by_content(html):
                self._link_result(target, "broken", V.SOFT404_REASON, s, warc)
                return
            host = D.host_of(target)
            probe = self.probes.get(host, "unknown")
            if probe == "unknown":
                self.probes[host] = None
                self.probe_waiting[host] = [(target, V.fingerprint(html), s, warc)]
                parts = urlsplit(target)
                url = f"{parts.scheme}://{parts.netloc}/govwatch-probe-{uuid.uuid4().hex[:12]}.html"
                yield self._request(url, self._on_probe, {"role": "probe", "host": host, "dont_obey_robotstxt": True})
                return
            if probe is None:
                self.pending += 1  # parked until the probe answers
                self.probe_waiting[host].append((target, V.fingerprint(html), s, warc))
                return
            self._judge_fingerprint(target, V.fingerprint(html), probe, s, warc)
            return
        body = self.fx["decode_html"](response.body, None) if response.body else ""
        if s in (404, 410):
            self._link_result(target, "broken", V.http_reason(s), s, warc)
        elif V.is_waf_challenge(s, body):
            self._link_result(target, "unverified", V.WAF_REASON, s, warc)
        elif s >= 500:
            prev = self.prev_links.get(target) or {}
            persistent = (prev.get("http_status") or 0) >= 500
            self._link_result(target, "broken" if persistent else "unverified",
                              V.http_reason(s) + ("（持续）" if persistent else ""), s, warc)
        elif s in (401, 403, 407, 408, 429, 451):
            self._link_result(target, "unverified", V.http_reason(s), s, warc)
        elif 400 <= s < 500:
            self._link_result(target, "broken", V.http_reason(s), s, warc)
        else:
            self._link_result(target, "unverified", V.http_reason(s), s, warc)

    def _judge_fingerprint(self, target, fp, probe, status, warc):
        if probe and V.same_as_probe_fp(fp, probe):
            self._link_result(target, "broken", V.SOFT404_REASON, status, warc)
        else:
            self._link_result(target, "ok", None, status, warc)

    def _on_probe(self, response):
        try:
            fp = False
            if response.status == 200:
                html = self._html(response)
                if html is not None:
                    fp = V.fingerprint(html)
            self._probe_done(response.request.meta["host"], fp)
        finally:
            self._task_done()
        return []

    def _probe_done(self, host, fp):
        self.probes[host] = fp
        waiting = self.probe_waiting.pop(host, [])
        for i, (target, tfp, status, warc) in enumerate(waiting):
            self._judge_fingerprint(target, tfp, fp, status, warc)
            if i:
                self._task_done()  # the parked ones each held a pending slot

    def _link_failure(self, request, outcome, reason):
        target = request.meta["target"]
        warc = request.meta.get("warc")
        if (request.meta["step"] == "head" and outcome == "unverified"
                and reason not in ("连接超时", V.WAF_REASON, "页面过大", "私有地址，未检查")
                and not reason.startswith("robots")):
            yield self._get(request)  # some servers drop HEAD: ask again with GET
            return
        if reason == "页面过大":
            outcome, reason = "ok", None  # the server was sending a large file: the target exists
        self._link_result(target, outcome, reason, None, warc)

