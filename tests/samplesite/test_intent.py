"""Column intent: the sample portal states what each column is; nobody's classifier decides it for truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from govwatch.rulebook import load_rulebook
from govwatch.rulebook.classify import classify_column
from govwatch.samplesite.generate import CachedCalendar
from govwatch.samplesite.site import SCALES, plan_site
from tests.samplesite.conftest import ANCHOR

REPO = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter, so sys.modules shows exactly what truth and recompute pulled in.
PROBE = """
import datetime as dt, json, sys, tempfile
from govwatch.rulebook import load_rulebook
from govwatch.samplesite.generate import CachedCalendar, generate_site
from govwatch.samplesite.site import SCALES, plan_site
from tests.samplesite.recompute import NameTables

anchor = dt.date.fromisoformat(sys.argv[1])
with tempfile.TemporaryDirectory() as out:
    summary = generate_site(out, anchor, scale="small")
rb = load_rulebook()
names = NameTables(rb.path)
cal = CachedCalendar(rb.calendar_days, rb.unknown_year)
compared, differ = 0, []
for plan in plan_site(2017, anchor, SCALES["small"], rb, cal):
    for col in plan.columns:
        compared += 1
        intent = [col.category, col.key_area, col.expected]
        got = list(names.classify(col.name))
        if got != intent:
            differ.append([plan.code, col.name, intent, got])
leaked = sorted(m for m in sys.modules if m == "govwatch.rulebook.classify" or m.startswith("govwatch.checks"))
print(json.dumps({"findings": summary.findings, "compared": compared, "differ": differ, "leaked": leaked}))
"""


def _probe() -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run([sys.executable, "-c", PROBE, ANCHOR.isoformat()], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_truth_and_recompute_classify_columns_without_the_monitor_classifier_or_checks():
    got = _probe()
    assert got["findings"] > 0  # truth was really built in the probe
    assert got["compared"] > 41 * 5
    assert got["differ"] == []
    assert got["leaked"] == []


def test_monitor_classifier_agrees_with_every_planted_intent():
    rb = load_rulebook()
    cal = CachedCalendar(rb.calendar_days, rb.unknown_year)
    cols = [(plan.code, col) for plan in plan_site(2017, ANCHOR, SCALES["small"], rb, cal) for col in plan.columns]
    assert len(cols) > 41 * 5
    differ = []
    for code, col in cols:
        c = classify_column(col.name, rb)
        if (c.category, c.key_area, c.expected) != (col.category, col.key_area, col.expected):
            differ.append((code, col.name, (col.category, col.key_area, col.expected), c))
    assert differ == []


def test_planted_intent_covers_key_area_and_every_expected_frequency():
    """The intent table is not all defaults: key-area and each frequency are planted somewhere."""
    rb = load_rulebook()
    cal = CachedCalendar(rb.calendar_days, rb.unknown_year)
    cols = [col for plan in plan_site(2017, ANCHOR, SCALES["small"], rb, cal) for col in plan.columns]
    assert sum(col.key_area for col in cols) >= 4
    assert {col.expected for col in cols} == {None, "monthly", "quarterly", "yearly"}
