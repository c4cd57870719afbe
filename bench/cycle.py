"""Benchmark: govwatch's full monitoring cycle against a bare Scrapy crawl of the same site.

    python bench/cycle.py [--scale small|default|large|N] [--server nginx|static|sample]

It generates the sample portal and serves its files with nginx (the reference
server, so the server is not what is measured), then, in one run, prints:
- a bare Scrapy crawl's pages/s and the full govwatch cycle's pages/s (crawl,
  extract, check, score, stored in SQLite), with their ratio;
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SPIDER = r'''
import sys, time, json, resource
from urllib.parse import urlsplit
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

starts, out = json.loads(sys.argv[1]), sys.argv[2]
host = urlsplit(starts[0]).hostname
aiohttp = len(sys.argv) > 3 and sys.argv[3] == "aiohttp"

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = starts
    links = LinkExtractor(deny_extensions=["pdf", "doc", "docx", "xls", "xlsx", "zip", "png", "jpg", "gif", "css", "js"])
    pages = 0
    def parse(self, response):
        self.pages += 1
        if not hasattr(response, "text"):
            return
        for link in self.links.extract_links(response):
            if urlsplit(link.url).hostname == host:
                yield response.follow(link.url, self.parse)

settings = {"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False, "DEPTH_LIMIT": 0,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}
if aiohttp:
    settings["DOWNLOAD_HANDLERS"] = {"http": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler"}
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
t = time.perf_counter()
process.crawl(crawler)
process.start()
elapsed = time.perf_counter() - t
json.dump({"pages": crawler.spider.pages, "elapsed": elapsed,
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


def bare_crawl(starts: list[str], aiohttp: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script, out = Path(tmp) / "bare.py", Path(tmp) / "out.json"
        script.write_text(BARE_SPIDER)
        subprocess.run([sys.executable, str(script), json.dumps(starts), str(out)] + (["aiohttp"] if aiohttp else []), check=True)
        return json.loads(out.read_text())


def child_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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


def full_cycle(site_path: Path, as_of: dt.date, data_dir: Path):
    """One govwatch run through the service layer: crawl, extract, check, score, stored in SQLite."""
    os.environ["GOVWATCH_DATA_DIR"] = str(data_dir)
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.pipeline.run import execute_run

    t = time.perf_counter()
    outcome = execute_run(site_path, as_of, progress=False)
    return outcome, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="default")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--server", choices=("nginx", "static", "sample"), default="nginx" if shutil.which("nginx") else "static")
    parser.add_argument("--skip-bare", action="store_true", help="only the govwatch runs (memory at scale)")
    parser.add_argument("--changed", type=float, default=0.01,
                        help="share of pages changed for the last incremental re-run (0 skips it)")
    args = parser.parse_args()

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
    try:
        from govwatch.siteconfig import load_site

        site = load_site(site_path)
        bare = (bare_crawl([s for u in site.units for s in u.sections], False) if not args.skip_bare
                else {"pages": 0, "elapsed": 1e-9, "requests": 0, "rss_mb": 0})
        first, first_s = full_cycle(site_path, as_of, work / "data")
        crawl_rss = child_peak_rss_mb()
        again, again_s = full_cycle(site_path, as_of + dt.timedelta(days=7), work / "data")
        changed = None
        if args.changed > 0:
            later, days, added, edited, pages = changed_site(work, as_of, args.scale, base, args.changed)
            publish_changes(later / "www", work / "sample" / "www")
            outcome, seconds = full_cycle(site_path, as_of + dt.timedelta(days=14), work / "data")
            changed = (outcome, seconds, days, added, edited, pages)
    finally:
        if isinstance(server, subprocess.Popen):
            server.terminate()
            server.wait(timeout=10)
        elif server is not None:
            server.__exit__(None, None, None)
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run = first.run
    stats = first.crawl.stats
    html = stats.get("html_fetches", 0)
    bare_rate = bare["pages"] / bare["elapsed"] if bare["pages"] else float("nan")
    cycle_rate = html / first_s
    print(f"bare Scrapy crawl: {bare['pages']} pages in {bare['elapsed']:.1f}s = {bare_rate:.0f} pages/s "
          f"({bare['requests']} requests, peak RSS {bare['rss_mb']:.0f} MB)")
    print(f"govwatch full cycle: {html} HTML pages + {stats.get('link_targets')} link targets, {run.requests} requests, "
          f"{run.findings.count()} findings, {run.scores.count()} scores in {first_s:.1f}s = {cycle_rate:.0f} pages/s")
    if bare["pages"]:
        print(f"ratio full cycle / bare crawl (pages/s): {cycle_rate / bare_rate:.2f}   "
              f"(requests/s ratio {(run.requests / first_s) / (bare['requests'] / bare['elapsed']):.2f})")
    print(f"where the time goes: crawl phases {json.dumps(stats.get('phase_seconds'), ensure_ascii=False)}, "
          f"crawl total {stats.get('elapsed_s')}s, publish (checks, scoring, database) {first_s - float(stats.get('elapsed_s', 0)):.1f}s")
    print(f"incremental re-run 7 days later (unchanged site): {again.run.requests} requests in {again_s:.1f}s "
          f"= {again.run.requests / max(run.requests, 1):.1%} of the full run's {run.requests}")
    if changed is not None:
        outcome, seconds, days, added, edited, pages = changed
        print(f"incremental re-run after {added + edited} of {pages} pages changed ({(added + edited) / pages:.1%}: "
              f"{added} new, {edited} edited = the generator's next {days} day(s)): {outcome.run.requests} requests "
              f"in {seconds:.1f}s = {outcome.run.requests / max(run.requests, 1):.1%} of the full run's {run.requests}")
    runs = [("full run", first), ("unchanged re-run", again)]
    if changed is not None:
        runs.append((f"{args.changed:.0%} changed re-run", changed[0]))
    for label, result in runs:
        stats_ = result.crawl.stats if result.crawl else {}
        if stats_.get("requests_by_kind"):
            print(f"  requests by kind, {label}: {json.dumps(stats_['requests_by_kind'])}; "
                  f"list cache {json.dumps(stats_.get('list_cache', {}))}")
    print(f"peak RSS: crawl child {crawl_rss:.0f} MB, govwatch process (services, checks, database) {parent_rss:.0f} MB")


def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == "__main__":
    main()
