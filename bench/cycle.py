"""Benchmark: govwatch's full monitoring cycle against a bare Scrapy crawl of the same site.

    python bench/cycle.py [--scale small|default|large|N] [--server nginx|static|sample] [--repeat 3]

It generates the sample portal and serves its files with nginx (the reference
server, so the server is not what is measured), then, in one run, prints:
- a bare Scrapy crawl's pages/s and the full govwatch cycle's pages/s (crawl,
  extract, check, score, stored in SQLite), each the median and the min–max of
  `--repeat` (3) repetitions whose order alternates, and the CPU seconds per
  page of both (user + system, the crawl child included), with their ratios.
  The bare crawl has govwatch's guards: trap guard, navigation depth, list page
  cap, the site's timeout, size cap and concurrency, deduplicated start URLs;
- where the time goes (crawl phases, publishing);
- the request count of an incremental re-run 7 days later (unchanged site), and of a
  re-run after about 1% of the pages changed (see `changed_site`), as ratios of the full
  run's requests, with what the requests were for;
- peak RSS of the crawl child and of the govwatch process.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SPIDER = r'''
import sys, time, json, re, resource
from urllib.parse import parse_qsl, urlsplit
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from govwatch.crawl.discovery import TrapGuard

cfg, out = json.loads(sys.argv[1]), sys.argv[2]
starts = cfg["starts"]
netloc = urlsplit(starts[0]).netloc  # host and port: a link to another port of the host is off-site
PAGE_PARAMS = {"page", "pageno", "pagenum", "pageindex", "p", "pn", "currentpage", "curpage", "start", "offset"}
PAGE_FILE = re.compile(r"/index_\d+\.html?$")


def pagination(url):
    parts = urlsplit(url)
    names = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(PAGE_FILE.search(parts.path)) or bool(names) and names <= PAGE_PARAMS


class Bare(scrapy.Spider):
    # The guards govwatch's crawl has (crawl/discovery.py, crawl/worker.py): the trap guard on
    # query variants, a navigation depth that pagination does not count, a cap on list pages
    # per path, the site's timeout and size cap, and start URLs through the duplicate filter.
    name = "bare"
    links = LinkExtractor(deny_extensions=["pdf", "doc", "docx", "xls", "xlsx", "zip", "png", "jpg", "gif", "css", "js"])
    pages = failed = 0
    traps = TrapGuard(cfg["query_variants"])
    list_pages = {}

    async def start(self):
        for url in starts:
            yield scrapy.Request(url, self.parse, errback=self.failure, dont_filter=False, meta={"hops": 0})

    def failure(self, failure):
        self.failed += 1  # the planted faults (hang, reset, huge page): counted, not logged

    def parse(self, response):
        self.pages += 1
        if not hasattr(response, "text"):
            return
        hops = response.meta["hops"]
        for link in self.links.extract_links(response):
            if urlsplit(link.url).netloc != netloc or not self.traps.allow(link.url, response.url):
                continue
            if pagination(link.url):
                key = urlsplit(link.url).path.rsplit("/", 1)[0]
                self.list_pages[key] = self.list_pages.get(key, 0) + 1
                if self.list_pages[key] <= cfg["max_list_pages"]:
                    yield response.follow(link.url, self.parse, errback=self.failure, meta={"hops": hops})
            elif hops < cfg["max_hops"]:
                yield response.follow(link.url, self.parse, errback=self.failure, meta={"hops": hops + 1})

settings = {"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": max(16, cfg["per_host"] * 4),
            "CONCURRENT_REQUESTS_PER_DOMAIN": cfg["per_host"], "DOWNLOAD_DELAY": cfg["delay"],
            "DOWNLOAD_TIMEOUT": cfg["timeout"], "DOWNLOAD_MAXSIZE": cfg["max_bytes"], "DOWNLOAD_WARNSIZE": 0,
            "ROBOTSTXT_OBEY": cfg["obey_robots"], "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False,
            # hops are counted by the spider (pagination free, as in govwatch); this is a backstop only
            "DEPTH_LIMIT": cfg["max_hops"] + cfg["max_list_pages"],
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}
if cfg["aiohttp"]:
    settings["DOWNLOAD_HANDLERS"] = {"http": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler"}
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)


def usage():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


cpu, t = usage(), time.perf_counter()
process.crawl(crawler)
process.start()
elapsed, cpu = time.perf_counter() - t, usage() - cpu
json.dump({"pages": crawler.spider.pages, "failed": crawler.spider.failed, "elapsed": elapsed, "cpu": cpu,
           "requests": crawler.stats.get_value("downloader/request_count"),
           "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, open(out, "w"))
'''


STATIC_SERVER = r'''
import sys, mimetypes
from pathlib import Path
from aiohttp import web

root, port = Path(sys.argv[1]).resolve(), int(sys.argv[2])

async def handle(request):
    path = (root / request.path.lstrip("/")).resolve()
    if not str(path).startswith(str(root)):
        raise web.HTTPNotFound()
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return web.Response(status=404, text="<html><title>404</title></html>", content_type="text/html")
    ctype = mimetypes.guess_type(path.name)[0] or "text/html"
    return web.Response(body=path.read_bytes(), content_type=ctype)

app = web.Application()
app.router.add_route("*", "/{tail:.*}", handle)
web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
'''


def static_server(root: Path, port: int) -> subprocess.Popen:
    """A fast static server (aiohttp) so that the server is not what is measured."""
    script = Path(tempfile.mkdtemp()) / "static.py"
    script.write_text(STATIC_SERVER)
    proc = subprocess.Popen([sys.executable, str(script), str(root), str(port)])
    time.sleep(1.5)
    return proc


def bare_crawl(site, aiohttp: bool = False) -> dict:
    """A bare Scrapy crawl of the site's sections, in its own process, with govwatch's guards."""
    from govwatch.crawl import discovery as D

    cfg = {"starts": [s for u in site.units for s in u.sections], "aiohttp": aiohttp,
           "per_host": int(site.concurrency_per_host), "delay": float(site.delay_seconds),
           "timeout": float(site.timeout_seconds), "max_bytes": int(site.max_page_bytes),
           "obey_robots": bool(site.obey_robots),
           "query_variants": int((site.extra or {}).get("query_variants", D.QUERY_VARIANTS)),
           # navigation levels below a section plus the hop to an article
           "max_hops": D.NAV_DEPTH + 1, "max_list_pages": D.MAX_LIST_PAGES}
    with tempfile.TemporaryDirectory() as tmp:
        script, out = Path(tmp) / "bare.py", Path(tmp) / "out.json"
        script.write_text(BARE_SPIDER)
        subprocess.run([sys.executable, str(script), json.dumps(cfg), str(out)], check=True)
        return json.loads(out.read_text())


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the crawl child)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


NGINX_CONF = """
user root;
worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    default_type text/html;
    types {{ text/html html htm; text/css css; application/javascript js; image/png png; image/jpeg jpg jpeg;
             image/gif gif; application/pdf pdf; application/msword doc; application/zip zip; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        location / {{
            # the generator stores /path?query as the file "path@query"
            set $f $uri;
            if ($args != "") {{ set $f "$uri@$args"; }}
            try_files $f $f/index.html $uri/ =404;
        }}
    }}
}}
"""


def nginx_server(root: Path, port: int, work: Path) -> subprocess.Popen:
    """nginx serving the generated files: the reference server, so the server is not what is measured."""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, port=port, root=root))
    proc = subprocess.Popen(["nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    if proc.poll() is not None:
        raise SystemExit("nginx did not start: " + (work / "nginx-error.log").read_text(errors="replace")[-500:])
    return proc


LIST_NAME = re.compile(r"(^|/)(index(_\d+)?\.html|list(@page=\d+)?)$")


LIST_META = '<meta name="ColumnType" content="信息列表">'.encode("utf-8")


def _is_list_file(rel: str, data: bytes) -> bool:
    return bool(LIST_NAME.search(rel)) or LIST_META in data[:4000]


def _tree(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}


def changed_pages(old_www: Path, new_www: Path) -> tuple[int, int, int]:
    """(new pages, edited pages, pages) between two generated sites. List pages that only
    changed because of those are not counted: they follow from the change."""
    old, new = _tree(old_www), _tree(new_www)
    html = lambda rel, path: path.suffix in ("", ".html") or "@" in rel
    pages = sum(1 for rel, path in old.items() if html(rel, path))
    added = edited = 0
    for rel, path in new.items():
        if not html(rel, path):
            continue
        data = path.read_bytes()
        if rel not in old:
            added += 1
        elif not _is_list_file(rel, data) and data != old[rel].read_bytes():
            edited += 1
    return added, edited, pages


def changed_site(work: Path, as_of: dt.date, scale: str, base: str, target: float = 0.01):
    """The sample portal some days after `as_of` with about `target` of its pages changed.

    The generator's time travel (`--as-of A+d --anchor A`) adds the items published in
    those d days (appended to their columns, newest first, so the list pages shift) and
    applies the planned edits of the period (replies, extensions, a corrected typo). A week
    is 3-4% of the default-scale portal, so d is the number of days (1-7) whose change is
    closest to `target`. Returns (directory, days, added, edited, pages)."""
    from govwatch.samplesite.generate import generate_site

    best = None
    for days in range(1, 8):
        out = work / f"later-{days}"
        generate_site(out, as_of + dt.timedelta(days=days), scale=scale, base_url=base, anchor=as_of)
        added, edited, pages = changed_pages(work / "sample" / "www", out / "www")
        candidate = (abs((added + edited) / pages - target), out, days, added, edited, pages)
        if best is None or candidate[0] < best[0]:
            best = candidate
        if (added + edited) / pages >= target:
            break
    return best[1:]


def publish_changes(new_www: Path, served_www: Path) -> int:
    """Copy into the served tree only the files whose bytes differ (and add new ones, remove
    deleted ones), as a CMS publishing the changes would: untouched files keep their
    modification time, so nginx keeps their ETag / Last-Modified and can answer 304."""
    old, new = _tree(served_www), _tree(new_www)
    written = 0
    for rel, path in new.items():
        data = path.read_bytes()
        if rel not in old or old[rel].read_bytes() != data:
            target = served_www / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
    for rel in set(old) - set(new):
        old[rel].unlink()
        written += 1
    return written


def _cycle_child(site_path: Path, as_of: dt.date, data_dir: Path, out: Path) -> None:
    """One govwatch run through the service layer (crawl, extract, check, score, stored in
    SQLite), in a process of its own like the bare crawl, its figures written to `out`."""
    os.environ["GOVWATCH_DATA_DIR"] = str(data_dir)
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.pipeline.run import execute_run

    cpu, t = _cpu_seconds(), time.perf_counter()
    outcome = execute_run(site_path, as_of, progress=False)
    elapsed, cpu = time.perf_counter() - t, _cpu_seconds() - cpu
    run, stats = outcome.run, (outcome.crawl.stats if outcome.crawl else {})
    out.write_text(json.dumps({
        "elapsed": elapsed, "cpu": cpu, "pages": stats.get("html_fetches", 0), "link_targets": stats.get("link_targets"),
        "requests": run.requests, "findings": run.findings.count(), "scores": run.scores.count(),
        "phase_seconds": stats.get("phase_seconds"), "crawl_elapsed": float(stats.get("elapsed_s", 0) or 0),
        "requests_by_kind": stats.get("requests_by_kind"), "list_cache": stats.get("list_cache", {}),
        "crawl_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def full_cycle(site_path: Path, as_of: dt.date, data_dir: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cycle.json"
        subprocess.run([sys.executable, __file__, "--cycle-child", str(site_path), as_of.isoformat(), str(data_dir), str(out)],
                       check=True)
        return json.loads(out.read_text())


def _spread(values: list[float]) -> str:
    """median (min–max) of the repetitions."""
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def _per_page(values: list[dict]) -> str:
    per = [v["cpu"] / v["pages"] * 1000 for v in values if v["pages"]]
    return f"{statistics.median(per):.2f} ms ({min(per):.2f}–{max(per):.2f})" if per else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="default")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--server", choices=("nginx", "static", "sample"), default="nginx" if shutil.which("nginx") else "static")
    parser.add_argument("--skip-bare", action="store_true", help="only the govwatch runs (memory at scale)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the bare crawl and the full cycle")
    parser.add_argument("--changed", type=float, default=0.01,
                        help="share of pages changed for the last incremental re-run (0 skips it)")
    parser.add_argument("--cycle-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cycle_child:
        site_path, as_of, data_dir, out = args.cycle_child
        _cycle_child(Path(site_path), dt.date.fromisoformat(as_of), Path(data_dir), Path(out))
        return

    from govwatch.samplesite.generate import generate_site

    as_of = dt.date(2026, 11, 27)
    work = Path(tempfile.mkdtemp(prefix="govwatch-bench-"))
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}/"
    t = time.perf_counter()
    generate_site(work / "sample", as_of, scale=args.scale, base_url=base)
    print(f"generated scale={args.scale} in {time.perf_counter() - t:.1f}s; server: {args.server}")
    server = None
    if args.server == "sample":
        from govwatch.samplesite.server import serve_in_thread

        server = serve_in_thread(work / "sample", port=port)
        server.__enter__()
    elif args.server == "nginx":
        server = nginx_server(work / "sample" / "www", port, work)
    else:
        server = static_server(work / "sample" / "www", port)
    site_path = work / "sample" / "site.toml"
    bares: list[dict] = []
    fulls: list[dict] = []
    try:
        from govwatch.siteconfig import load_site

        site = load_site(site_path)
        # Alternate which crawl goes first, so neither always meets a cold server cache.
        for rep in range(args.repeat):
            order = ("bare", "full") if rep % 2 == 0 else ("full", "bare")
            for which in order:
                if which == "bare" and not args.skip_bare:
                    bares.append(bare_crawl(site))
                elif which == "full":
                    fulls.append(full_cycle(site_path, as_of, work / f"data-{rep}"))
        last = work / f"data-{args.repeat - 1}"  # the incremental re-runs follow the last full run
        again = full_cycle(site_path, as_of + dt.timedelta(days=7), last)
        changed = None
        if args.changed > 0:
            later, days, added, edited, pages = changed_site(work, as_of, args.scale, base, args.changed)
            publish_changes(later / "www", work / "sample" / "www")
            changed = (full_cycle(site_path, as_of + dt.timedelta(days=14), last), days, added, edited, pages)
    finally:
        if isinstance(server, subprocess.Popen):
            server.terminate()
            server.wait(timeout=10)
        elif server is not None:
            server.__exit__(None, None, None)
    first = fulls[-1]
    print(f"repetitions: {args.repeat}, order alternating (bare first in odd-numbered ones); figures are median (min–max)")
    if bares:
        print(f"bare Scrapy crawl (same guards): {bares[-1]['pages']} pages, {bares[-1]['requests']} requests, "
              f"{bares[-1]['failed']} failed; "
              f"{_spread([b['pages'] / b['elapsed'] for b in bares])} pages/s; CPU per page {_per_page(bares)}; "
              f"peak RSS {max(b['rss_mb'] for b in bares):.0f} MB")
    print(f"govwatch full cycle: {first['pages']} HTML pages + {first['link_targets']} link targets, {first['requests']} requests, "
          f"{first['findings']} findings, {first['scores']} scores; {_spread([f['pages'] / f['elapsed'] for f in fulls])} pages/s; "
          f"CPU per page {_per_page(fulls)} (crawl child included)")
    if bares:
        ratio = statistics.median(f["pages"] / f["elapsed"] for f in fulls) / statistics.median(b["pages"] / b["elapsed"] for b in bares)
        cpu_ratio = (statistics.median(f["cpu"] / f["pages"] for f in fulls)
                     / statistics.median(b["cpu"] / b["pages"] for b in bares))
        print(f"ratio full cycle / bare crawl: pages/s {ratio:.2f}, CPU per page {cpu_ratio:.2f}")
    print(f"where the time goes (last full run): crawl phases {json.dumps(first['phase_seconds'], ensure_ascii=False)}, "
          f"crawl total {first['crawl_elapsed']:.1f}s, publish (checks, scoring, database) {first['elapsed'] - first['crawl_elapsed']:.1f}s")
    print(f"incremental re-run 7 days later (unchanged site): {again['requests']} requests in {again['elapsed']:.1f}s "
          f"= {again['requests'] / max(first['requests'], 1):.1%} of the full run's {first['requests']}")
    runs = [("full run", first), ("unchanged re-run", again)]
    if changed is not None:
        result, days, added, edited, pages = changed
        print(f"incremental re-run after {added + edited} of {pages} pages changed ({(added + edited) / pages:.1%}: "
              f"{added} new, {edited} edited = the generator's next {days} day(s)): {result['requests']} requests "
              f"in {result['elapsed']:.1f}s = {result['requests'] / max(first['requests'], 1):.1%} of the full run's {first['requests']}")
        runs.append((f"{args.changed:.0%} changed re-run", result))
    for label, result in runs:
        if result.get("requests_by_kind"):
            print(f"  requests by kind, {label}: {json.dumps(result['requests_by_kind'])}; "
                  f"list cache {json.dumps(result.get('list_cache', {}))}")
    print(f"peak RSS: crawl child {first['crawl_rss_mb']:.0f} MB, govwatch process (services, checks, database) "
          f"{first['rss_mb']:.0f} MB")


def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == "__main__":
    main()
