"""`govwatch demo` as a new user runs it (without serving the dashboard at the end)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_the_cycle_and_leaves_reports_and_digests(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GOVWATCH_DATABASE_URL"}  # the embedded default: SQLite
    env.update(GOVWATCH_DATA_DIR=str(tmp_path / "data"), GOVWATCH_DEMO_PASSWORD="demo-pass-1")
    env.pop("GOVWATCH_SMTP_HOST", None)
    env.pop("GOVWATCH_EMAIL_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "-m", "govwatch.cli", "demo", "--scale", "small", "--as-of", "2026-11-27",
         "--no-serve", "--no-progress"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "共 41 个单位参与评分" in result.stdout
    assert "demo-pass-1" in result.stdout

    exports = tmp_path / "data" / "exports"
    names = {p.name for p in exports.iterdir()}
    for stem in ("周监测结果", "季度监测报告", "通报"):
        assert any(n.startswith(stem) and n.endswith(".docx") for n in names), names
    for stem in ("得分表", "问题清单"):
        assert any(n.startswith(stem) and n.endswith(".xlsx") for n in names), names

    scores = json.loads(next(exports.glob("scores-run*.json")).read_text(encoding="utf-8"))
    assert len(scores) == 41
    truth = json.loads((tmp_path / "data" / "sample-portal" / "truth.json").read_text(encoding="utf-8"))
    assert {s["unit"]: s["score"] for s in scores} == {s["unit"]: s["score"] for s in truth["scores"]["no_review"]}

    mails = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (exports / "mail").iterdir())
    assert "unit0107@demo.govwatch.invalid" in mails or "unit0302@demo.govwatch.invalid" in mails
    assert "office@demo.govwatch.invalid" in mails
