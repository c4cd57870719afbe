"""Honest coverage through the run service: a unit we could not read is flagged, never scored or ranked;
office-confirmed columns become pins and confident judgements; unsure deductions wait for review."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from govwatch.catalog.models import Column as ColumnModel
from govwatch.monitoring.exports import scores_export
from govwatch.pipeline.run import execute_run
from govwatch.monitoring.coverage import confirm_column
from govwatch.monitoring.models import Score

from tests.monitoring.conftest import AS_OF, BASE, _column, _result

pytestmark = pytest.mark.django_db


def _only_0107(newest_days=11, **column_changes):
    """0302's lists could not be read: the crawl found nothing of it at all."""
    col = dataclasses.replace(_column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=newest_days)),
                              **column_changes)
    return _result([col])


def test_unreadable_unit_is_not_monitored_in_scores_export_with_reason(site_path, fake_crawl):
    fake_crawl.append(_only_0107())
    run = execute_run(site_path, AS_OF, progress=False).run
    rows = {r["unit"]: r for r in scores_export(run)}
    assert sorted(rows) == ["0107", "0302"]
    assert (rows["0107"]["score"], rows["0107"]["coverage"]["monitored"]) == (95, True)
    lost = rows["0302"]
    assert (lost["score"], lost["deductions"], lost["bonuses"], lost["coverage"]["monitored"]) == (None, None, None, False)
    assert "未发现任何栏目" in lost["coverage"]["reason"]
    assert "[[columns]]" in lost["coverage"]["advice"]
    assert {k: lost["coverage"][k] for k in ("sections", "sections_reached", "columns", "columns_read")} == {
        "sections": 1, "sections_reached": 1, "columns": 0, "columns_read": 0}
    assert not Score.objects.filter(run=run, unit__code="0302").exists()
    assert [r["unit"] for r in scores_export(run)][-1] == "0302"  # never ranked above scored units


def test_unreadable_unit_is_not_ranked_in_weekly_and_quarterly_reports(site_path, fake_crawl):
    from govwatch.reports.data import quarterly_context, weekly_context

    fake_crawl.append(_only_0107())
    run = execute_run(site_path, AS_OF, progress=False).run
    weekly = weekly_context(run)
    assert [r["unit"] for r in weekly["ranking"]] == ["0107"]
    assert [(m["unit"], "未发现任何栏目" in m["reason"]) for m in weekly["not_monitored"]] == [("0302", True)]
    quarter = quarterly_context("2026Q4")
    assert [r["unit"] for r in quarter["ranking"]] == ["0107"]
    assert [(m["unit"], m["weeks"]) for m in quarter["not_monitored_units"]] == [("0302", 1)]


def test_unreadable_unit_is_named_in_weekly_docx(site_path, fake_crawl, tmp_path, monkeypatch):
    import govwatch.monitoring.bootstrap as bootstrap
    from govwatch.reports.cli import build_report
    from tests.reports.conftest import docx_text

    monkeypatch.setattr(bootstrap, "setup_django", lambda migrate=True: None)
    fake_crawl.append(_only_0107())
    run = execute_run(site_path, AS_OF, progress=False).run
    text = docx_text(build_report("weekly", out=tmp_path / "w.docx", run_ref=str(run.pk)))
    assert "以下1个单位本次未能有效监测，不评分、不排名：公安分局（在该单位的栏目入口下未发现任何栏目列表" in text
    ranking = [line for line in text.splitlines() if line.startswith("1 | 0107")]
    assert len(ranking) == 1
    assert "0302 | 公安分局" not in text


def test_run_summary_shows_coverage_and_unmonitored_units(site_path, fake_crawl):
    from rich.console import Console

    from govwatch.monitoring.summary import render_summary

    fake_crawl.append(_only_0107())
    run = execute_run(site_path, AS_OF, progress=False).run
    buf = io.StringIO()
    render_summary(run, Console(file=buf, width=200))
    out = buf.getvalue()
    assert "监测覆盖：栏目入口 2/2 可访问，栏目 1/1 读出带日期的信息（读取方式：静态页面 1）" in out
    assert "未能有效监测的单位（不评分、不排名）" in out
    assert "另有 1 个单位未能有效监测，不评分。" in out


def test_low_confidence_column_deduction_waits_for_review_and_is_not_scored(site_path, fake_crawl):
    fake_crawl.append(_only_0107(list_confidence=0.2))
    run = execute_run(site_path, AS_OF, progress=False).run
    finding = run.findings.get()
    assert (finding.rule, finding.state, finding.needs_review) == ("stale.news", "pending", True)
    assert finding.evidence["low_confidence"][0]["judgement"] == "list"
    assert Score.objects.get(run=run, unit__code="0107").score == 100


def test_office_confirmed_column_is_pinned_for_the_crawler_and_confident(site_path, fake_crawl, monkeypatch):
    fake_crawl.append(_only_0107())
    execute_run(site_path, AS_OF, progress=False)
    col = ColumnModel.objects.get(url=f"{BASE}czj/gzdt/")
    assert (col.read_via, col.list_confidence, col.item_count, col.pinned) == ("static", 1.0, 3, False)
    confirm_column(col, actor_label="office", changes={"category": "notice"})

    seen = []
    import govwatch.crawl

    crawl = govwatch.crawl.crawl_site

    def spy(site, *args, **kwargs):
        seen.append(site.columns)
        return crawl(site, *args, **kwargs)

    monkeypatch.setattr(govwatch.crawl, "crawl_site", spy)
    fake_crawl.append(_only_0107(list_confidence=0.2))
    run = execute_run(site_path, AS_OF + dt.timedelta(days=7), progress=False).run
    assert [(p.url, p.unit, p.category) for p in seen[0]] == [(f"{BASE}czj/gzdt/", "0107", "notice")]
    assert run.findings.get().state == "confirmed"  # the office confirmed it: no doubt left
    col.refresh_from_db()
    assert (col.category, col.pinned, col.confirmed_by, col.list_confidence) == ("notice", True, "office", 0.2)


def test_unreadable_unit_is_named_in_the_office_digest_and_not_among_the_lowest(site_path, fake_crawl):
    from govwatch.reports.digests import office_message

    fake_crawl.append(_only_0107())
    run = execute_run(site_path, AS_OF, progress=False).run
    _subject, body = office_message(run)
    assert "未能有效监测（不评分、不排名）的单位：公安分局（在该单位的栏目入口下未发现任何栏目列表" in body
    lowest = body.split("得分最低的单位：", 1)[1]
    assert "区财政局（0107）：95分" in lowest and "公安分局" not in lowest
