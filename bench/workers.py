"""Benchmark: distributed workers. M workers over M sample portals, each portal behind a server
that answers at most RATE requests a second (a polite crawl is bounded by the site, not by us).

    python bench/workers.py [--workers 1,2,4] [--rate 5] [--scale small]

For each M it generates M sample portals (each with its own throttled server process), starts M
`govwatch worker -c 1` processes on Redis (GOVWATCH_TEST_REDIS_URL, default db 15, emptied
first), waits until all M answer a ping, queues one run per portal, and waits for all M results.
Every M gets a fresh data dir and database: SQLite in the data dir, or, when
GOVWATCH_DATABASE_URL points at PostgreSQL, a scratch database created on that server (and
dropped afterwards). It prints pages/s and requests/s over the wall time from the first
submission to the last result, the ratio against M = 1 and the goal (ratio >= 0.8 M), plus the
machine's CPU use during the round, so a miss can be told apart: sites (CPU idle), CPU (busy
near 100 %), or one slow phase (per-run crawl and publish times).

The rate must keep the sites the bottleneck, as in a real polite crawl: M x RATE requests a
second must stay well below what this machine's cores can crawl and check (measure it with
`--workers 1 --rate 1000`: that is the CPU-bound rate of one worker).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

AS_OF = dt.date(2026, 11, 27)
REDIS = os.environ.get("GOVWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _serve(directory: str, port: int, rate: float, ready, failed) -> None:
    """A sample portal server answering at most `rate` requests a second (one slot per request,
    whatever the number of connections), in a process of its own."""
    import threading

    from govwatch.samplesite.server import Handler, SampleServer

    class Polite(Handler):
        def handle_request(self, head: bool) -> None:
            server = self.server
            with server.slot_lock:
                now = time.monotonic()
                slot = max(now, server.next_slot)
                server.next_slot = slot + 1.0 / rate
            time.sleep(max(0.0, slot - now))
            super().handle_request(head)

    try:
        server = SampleServer(("127.0.0.1", port), Path(directory))
    except OSError:
        failed.set()  # the port was taken since free_port() chose it
        raise
    server.RequestHandlerClass = Polite
    server.handle_error = lambda request, address: None  # the crawler drops oversized fault pages: not news
    server.slot_lock, server.next_slot = threading.Lock(), 0.0
    ready.set()
    server.serve_forever()


def throttled_server(directory: Path, port: int, rate: float) -> multiprocessing.Process | None:
    # spawn, not fork: the bench process has Redis and Celery threads by now.
    ctx = multiprocessing.get_context("spawn")
    ready, failed = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_serve, args=(str(directory), port, rate, ready, failed), daemon=True)
    proc.start()
    deadline = time.monotonic() + 120
    while not ready.wait(0.2):
        if failed.is_set() or not proc.is_alive() or time.monotonic() > deadline:
            proc.terminate()
            return None
    return proc


def govwatch(*args):
    return [sys.executable, "-c", "from govwatch.cli import main; main()", *args]


class Database:
    """SQLite in the data dir, or a scratch PostgreSQL database on GOVWATCH_DATABASE_URL's server."""

    def __init__(self, m: int):
        self.url = os.environ.get("GOVWATCH_DATABASE_URL", "")
        self.name = None
        if self.url.startswith(("postgres://", "postgresql://")):
            from urllib.parse import urlsplit, urlunsplit

            import psycopg

            self.name = f"govwatch_bench_m{m}_{uuid.uuid4().hex[:8]}"
            parts = urlsplit(self.url)
            self.admin = psycopg.connect(urlunsplit(parts._replace(scheme="postgresql", path="/postgres")),
                                         autocommit=True)
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        else:
            self.url = ""

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.name else "SQLite"

    def drop(self) -> None:
        if self.name:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields) - idle, sum(fields)


def wait_for_workers(client, m: int, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = client.control.ping(timeout=1.0) or []
        if len(replies) >= m:
            return
    raise SystemExit(f"only {len(replies)} of {m} workers answered within {timeout:.0f} s")


REGISTER = """
import sys
from govwatch.monitoring.bootstrap import setup_django
setup_django()
from govwatch.monitoring.runs import register_site
from govwatch.rulebook import load_rulebook
from govwatch.siteconfig import load_site
for path in sys.argv[1:]:
    config = load_site(path)
    register_site(config, load_rulebook(config.rulebook, relative_to=config.base_dir))
"""

RUN_FACTS = """
import json, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'govwatch.settings'
import django
django.setup()
from govwatch.monitoring.models import Run
print(json.dumps([{'status': r.status, 'requests': r.requests, 'pages': r.pages, 'error': r.error,
                   'seconds': (r.finished_at - r.started_at).total_seconds(),
                   'crawl_seconds': (r.stats or {}).get('elapsed_s')} for r in Run.objects.all()]))
"""


def measure(m: int, rate: float, scale: str, work: Path) -> dict:
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    data = work / f"data-{m}"
    database = Database(m)
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOVWATCH_DATA_DIR", "GOVWATCH_BROKER_URL", "GOVWATCH_DATABASE_URL")}
    env.update(GOVWATCH_DATA_DIR=str(data), GOVWATCH_BROKER_URL=REDIS)
    if database.url:
        env["GOVWATCH_DATABASE_URL"] = database.url
    try:
        elapsed, cpu = run_round(m, rate, scale, work, env)
        facts = subprocess.run([sys.executable, "-c", RUN_FACTS], env=env, capture_output=True, text=True)
    finally:
        database.drop()
    if facts.returncode != 0:
        raise SystemExit(facts.stderr)
    runs = json.loads(facts.stdout)
    return {"m": m, "elapsed": elapsed, "runs": runs, "database": database.label, "cpu": cpu,
            "requests": sum(r["requests"] for r in runs), "pages": sum(r["pages"] for r in runs)}


def run_round(m: int, rate: float, scale: str, work: Path, env: dict) -> tuple[float, float]:
    """M portals, M workers, M runs queued at once; returns (wall seconds, machine CPU busy share)."""
    from celery import Celery

    from govwatch.samplesite import free_port, generate_site

    servers, sites, workers, logs = [], [], [], []
    client = Celery("bench", broker=REDIS, backend=REDIS)
    try:
        for i in range(m):
            for attempt in range(5):
                port = free_port()
                out = work / f"site-{m}-{i}-{attempt}"
                generate_site(out, as_of=AS_OF, scale=scale, base_url=f"http://127.0.0.1:{port}/")
                server = throttled_server(out, port, rate)
                if server is not None:
                    break
            else:
                raise SystemExit("could not start a sample server")
            servers.append(server)
            sites.append(out / "site.toml")
        # Migrate, and register the portals in the catalog one by one (as the dispatcher's sites are).
        prepared = subprocess.run([sys.executable, "-c", REGISTER, *map(str, sites)], env=env,
                                  capture_output=True, text=True)
        if prepared.returncode != 0:
            raise SystemExit(prepared.stderr)
        logs = [work / f"worker-{m}-{i}.log" for i in range(m)]
        workers = [subprocess.Popen(govwatch("worker", "-c", "1", "--loglevel", "WARNING", "--hostname", f"bench{i}@%h"),
                                    env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
                   for i, log in enumerate(logs)]
        wait_for_workers(client, m)
        busy0, total0 = cpu_times()
        started = time.perf_counter()
        results = [client.send_task("govwatch.run_site", args=[str(s), AS_OF.isoformat()]) for s in sites]
        try:
            outcomes = [r.get(timeout=3600, propagate=True) for r in results]
        except Exception as exc:
            tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-6000:]}" for log in logs)
            raise SystemExit(f"M={m}: a run failed: {type(exc).__name__}: {exc}\n{tails}") from None
        elapsed = time.perf_counter() - started
        busy1, total1 = cpu_times()
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(timeout=60)
            except subprocess.TimeoutExpired:
                w.kill()
        for s in servers:
            s.terminate()
            s.join(10)
    bad = [o for o in outcomes if o["status"] != "complete"]
    if bad:
        raise SystemExit(f"M={m}: runs did not complete: {bad}")
    return elapsed, (busy1 - busy0) / max(total1 - total0, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4", help="values of M, comma-separated")
    parser.add_argument("--rate", type=float, default=5.0, help="requests per second each portal answers")
    parser.add_argument("--scale", default="small", help="sample portal scale (small = ~1,300 pages)")
    args = parser.parse_args()
    ms = [int(x) for x in args.workers.split(",") if x.strip()]
    print(f"{os.cpu_count()} CPUs; each portal answers {args.rate:g} req/s; scale {args.scale}; Redis {REDIS}",
          flush=True)
    base = None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for m in ms:
            r = measure(m, args.rate, args.scale, Path(tmp))
            pps, rps = r["pages"] / r["elapsed"], r["requests"] / r["elapsed"]
            base = base or (pps if m == 1 else None)
            ratio = pps / base if base else float("nan")
            runs = ", ".join(f"{x['seconds']:.0f}s (crawl {x['crawl_seconds'] or 0:.0f}s)" for x in r["runs"])
            print(f"M={m} [{r['database']}]: {r['pages']} pages, {r['requests']} requests in {r['elapsed']:.1f} s = "
                  f"{pps:.1f} pages/s, {rps:.1f} req/s (ceiling {m * args.rate:g} req/s); "
                  f"ratio to M=1 {ratio:.2f}, goal >= {0.8 * m:.1f}: {'ok' if ratio >= 0.8 * m else 'MISSED'}; "
                  f"ratio/M {ratio / m:.2f}; CPU busy {100 * r['cpu']:.0f}%; runs: {runs}", flush=True)
            rows.append((m, pps, ratio))
    if base:
        print("M  pages/s  ratio  ratio/M")
        for m, pps, ratio in rows:
            print(f"{m}  {pps:7.1f}  {ratio:5.2f}  {ratio / m:7.2f}")


if __name__ == "__main__":
    main()
