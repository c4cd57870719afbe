"""Benchmark: distributed workers. M workers over M sample portals, each portal behind a server
that answers at most RATE requests a second (a polite crawl is bounded by the site, not by us).

    python bench/workers.py [--rate 40] [--scale small] [--max-workers 2]

For M = 1..max it starts M `govwatch worker -c 1` processes on Redis (GOVWATCH_TEST_REDIS_URL,
default db 15, emptied first) and a shared data dir (SQLite, or GOVWATCH_DATABASE_URL), submits
one run per portal with `govwatch run`, and prints pages/s and the ratio against M = 1.
Scaling by sites is the design's claim: the ratio should approach M.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 27)
REDIS = os.environ.get("GOVWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def throttled_server(directory: Path, port: int, rate: float):
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

    server = SampleServer(("127.0.0.1", port), directory)
    server.RequestHandlerClass = Polite
    server.slot_lock, server.next_slot = threading.Lock(), 0.0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def govwatch(*args):
    return [sys.executable, "-c", "from govwatch.cli import main; main()", *args]


def measure(m: int, rate: float, scale: str, work: Path) -> tuple[int, float]:
    import redis

    from govwatch.samplesite import free_port, generate_site

    redis.Redis.from_url(REDIS).flushdb()
    data = work / f"data-{m}"
    env = {k: v for k, v in os.environ.items() if k not in ("GOVWATCH_DATA_DIR", "GOVWATCH_BROKER_URL")}
    env.update(GOVWATCH_DATA_DIR=str(data), GOVWATCH_BROKER_URL=REDIS)
    servers, sites = [], []
    for i in range(m):
        port = free_port()
        out = work / f"site-{m}-{i}"
        generate_site(out, as_of=AS_OF, scale=scale, base_url=f"http://127.0.0.1:{port}/")
        servers.append(throttled_server(out, port, rate))
        sites.append(out / "site.toml")
    subprocess.run(govwatch("findings", "--run", "latest"), env=env, capture_output=True)  # migrate once
    workers = [subprocess.Popen(govwatch("worker", "-c", "1", "--loglevel", "WARNING"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(m)]
    time.sleep(3)  # let the workers connect
    try:
        started = time.perf_counter()
        runs = [subprocess.Popen(govwatch("run", "--site", str(s), "--as-of", AS_OF.isoformat(), "--no-progress"),
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for s in sites]
        outputs = [r.communicate()[0] for r in runs]
        elapsed = time.perf_counter() - started
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=60)
        for s in servers:
            s.shutdown()
            s.server_close()
    for r, text in zip(runs, outputs):
        if r.returncode != 0:
            raise SystemExit(text)
    requests = 0
    check = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='govwatch.settings';django.setup();"
             "from govwatch.monitoring.models import Run;print(sum(Run.objects.values_list('requests',flat=True)))")
    requests = int(subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True).stdout)
    return requests, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second each portal answers")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--max-workers", type=int, default=2)
    args = parser.parse_args()
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for m in range(1, args.max_workers + 1):
            requests, elapsed = measure(m, args.rate, args.scale, Path(tmp))
            rps = requests / elapsed
            base = base or rps
            print(f"M={m}: {m} worker(s), {m} portal(s) at {args.rate:g} req/s each: {requests} requests "
                  f"in {elapsed:.1f} s = {rps:.1f} req/s; ratio to M=1: {rps / base:.2f} (ideal {m})")


if __name__ == "__main__":
    main()
