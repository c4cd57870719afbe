"""A killed crawl resumes from its record file and gives the same result."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from govwatch.crawl import CrawlError, crawl_site
from govwatch.facts import jsonable
from tests.crawl.conftest import AS_OF
from tests.crawl.sitefixture import Server, Site, build_portal, closed_port, site_config


def _summary(result, base):
    strip = lambda u: u.replace(base, "")
    return (
        [(strip(c.url), c.name, c.status, [strip(i.url) for i in c.items]) for c in result.columns],
        sorted((strip(p.url), p.status, p.reason, strip(json.dumps(jsonable(p.facts), ensure_ascii=False)))
               for p in result.pages),
        sorted((strip(l.target), l.outcome, l.reason, tuple(sorted(map(strip, l.carriers)))) for l in result.links
               if "127.0.0.1" in l.target and not l.target.endswith("/x")),
    )


def _kill_after(run_dir, records: int, killed: list):
    path = run_dir / "crawl.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            pids = [json.loads(l)["pid"] for l in lines if '"t":"start"' in l]
            done = sum(1 for l in lines if '"t":"fetch"' in l or '"t":"page"' in l)
            if pids and done >= records:
                os.kill(pids[-1], signal.SIGKILL)
                killed.append(done)
                return
        time.sleep(0.02)


def test_resume_after_kill_gives_same_result(tmp_path, rulebook):
    full_site, interrupted_site = Site(), Site()
    servers = [Server(full_site), Server(interrupted_site)]
    try:
        for site, server in zip((full_site, interrupted_site), servers):
            build_portal(site, server.base, closed_port())
            site.routes.pop("/slow")  # keep the test fast: timeouts are covered elsewhere
            site.state["delay"] = 0.03
        full = crawl_site(site_config(servers[0].base), rulebook, tmp_path / "full", as_of=AS_OF, progress=False)

        run_dir = tmp_path / "interrupted"
        killed: list = []
        watcher = threading.Thread(target=_kill_after, args=(run_dir, 12, killed))
        watcher.start()
        with pytest.raises(CrawlError):
            crawl_site(site_config(servers[1].base), rulebook, run_dir, as_of=AS_OF, progress=False)
        watcher.join()
        assert killed
        before = sum(interrupted_site.hits.values())
        resumed = crawl_site(site_config(servers[1].base), rulebook, run_dir, as_of=AS_OF, progress=False,
                             resume=True)
        after = sum(interrupted_site.hits.values())
    finally:
        for server in servers:
            server.close()
    assert _summary(resumed, servers[1].base) == _summary(full, servers[0].base)
    assert after - before < full.requests  # pages fetched before the kill were not fetched again
