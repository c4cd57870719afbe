"""Benchmark: govwatch's full crawl cycle against a bare Scrapy crawl of the same site.

    python bench/cycle.py [--scale small|default|large|N] [--site SITE.toml] [--aiohttp]

Without --site it generates the sample portal and serves it on 127.0.0.1.
Prints pages/s of both crawls, their ratio, peak RSS of each crawl process, and the
request counts of a full and an incremental (unchanged site) govwatch run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--site")
    parser.add_argument("--aiohttp", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--server", choices=("static", "sample"), default="static")
    parser.add_argument("--skip-bare", action="store_true", help="only the govwatch runs (memory at scale)")
    args = parser.parse_args()

    from govwatch.crawl import crawl_site
    from govwatch.facts import PreviousState
    from govwatch.rulebook import load_rulebook
    from govwatch.siteconfig import load_site

    as_of = dt.date(2026, 11, 27)
    server = None
    work = Path(tempfile.mkdtemp(prefix="govwatch-bench-"))
    if args.site:
        site = load_site(args.site)
    else:
        from govwatch import samplesite

        from govwatch.samplesite.generate import generate_site

        port = args.port or _free_port()
        base = f"http://127.0.0.1:{port}/"
        generate_site(work / "sample", as_of, scale=args.scale, base_url=base)
        if args.server == "sample":
            # The sample portal's own server, with its planted faults (a hanging page, a reset...).
            from govwatch.samplesite.server import serve_in_thread

            server = serve_in_thread(work / "sample", port=port)
            server.__enter__()
        else:  # static files from a fast server: measures the crawler, not the server or the faults
            server = static_server(work / "sample" / "www", port)
        site = load_site(work / "sample" / "site.toml")
    if args.aiohttp:
        site = dataclasses.replace(site, extra={**site.extra, "aiohttp": True})
    rulebook = load_rulebook(site.rulebook, relative_to=site.base_dir)
    try:
        bare = (bare_crawl([s for u in site.units for s in u.sections], args.aiohttp) if not args.skip_bare
                else {"pages": 0, "elapsed": 1e-9, "requests": 0, "rss_mb": 0})
        rss_before = child_peak_rss_mb()
        t = time.perf_counter()
        full = crawl_site(site, rulebook, work / "run1", as_of=as_of, progress=False)
        full_s = time.perf_counter() - t
        rss = child_peak_rss_mb()
        previous = PreviousState(as_of=as_of, pages={s.url: s for s in full.page_states},
                                 links={s.target: s for s in full.link_states})
        t = time.perf_counter()
        again = crawl_site(site, rulebook, work / "run2", as_of=as_of + dt.timedelta(days=7), previous=previous,
                           progress=False)
        again_s = time.perf_counter() - t
    finally:
        if isinstance(server, subprocess.Popen):
            server.terminate()
        elif server is not None:
            server.__exit__(None, None, None)
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    html = full.stats.get("html_fetches", 0)
    bare_rate = bare["pages"] / bare["elapsed"] or float("nan")
    ours_rate = html / full.stats["elapsed_s"]  # same clock as the bare crawl: from crawl start, no spawn
    print(f"bare Scrapy:   {bare['pages']} pages in {bare['elapsed']:.1f}s = {bare_rate:.0f} pages/s "
          f"({bare['requests']} requests, peak RSS {bare['rss_mb']:.0f} MB)")
    print(f"govwatch full: {html} HTML pages + {full.stats.get('link_targets')} link targets, {full.requests} requests "
          f"in {full.stats['elapsed_s']:.1f}s (wall {full_s:.1f}s) = {ours_rate:.0f} pages/s, {full.requests / full.stats['elapsed_s']:.0f} requests/s "
          f"(peak RSS of crawl process {max(rss, rss_before):.0f} MB)")
    if bare["requests"]:
        print(f"ratio pages/s govwatch/bare: {ours_rate / bare_rate:.2f}  (requests/s ratio "
              f"{(full.requests / full.stats['elapsed_s']) / (bare['requests'] / bare['elapsed']):.2f})")
    print(f"incremental re-run: {again.requests} requests in {again_s:.1f}s (full run {full.requests}); "
          f"columns {len(full.columns)} -> {len(again.columns)}, pages {len(full.pages)} -> {len(again.pages)}")
    print("phases:", json.dumps(full.stats.get("phase_seconds"), ensure_ascii=False))
    print(f"peak RSS of the calling process (holds the CrawlResult: facts of every page): {parent_rss:.0f} MB")


def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == "__main__":
    main()
