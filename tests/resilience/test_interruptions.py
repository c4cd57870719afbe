"""Issue #7: a run killed mid-crawl, and a database connection killed mid-publish.

Both must lose nothing and come out, after a re-run, equal to an uninterrupted run.
The crawler-level resume test (tests/crawl/test_resume.py) kills only the crawl child;
here the whole `govwatch run` process group gets SIGKILL and the database is a file.
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
from django.db import OperationalError, connection

from govwatch.monitoring.exports import findings_export, scores_export
from govwatch.pipeline.run import execute_run
from govwatch.monitoring.models import ColumnState, Finding, LinkResult, PageFact, Review, Run, Score
from tests.crawl.sitefixture import Server, Site, build_portal, closed_port

AS_OF = dt.date(2026, 11, 27)


CLOSED = closed_port()  # one closed port for every portal, so their broken-link findings compare equal


def fixture_portal(delay: float = 0.0) -> tuple[Site, Server]:
    site = Site()
    server = Server(site)
    build_portal(site, server.base, CLOSED)
    site.routes.pop("/slow")  # timeouts are covered by test_faults; keep this fast
    site.state["delay"] = delay
    return site, server


def write_config(path: Path, base: str, timeout: float = 2.0) -> Path:
    path.write_text(f"""[site]
name = "中断测试门户"
home = "{base}/"
allow_private_addresses = true
timeout_seconds = {timeout}
max_page_bytes = 200000
delay_seconds = 0.0
concurrency_per_host = 2

[[units]]
code = "0107"
name = "区财政局"
sections = ["{base}/bm/czj/"]
""", encoding="utf-8")
    return path


# Archive pointers (the snapshot, a broken link target's record) differ between attempts by design.
ARCHIVE_KEYS = ("warc", "target_warc")


def comparable(rows: list[dict], base: str) -> list[tuple]:
    strip = lambda text: (text or "").replace(base, "BASE")
    return sorted((r["unit"], r["rule"], strip(r["url"]), strip(r.get("column_url")), r["points"], r["state"],
                   strip(json.dumps({k: v for k, v in (r.get("evidence") or {}).items() if k not in ARCHIVE_KEYS},
                                    ensure_ascii=False, sort_keys=True)))
                  for r in rows)


def _cli_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVWATCH_")}
    env.update(GOVWATCH_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    return env


def _govwatch(*args) -> list[str]:
    return [sys.executable, "-c", "from govwatch.cli import main; main()", *args]


def _findings_via_cli(data_dir: Path) -> list[dict]:
    out = subprocess.run(_govwatch("findings", "--run", "latest", "--format", "json"), env=_cli_env(data_dir),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _records(run_root: Path) -> int:
    total = 0
    for path in run_root.glob("run-*/crawl.jsonl"):
        total += sum(1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if '"t":"fetch"' in line or '"t":"page"' in line)
    return total


@pytest.mark.slow
def test_run_killed_mid_crawl_resumes_to_the_same_findings(tmp_path):
    """SIGKILL to the whole `govwatch run` process group once crawl.jsonl holds some records;
    `govwatch run --resume` for the same date then publishes exactly the uninterrupted findings."""
    full_site, full_server = fixture_portal()
    cut_site, cut_server = fixture_portal(delay=0.03)
    try:
        full_dir = tmp_path / "full"
        cfg = write_config(tmp_path / "full.toml", full_server.base)
        done = subprocess.run(_govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress"),
                              env=_cli_env(full_dir), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        expected = comparable(_findings_via_cli(full_dir), full_server.base)

        cut_dir = tmp_path / "cut"
        cfg = write_config(tmp_path / "cut.toml", cut_server.base)
        args = _govwatch("run", "--site", str(cfg), "--as-of", AS_OF.isoformat(), "--no-progress")
        proc = subprocess.Popen(args, env=_cli_env(cut_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        seen = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            seen = _records(cut_dir / "runs")
            if seen >= 8:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its crawl child, like a power cut
        proc.wait(timeout=30)
        assert seen >= 8
        hits_before = sum(cut_site.hits.values())

        again = subprocess.run(args + ["--resume"], env=_cli_env(cut_dir), capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        resumed_hits = sum(cut_site.hits.values()) - hits_before
        actual = comparable(_findings_via_cli(cut_dir), cut_server.base)
    finally:
        full_server.close()
        cut_server.close()
    assert actual == expected
    assert expected  # the fixture portal has planted problems: an empty list would prove nothing
    # Pages fetched before the kill were not fetched again.
    assert resumed_hits < sum(full_site.hits.values())


def _kill_connection_during(monkeypatch, model, method: str):
    """Make `model.objects.<method>` lose its database connection: on PostgreSQL the backend is
    really terminated from a second connection (pg_terminate_backend); SQLite has no server, so
    the same OperationalError a dropped connection gives is raised instead."""
    manager = model.objects  # this model's manager instance only: the Manager class is shared by all models
    original = getattr(manager, method)
    calls = []

    def broken(*args, **kwargs):
        calls.append(method)
        if connection.vendor == "postgresql":
            import psycopg

            pid = connection.connection.info.backend_pid
            s = connection.settings_dict
            with psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                                 password=s["PASSWORD"] or None, dbname=s["NAME"], autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
            return original(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(manager, method, broken)
    return calls


@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_mid_publish_rolls_back_then_rerun_is_clean(tmp_path, settings, monkeypatch):
    settings.RUNS_DIR = tmp_path / "runs"
    _, clean_server = fixture_portal()
    _, cut_server = fixture_portal()
    try:
        clean = execute_run(write_config(tmp_path / "clean.toml", clean_server.base), AS_OF,
                                     progress=False).run
        expected = comparable(findings_export(clean), clean_server.base)
        expected_scores = sorted((s["unit"], s["score"], s["by_rule"].__repr__()) for s in scores_export(clean))
        assert expected

        cfg = write_config(tmp_path / "cut.toml", cut_server.base)
        with monkeypatch.context() as m:
            # Scores are written last inside publish_run's transaction: facts and findings are already in.
            calls = _kill_connection_during(m, Score, "bulk_create")
            with pytest.raises(OperationalError):
                execute_run(cfg, AS_OF, progress=False)
        assert calls == ["bulk_create"]
        connection.close()  # a dead connection is replaced on next use

        run = Run.objects.exclude(pk=clean.pk).get()
        assert run.status != Run.Status.COMPLETE
        for model in (Finding, Score, PageFact, ColumnState, LinkResult, Review):
            assert not model.objects.filter(**{"run" if model is not Review else "finding__run": run}).exists(), model

        rerun = execute_run(cfg, AS_OF, progress=False).run
    finally:
        clean_server.close()
        cut_server.close()
    assert rerun.pk == run.pk and rerun.status == Run.Status.COMPLETE
    assert comparable(findings_export(rerun), cut_server.base) == expected
    assert sorted((s["unit"], s["score"], s["by_rule"].__repr__()) for s in scores_export(rerun)) == expected_scores
