"""Issue #16 item 10: one run per site at a time, no orphans after `kill -9`, SIGTERM ends a run
as interrupted and `--resume` finishes it.

Each test starts `govwatch run` in a session of its own against a portal whose every answer
is held back (the server sleeps before answering, the site's timeout is longer), so the crawl
is certainly still going when the test acts on it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crawl.sitefixture import Server, Site, build_portal, closed_port
from tests.resilience.test_interruptions import _cli_env, _govwatch

AS_OF = dt.date(2026, 11, 27)
HOLD = 3600.0  # the server's delay while the test wants the crawl stuck

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the process group")


def _portal() -> tuple[Site, Server]:
    site = Site()
    server = Server(site)
    build_portal(site, server.base, closed_port())
    site.routes.pop("/slow")
    site.state["delay"] = HOLD
    return site, server


def _config(path: Path, base: str) -> Path:
    path.write_text(f"""[site]
name = "运行控制测试门户"
home = "{base}/"
allow_private_addresses = true
timeout_seconds = 600.0
delay_seconds = 0.0
concurrency_per_host = 2

[[units]]
code = "0107"
name = "区财政局"
sections = ["{base}/bm/czj/"]
""", encoding="utf-8")
    return path


def _live_in_group(pgid: int) -> list[int]:
    """Processes of the group that are not zombies (a container's init may never reap them)."""
    live = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(int(entry.name))
    return live


def _wait_for(condition, limit: float = 120.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _crawl_started(data_dir: Path) -> dict | None:
    """The crawl child's start record (written before its first request), once it is there."""
    for path in (data_dir / "runs").glob("run-*/crawl.jsonl"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if '"t":"start"' in line or '"t": "start"' in line:
                return json.loads(line)
    return None


def _start_run(cfg: Path, data_dir: Path, *extra: str) -> subprocess.Popen:
    args = _govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress", *extra)
    return subprocess.Popen(args, env=_cli_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.communicate(timeout=60)
    except ValueError:  # already read to the end
        pass


def test_second_run_on_a_held_site_exits_2_naming_the_holding_run(tmp_path):
    site, server = _portal()
    data_dir = tmp_path / "data"
    cfg = _config(tmp_path / "site.toml", server.base)
    first = _start_run(cfg, data_dir)
    try:
        assert _wait_for(lambda: _crawl_started(data_dir) is not None), "the first run's crawl never started"
        second = subprocess.run(_govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress"),
                                env=_cli_env(data_dir), capture_output=True, text=True, timeout=300)
        assert first.poll() is None  # the first run was not disturbed
        runs = sorted(p.name for p in (data_dir / "runs").glob("run-*"))
    finally:
        _kill_group(first)
        server.close()
    assert second.returncode == 2, second.stdout + second.stderr
    assert f"正由监测运行 #1（进程 {first.pid}）监测" in second.stderr
    assert runs == ["run-1"]


def test_run_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    site, server = _portal()
    data_dir = tmp_path / "data"
    proc = _start_run(_config(tmp_path / "site.toml", server.base), data_dir)
    try:
        assert _wait_for(lambda: _crawl_started(data_dir) is not None), "the crawl never started"
        # The parse pool starts just after the start record: wait for its forkserver.
        _wait_for(lambda: len(_live_in_group(proc.pid)) >= 3)
        before = _live_in_group(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the run only, like the OOM killer: its children get no signal from us
        proc.communicate(timeout=60)
        gone = _wait_for(lambda: not _live_in_group(proc.pid), limit=60.0)
        left = _live_in_group(proc.pid)
    finally:
        _kill_group(proc)
        server.close()
    # The run, its crawl child, and the child's forkserver, parse worker and resource tracker.
    assert len(before) >= 3, before
    assert gone, f"orphans left: {left}"


def test_sigterm_ends_the_run_as_interrupted_and_resume_completes_it(tmp_path):
    site, server = _portal()
    data_dir = tmp_path / "data"
    cfg = _config(tmp_path / "site.toml", server.base)
    proc = _start_run(cfg, data_dir)
    try:
        assert _wait_for(lambda: _crawl_started(data_dir) is not None), "the crawl never started"
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        gone = _wait_for(lambda: not _live_in_group(proc.pid), limit=60.0)
        site.state["delay"] = 0.0
        resumed = subprocess.run(_govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress",
                                           "--resume"),
                                 env=_cli_env(data_dir), capture_output=True, text=True, timeout=300)
    finally:
        _kill_group(proc)
        server.close()
    assert proc.returncode == 1, out + err
    assert "监测运行 #1 失败" in out and "已中断" in out
    assert gone
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "运行编号：1" in resumed.stdout
