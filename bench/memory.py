"""Benchmark: peak memory of the govwatch process as the portal grows.

    python bench/memory.py [--scales 10000,100000] [--server nginx|sample]

For each scale it generates the sample portal, serves it, and runs, in a fresh process,
a full monitoring cycle (crawl, extract, check, score into SQLite) and then an
incremental re-run 7 days later. It prints the peak RSS of the govwatch process (the
crawl child is measured separately) for each scale, and the ratio of each scale's peak
against the smallest scale's, measured in the same run: a flat line is a ratio near 1.

Memory is not disturbed by other load on the machine, unlike the timings of bench/cycle.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 27)

ONE_SCALE = r'''
import datetime as dt, json, os, resource, sys, time
from pathlib import Path
site, data, out = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
os.environ["GOVWATCH_DATA_DIR"] = str(data)
from govwatch.monitoring.bootstrap import setup_django
setup_django()
from govwatch.pipeline.run import execute_run
as_of = dt.date.fromisoformat(sys.argv[4])
figures = {"baseline_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
for label, day in (("full", as_of), ("rerun", as_of + dt.timedelta(days=7))):
    t = time.perf_counter()
    outcome = execute_run(site, day, progress=False)
    figures[label] = {"status": outcome.run.status, "pages": outcome.run.pages, "requests": outcome.run.requests,
                      "seconds": round(time.perf_counter() - t, 1),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
figures["child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
json.dump(figures, open(out, "w"))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(scale: str, server_kind: str) -> dict:
    from govwatch.samplesite.generate import generate_site

    work = Path(tempfile.mkdtemp(prefix="govwatch-mem-"))
    port = _free_port()
    try:
        generate_site(work / "sample", AS_OF, scale=scale, base_url=f"http://127.0.0.1:{port}/")
        if server_kind == "nginx":
            sys.path.insert(0, str(Path(__file__).parent))
            from cycle import nginx_server

            server = nginx_server(work / "sample" / "www", port, work)
        else:
            server = subprocess.Popen([sys.executable, "-m", "govwatch.cli", "sample", "serve", str(work / "sample"),
                                       "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(2)
        try:
            out = work / "figures.json"
            subprocess.run([sys.executable, "-c", ONE_SCALE, str(work / "sample" / "site.toml"), str(work / "data"),
                            str(out), AS_OF.isoformat()], check=True)
            return json.loads(out.read_text())
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="10000,100000")
    parser.add_argument("--server", choices=("nginx", "sample"), default="nginx" if shutil.which("nginx") else "sample")
    args = parser.parse_args()
    rows = []
    for scale in args.scales.split(","):
        t = time.perf_counter()
        figures = measure(scale.strip(), args.server)
        rows.append((scale, figures))
        print(f"scale {scale}: {figures['full']['pages']} pages, full run {figures['full']['seconds']} s, "
              f"re-run {figures['rerun']['seconds']} s ({time.perf_counter() - t:.0f} s with generation)", flush=True)
    base = max(rows[0][1]["full"]["peak_mb"], rows[0][1]["rerun"]["peak_mb"])
    print("\nscale    pages   govwatch peak RSS (full / re-run)   crawl child peak   vs smallest scale")
    for scale, f in rows:
        peak = max(f["full"]["peak_mb"], f["rerun"]["peak_mb"])
        print(f"{scale:>7} {f['full']['pages']:>7}   {f['full']['peak_mb']:7.0f} / {f['rerun']['peak_mb']:7.0f} MB"
              f"            {f['child_peak_mb']:7.0f} MB        x{peak / base:.2f}")
    print(f"(process after start-up, before any run: {rows[0][1]['baseline_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
