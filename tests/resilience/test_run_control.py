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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crawl.sitefixture import Site
from tests.resilience.test_interruptions import _cli_env, _govwatch, fixture_portal, write_config

AS_OF = dt.date(2026, 11, 27)
HOLD = 3600.0  # the server's delay while the test wants the crawl stuck

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the process group")


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
                try:
                    return json.loads(line)
                except ValueError:  # the line is still being written
                    return None
    return None


def _run_cli(cfg: Path, data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(_govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress", *extra),
                          env=_cli_env(data_dir), capture_output=True, text=True, timeout=300)


@dataclass
class HeldRun:
    site: Site
    cfg: Path
    data_dir: Path
    proc: subprocess.Popen


@contextmanager
def held_run(tmp_path: Path):
    """`govwatch run` on a portal that answers nothing for an hour (the site's timeout is longer),
    once its crawl child has started; the whole process group is killed afterwards."""
    site, server = fixture_portal(delay=HOLD)
    data_dir = tmp_path / "data"
    cfg = write_config(tmp_path / "site.toml", server.base, timeout=2 * HOLD)
    args = _govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress")
    proc = subprocess.Popen(args, env=_cli_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert _wait_for(lambda: _crawl_started(data_dir) is not None), "the crawl never started"
        yield HeldRun(site, cfg, data_dir, proc)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.communicate(timeout=60)
        except ValueError:  # already read to the end
            pass
        server.close()


def test_second_run_on_a_held_site_exits_2_naming_the_holding_run(tmp_path):
    with held_run(tmp_path) as held:
        second = _run_cli(held.cfg, held.data_dir)
        assert held.proc.poll() is None  # the first run was not disturbed
        runs = sorted(p.name for p in (held.data_dir / "runs").glob("run-*"))
    assert second.returncode == 2, second.stdout + second.stderr
    assert f"正由监测运行 #1（进程 {held.proc.pid}）监测" in second.stderr
    assert runs == ["run-1"]


def test_run_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    with held_run(tmp_path) as held:
        pgid = held.proc.pid
        # The parse pool starts just after the start record: wait for its forkserver.
        _wait_for(lambda: len(_live_in_group(pgid)) >= 3)
        before = _live_in_group(pgid)
        os.kill(pgid, signal.SIGKILL)  # the run only, like the OOM killer: its children get no signal from us
        held.proc.communicate(timeout=60)
        gone = _wait_for(lambda: not _live_in_group(pgid), limit=60.0)
        left = _live_in_group(pgid)
    # The run, its crawl child, and the child's forkserver, parse worker and resource tracker.
    assert len(before) >= 3, before
    assert gone, f"orphans left: {left}"


def test_sigterm_ends_the_run_as_interrupted_and_resume_completes_it(tmp_path):
    with held_run(tmp_path) as held:
        os.kill(held.proc.pid, signal.SIGTERM)
        out, err = held.proc.communicate(timeout=120)
        gone = _wait_for(lambda: not _live_in_group(held.proc.pid), limit=60.0)
        held.site.state["delay"] = 0.0
        resumed = _run_cli(held.cfg, held.data_dir, "--resume")
    assert held.proc.returncode == 1, out + err
    assert "监测运行 #1 失败" in out and "已中断" in out
    assert gone
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "运行编号：1" in resumed.stdout
