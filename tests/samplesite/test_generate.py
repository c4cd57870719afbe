"""Generation: CLI, determinism, bad arguments, streaming at a larger page count."""

from __future__ import annotations

import datetime as dt
import gc
import json
import weakref

import pytest
from click.testing import CliRunner

from govwatch.lib.errors import GovwatchError
from govwatch.samplesite.cli import sample
from govwatch.samplesite.generate import generate_site

AS_OF = dt.date(2026, 11, 6)


def test_generate_cli_writes_site_truth_and_chinese_summary(tmp_path):
    result = CliRunner().invoke(sample, ["generate", "--out", str(tmp_path / "s"), "--as-of", "2026-11-06", "--scale", "small"])
    assert result.exit_code == 0, result.output
    assert "已生成示例门户" in result.output
    truth = json.loads((tmp_path / "s" / "truth.json").read_text(encoding="utf-8"))
    assert truth["as_of"] == "2026-11-06"
    assert (tmp_path / "s" / "site.toml").exists()


def test_generate_cli_rejects_a_bad_date_with_exit_2(tmp_path):
    result = CliRunner().invoke(sample, ["generate", "--out", str(tmp_path / "s"), "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_generate_refuses_as_of_before_anchor(tmp_path):
    with pytest.raises(GovwatchError):
        generate_site(tmp_path / "s", AS_OF, anchor=AS_OF + dt.timedelta(days=1), scale="small")


def test_generate_refuses_to_overwrite_a_foreign_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(GovwatchError):
        generate_site(tmp_path, AS_OF, scale="small")


def test_generate_same_seed_gives_identical_truth(tmp_path):
    a = generate_site(tmp_path / "a", AS_OF, seed=7, scale="small")
    b = generate_site(tmp_path / "b", AS_OF, seed=7, scale="small")
    assert (tmp_path / "a" / "truth.json").read_bytes() == (tmp_path / "b" / "truth.json").read_bytes()
    assert a.pages == b.pages


def test_generate_other_seed_changes_content_but_not_coverage(tmp_path):
    generate_site(tmp_path / "a", AS_OF, seed=7, scale="small")
    generate_site(tmp_path / "b", AS_OF, seed=8, scale="small")
    ta = json.loads((tmp_path / "a" / "truth.json").read_text(encoding="utf-8"))
    tb = json.loads((tmp_path / "b" / "truth.json").read_text(encoding="utf-8"))
    assert ta["findings"] != tb["findings"]
    assert {f["rule"] for f in ta["findings"]} == {f["rule"] for f in tb["findings"]}


def test_generate_default_scale_gives_about_three_thousand_pages(sample_site):
    print(f"\ndefault 规模：{sample_site.summary.pages} 个网页，用时 {sample_site.summary.seconds:.2f} 秒")
    assert 2500 <= sample_site.summary.pages <= 3600


def test_generate_streams_one_unit_at_a_time(tmp_path, monkeypatch):
    """Units are planned, written and released one after another: at most two plans are ever alive."""
    from govwatch.samplesite import generate as G

    real = G.plan_site
    problems = []

    def spying_plan_site(*args, **kwargs):
        seen = []  # (weakref to the plan, its section)
        for plan in real(*args, **kwargs):
            # while unit k is planned, the loops still hold unit k-1; unit k-2 must be gone and on disk
            if len(seen) >= 2:
                gc.collect()
                ref, section = seen[-2]
                if ref() is not None:
                    problems.append(f"plan of {section} still alive")
                if not G.url_to_file(tmp_path / "s" / "www", section).exists():
                    problems.append(f"{section} not written yet")
            seen.append((weakref.ref(plan), plan.section))
            yield plan
            del plan

    monkeypatch.setattr(G, "plan_site", spying_plan_site)
    summary = G.generate_site(tmp_path / "s", AS_OF, scale="small")
    assert summary.units == 41
    assert problems == []
