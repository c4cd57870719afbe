"""The crawl's child process: `python -m govwatch.crawl.worker RUN_DIR`.

Scrapy's Twisted reactor cannot be restarted inside one process, so every crawl
runs here. The parent writes RUN_DIR/crawl-job.json, this process streams
records to RUN_DIR/crawl.jsonl (see records.py) and exits.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

JOB = "crawl-job.json"
# The parent's pid, so the child can ask to die with it (lib/procs.py).
PARENT_ENV = "GOVWATCH_CRAWL_PARENT"


def _quiet_tldextract() -> None:
    """Scrapy's cookie middleware asks tldextract for public suffixes; offline it would try a
    download and print tracebacks. Use the bundled snapshot, no network, no cache."""
    import tldextract
    from scrapy.downloadermiddlewares import cookies

    cookies._split_domain = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                                  include_psl_private_domains=True)


def scrapy_settings(site, run_dir: Path) -> dict:
    extra = site.extra or {}
    delay = float(site.delay_seconds)
    per_host = int(site.concurrency_per_host)
    settings = {
        "BOT_NAME": "govwatch",
        "USER_AGENT": "Mozilla/5.0 (compatible; govwatch/0.1; +政府网站内容保障监测)".encode("utf-8").decode("latin-1", "ignore"),
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "ROBOTSTXT_OBEY": bool(site.obey_robots),
        "CONCURRENT_REQUESTS": max(16, per_host * 4),
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": delay > 0,
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(10.0, delay * 4),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(per_host),
        "DOWNLOAD_TIMEOUT": float(site.timeout_seconds),
        "DOWNLOAD_MAXSIZE": int(site.max_page_bytes),
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOW_ALL": True,
        "RETRY_ENABLED": False,
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": True,
        "LOG_LEVEL": "WARNING",
        "LOG_FILE": str(run_dir / "crawl.log"),
        "LOG_FILE_APPEND": True,
        "DOWNLOADER_MIDDLEWARES": {
            "govwatch.crawl.middlewares.GuardMiddleware": 50,
            "govwatch.crawl.middlewares.RetryMiddleware": 550,
            "govwatch.crawl.middlewares.RedirectMiddleware": 585,
            "govwatch.crawl.middlewares.WarcMiddleware": 588,
            "govwatch.crawl.middlewares.RequestTally": 851,
        },
        "GOVWATCH_ALLOW_PRIVATE": bool(site.allow_private_addresses),
        "GOVWATCH_RETRIES": int(extra.get("retries", 2)),
        "GOVWATCH_BACKOFF": float(extra.get("backoff_seconds", 0.5)),
        "GOVWATCH_RETRY_AFTER_CAP": float(extra.get("retry_after_cap", 60)),
        "DNS_TIMEOUT": min(10.0, float(site.timeout_seconds)),
    }
    if extra.get("aiohttp"):
        settings["DOWNLOAD_HANDLERS"] = {
            "http": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler",  # optional, measured in bench
            "https": "scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler",
        }
    return settings


def incremental(job: dict) -> bool:
    """A re-run: the parent passed the previous run's state. A run without one is a full crawl."""
    return bool(job.get("prev_pages") or job.get("prev_links"))


def listcache_settings(job: dict, site) -> dict:
    """The per-site list page cache (httpcache.py), unless site.extra["list_cache"] is false."""
    if (site.extra or {}).get("list_cache", True) is False:
        return {}
    from govwatch.crawl.httpcache import KEEP_DAYS, cache_dir, full_walk_days

    return {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(cache_dir(job, site)),
        "HTTPCACHE_STORAGE": "govwatch.crawl.httpcache.SiteCacheStorage",
        "HTTPCACHE_POLICY": "govwatch.crawl.httpcache.RevalidatePolicy",
        "HTTPCACHE_EXPIRATION_SECS": 0,
        "GOVWATCH_LISTCACHE_KEEP_DAYS": max(KEEP_DAYS, 3 * full_walk_days(site)),
        # A full crawl asks for every page whole (and refills the cache); a re-run revalidates.
        "GOVWATCH_LISTCACHE_REVALIDATE": incremental(job),
        "GOVWATCH_LISTCACHE_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
            # After HttpCompression (590) on the way back: bodies are cached decompressed. Before
            # DownloaderStats (850): a page answered from the cache is not counted as a request.
            "govwatch.crawl.httpcache.ListCacheMiddleware": 589,
        },
    }


def parse_pool(site):
    """Extraction is CPU-bound; with a spare core it runs in worker processes beside the reactor."""
    import concurrent.futures
    import multiprocessing

    workers = site.extra.get("parse_workers")
    if workers is None:
        workers = min(4, (os.cpu_count() or 1) - 1)
    if int(workers) <= 0:
        return None
    from govwatch.lib.procs import exit_with

    # The workers keep the forkserver (and it the resource tracker) alive: they end when this process does.
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=int(workers),
                                                  mp_context=multiprocessing.get_context("forkserver"),
                                                  initializer=exit_with, initargs=(os.getpid(),))
    from govwatch.crawl.parse import warm

    for future in [pool.submit(warm) for _ in range(int(workers))]:
        future.result()
    return pool


def site_from_json(data: dict):
    from govwatch.siteconfig import ColumnPin, SiteConfig, UnitSection

    data = dict(data)
    data["allowed_hosts"] = tuple(data["allowed_hosts"])
    data["units"] = tuple(UnitSection(code=u["code"], name=u["name"], sections=tuple(u["sections"]),
                                      notify=tuple(u.get("notify", ()))) for u in data["units"])
    data["columns"] = tuple(ColumnPin(**c) for c in data["columns"])
    return SiteConfig(**data)


def load_replay(path: Path) -> dict:
    from govwatch.crawl.records import read_records

    replay = {}
    for rec in read_records(path):
        t = rec.get("t")
        if t == "fetch":
            replay[("fetch", rec["url"])] = rec
        elif t == "page":
            replay[("page", rec["url"])] = rec
        elif t == "link" and rec.get("checked"):
            replay[("link", rec["target"])] = {k: v for k, v in rec.items() if k not in ("kind", "carriers")}
    return replay


def run(run_dir: Path) -> int:
    run_dir = Path(run_dir)
    job = json.loads((run_dir / JOB).read_text(encoding="utf-8"))
    from scrapy.utils.reactor import install_reactor

    # Before anything imports twisted.internet.reactor (which would install the epoll one).
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from scrapy.crawler import CrawlerProcess
    from twisted.internet import task

    from govwatch.crawl import extractors
    from govwatch.crawl.records import RECORDS, RecordWriter, truncate_torn_tail
    from govwatch.crawl.spider import GovSpider
    from govwatch.rulebook import load_rulebook

    _quiet_tldextract()
    site = site_from_json(job["site"])
    rulebook = load_rulebook(job["rulebook_path"])
    records_path = run_dir / RECORDS
    replay = {}
    if job.get("resume"):
        truncate_torn_tail(records_path)
        replay = load_replay(records_path)
    elif records_path.exists():
        records_path.unlink()
    writer = RecordWriter(records_path)
    writer.write({"t": "start", "pid": os.getpid(), "resume": bool(job.get("resume")), "replayed": len(replay)})
    pool = parse_pool(site)
    settings = scrapy_settings(site, run_dir)
    cache = listcache_settings(job, site)
    settings["DOWNLOADER_MIDDLEWARES"].update(cache.pop("GOVWATCH_LISTCACHE_MIDDLEWARES", {}))
    settings.update(cache)
    settings["LOG_INSTALL_ROOT_HANDLER"] = False
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(GovSpider)
    state = {}

    def tick():
        spider = crawler.spider
        if spider is not None and getattr(spider, "out", None) is not None:
            writer.write(spider.progress())

    loop = task.LoopingCall(tick)

    def started(spider):
        state["started"] = True
        loop.start(float(job.get("progress_interval", 0.5)), now=False)

    from scrapy import signals
    crawler.signals.connect(started, signal=signals.spider_opened)
    process.crawl(crawler, job=job, site=site, rulebook=rulebook, extract=extractors.load(), writer=writer,
                  replay=replay, pool=pool)
    try:
        process.start()
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    if loop.running:
        loop.stop()
    writer.close()
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "run":
        print("usage: python -m govwatch.crawl.worker run RUN_DIR", file=sys.stderr)
        return 2
    parent = os.environ.get(PARENT_ENV)
    if parent:
        from govwatch.lib.procs import die_with_parent

        # A `govwatch run` killed with -9 must not leave its crawl going on as an orphan.
        die_with_parent(int(parent))
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    return run(Path(argv[1]))


if __name__ == "__main__":
    sys.exit(main())
