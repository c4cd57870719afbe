"""The run service on a faked crawl: publishing, idempotency, audited review, remembered dismissals."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch import facts as F
from govwatch.crawl.result import CrawlResult

from tests.monitoring.conftest import AS_OF, BASE, _column, _result, _stale_and_fresh
from govwatch.lib.errors import GovwatchError
from govwatch.pipeline import publish
from govwatch.monitoring.exports import findings_export, scores_export
from govwatch.monitoring.review import review_finding, review_findings
from govwatch.monitoring.runs import resolve_run
from govwatch.monitoring.scores import SYSTEM
from govwatch.pipeline.check import judged_for_typos
from govwatch.pipeline.run import execute_run
from govwatch.monitoring.models import Finding, Review, Run, Score, ScoreRecomputation

pytestmark = pytest.mark.django_db

def test_run_publishes_findings_and_scores(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    assert run.status == Run.Status.COMPLETE
    rows = findings_export(run)
    assert [(r["unit"], r["rule"], r["points"], r["state"]) for r in rows] == [("0107", "stale.news", -5, "confirmed")]
    scores = {s["unit"]: s["score"] for s in scores_export(run)}
    assert scores == {"0107": 95, "0302": 100}
    assert run.requests == 42


def test_units_not_in_the_site_config_are_listed_not_scored(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    assert len(run.not_configured) == 39
    assert not Score.objects.filter(run=run, unit__code="0101").exists()


def test_rerun_of_the_same_date_is_idempotent_and_keeps_reviews(site_path, fake_crawl):
    fake_crawl.extend([_stale_and_fresh(), _stale_and_fresh()])
    run = execute_run(site_path, AS_OF, progress=False).run
    finding = run.findings.get()
    review_finding(finding, to_state="dismissed", actor_label="reviewer", reason="栏目已停用")
    again = execute_run(site_path, AS_OF, progress=False).run
    assert again.pk == run.pk
    assert Run.objects.count() == 1
    kept = again.findings.get()
    assert kept.pk == finding.pk and kept.state == "dismissed"
    assert [r.to_state for r in kept.reviews.all()] == ["dismissed"]


def test_review_is_audited_and_recomputes_scores(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    finding = run.findings.get()
    review_finding(finding, to_state="dismissed", actor_label="reviewer", reason="误报：栏目已合并")
    assert Score.objects.get(run=run, unit__code="0107").score == 100
    review = Review.objects.get(finding=finding)
    assert (review.actor_label, review.from_state, review.to_state, review.reason) == (
        "reviewer", "confirmed", "dismissed", "误报：栏目已合并")
    last = ScoreRecomputation.objects.filter(run=run).order_by("-id").first()
    assert last.before["0107"] == 95 and last.after["0107"] == 100
    review_finding(finding, to_state="confirmed", actor_label="reviewer", reason="恢复")
    assert Score.objects.get(run=run, unit__code="0107").score == 95
    assert Review.objects.filter(finding=finding).count() == 2


def test_dismissal_needs_a_reason(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    with pytest.raises(GovwatchError):
        review_finding(run.findings.get(), to_state="dismissed", actor_label="reviewer", reason=" ")
    assert run.findings.get().state == "confirmed"


def test_dismissed_finding_stays_dismissed_in_a_later_run_with_same_evidence(site_path, fake_crawl):
    later = AS_OF + dt.timedelta(days=7)
    fake_crawl.extend([_stale_and_fresh(), _result([
        _column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=11)),
        _column("0302", "jwdt", "警务动态", later - dt.timedelta(days=1)),
    ])])
    first = execute_run(site_path, AS_OF, progress=False).run
    review_finding(first.findings.get(), to_state="dismissed", actor_label="reviewer", reason="栏目已停用")
    second = execute_run(site_path, later, progress=False).run
    assert second.cycle_start == AS_OF
    finding = second.findings.get()
    assert finding.state == "dismissed"
    review = finding.reviews.get()
    assert review.actor_label == SYSTEM and "栏目已停用" in review.reason
    assert Score.objects.get(run=second, unit__code="0107").score == 100


def test_unreachable_site_fails_the_run_and_publishes_no_scores(site_path, fake_crawl):
    fake_crawl.append(CrawlResult(unverified=[(BASE, "连接超时")], requests=3))
    run = execute_run(site_path, AS_OF, progress=False).run
    assert run.status == Run.Status.FAILED
    assert "连接超时" in run.error
    assert not Score.objects.filter(run=run).exists()
    assert not Finding.objects.filter(run=run).exists()


def test_unverified_column_is_never_charged(site_path, fake_crawl):
    fake_crawl.append(_result([
        _column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=40), status=F.UNVERIFIED),
        _column("0302", "jwdt", "警务动态", AS_OF - dt.timedelta(days=1)),
    ], unverified=[(f"{BASE}czj/gzdt/", "WAF 拦截")]))
    run = execute_run(site_path, AS_OF, progress=False).run
    assert run.status == Run.Status.COMPLETE
    assert not run.findings.exists()
    assert run.unverified == [[f"{BASE}czj/gzdt/", "WAF 拦截"]]


def test_latest_resolves_to_newest_complete_run(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    assert resolve_run("latest").pk == run.pk
    with pytest.raises(GovwatchError):
        resolve_run("999999")


def test_typo_judging_first_sight_and_changed_text_only(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    earlier = AS_OF - dt.timedelta(days=7)
    assert judged_for_typos(run, "0107", AS_OF, text_changed=False)
    assert judged_for_typos(run, "0107", earlier, text_changed=True)
    assert not judged_for_typos(run, "0107", earlier, text_changed=False)
    assert not judged_for_typos(run, None, AS_OF, text_changed=True)


def test_bulk_review_audits_each_finding_and_recomputes_once(site_path, fake_crawl):
    fake_crawl.append(_result([
        _column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=11)),
        _column("0302", "jwdt", "警务动态", AS_OF - dt.timedelta(days=12)),
    ]))
    run = execute_run(site_path, AS_OF, progress=False).run
    before = ScoreRecomputation.objects.filter(run=run).count()
    changed = review_findings([(f, "dismissed") for f in run.findings.all()],
                                       actor_label="reviewer", reason="栏目均已停用")
    assert changed == 2
    assert Review.objects.filter(finding__run=run, to_state="dismissed").count() == 2
    assert ScoreRecomputation.objects.filter(run=run).count() == before + 1
    assert {s["unit"]: s["score"] for s in scores_export(run)} == {"0107": 100, "0302": 100}


def test_bulk_review_without_reason_changes_nothing(site_path, fake_crawl):
    fake_crawl.append(_stale_and_fresh())
    run = execute_run(site_path, AS_OF, progress=False).run
    with pytest.raises(GovwatchError):
        review_findings([(f, "dismissed") for f in run.findings.all()], actor_label="reviewer", reason="")
    assert not Review.objects.filter(finding__run=run).exists()


def test_run_whose_publishing_fails_is_marked_failed_with_nothing_published(site_path, fake_crawl, monkeypatch):
    fake_crawl.append(_stale_and_fresh())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish, "recompute_scores", broken)
    with pytest.raises(RuntimeError):
        execute_run(site_path, AS_OF, progress=False)
    run = Run.objects.get()
    assert run.status == Run.Status.FAILED and "disk full" in run.error
    assert not run.findings.exists() and not Score.objects.filter(run=run).exists()


def test_site_unreachable_on_a_private_address_names_the_setting_that_allows_it():
    from types import SimpleNamespace

    from govwatch.crawl.netguard import PRIVATE_REASON
    from govwatch.pipeline.crawl import site_unreachable_reason

    result = SimpleNamespace(crawled_pages=0, columns=[], unverified=[("http://192.168.1.5/", PRIVATE_REASON)])
    reason = site_unreachable_reason(SimpleNamespace(home="http://192.168.1.5/"), result)
    assert reason == ("站点无法访问：http://192.168.1.5/（私有地址，未检查），本次不发布得分；"
                      "如确为内网站点，请在站点配置 [site] 中设置 allow_private_addresses = true")
