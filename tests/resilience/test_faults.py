"""Issue #7: every fault a portal can throw at us, through the full cycle (pipeline.run.execute_run).

For each fault the faulty URLs are a column list page, an article of a healthy column and
a link target in a healthy article. The run must complete, list the column and the article
as unverified, and no finding of any rule may point at a faulty URL. A healthy baseline run
of the same portal without the fault shows the other columns still measured.

Crawler-level checks of the same faults live in tests/crawl/test_crawl_site.py; these add
the check -> score -> publish half.
"""

from __future__ import annotations

import pytest

from govwatch.pipeline.run import execute_run
from govwatch.monitoring.models import Finding, LinkResult, Run
from tests.crawl.sitefixture import Site
from tests.resilience.faultsite import (
    AS_OF, FAULT_ARTICLE, FAULT_COLUMN, FAULT_LINK, FAULTS, FaultServer, build, write_site,
)

pytestmark = pytest.mark.django_db(transaction=True)
TLS_REASONS = {"TLS 握手失败"}


def _run_fault(tmp_path, fault, **site):
    portal = Site()
    server = FaultServer(portal)
    try:
        build(portal, fault)
        tmp_path.mkdir(parents=True, exist_ok=True)
        config = write_site(tmp_path / "site.toml", server.base, **site)
        run = execute_run(config, AS_OF, progress=False).run
    finally:
        server.close()
    run.refresh_from_db()
    return run, server.base, portal


def _charged_to_fault(run: Run) -> list[str]:
    hits = []
    for f in Finding.objects.filter(run=run):
        texts = [f.url, f.column_url, str((f.evidence or {}).get("target", ""))]
        if any("/fault" in t for t in texts):
            hits.append(f"{f.rule} {f.url} {f.evidence}")
    return hits


def _assert_fault_unverified_and_free(run: Run, base: str, link_outcome: str = "unverified"):
    assert run.status == Run.Status.COMPLETE, run.error
    unverified = {url for url, _reason in run.unverified}
    assert base + FAULT_COLUMN in unverified, run.unverified
    assert base + FAULT_ARTICLE in unverified, run.unverified
    assert _charged_to_fault(run) == []
    link = LinkResult.objects.filter(run=run, target=base + FAULT_LINK).first()
    assert link is not None  # the fault link was checked; a link never checked proves nothing
    assert link.outcome == link_outcome, (link.outcome, link.reason)
    # The healthy column was still measured and scored.
    assert run.column_states.filter(url=base + "/bm/czj/gzdt/", status="ok").exists()
    assert run.scores.filter(unit__code="0107").exists()


@pytest.mark.parametrize("fault", ["connection_reset", "gzip_bomb", "huge_page", "redirect_loop",
                                   "retry_after_429_persistent", "waf_412", "waf_521"])
def test_full_cycle_fault_is_unverified_never_charged(tmp_path, runs_dir, fault):
    run, base, _portal = _run_fault(tmp_path, fault)
    # A huge target, or one whose body inflates past the size cap, still answers 200 at once: as a
    # link it works (only a page we must read is too big, crawl.phase_links._link_failure).
    _assert_fault_unverified_and_free(run, base, link_outcome="ok" if fault in ("huge_page", "gzip_bomb") else "unverified")


def test_full_cycle_slow_drip_times_out_unverified(tmp_path, runs_dir):
    run, base, portal = _run_fault(tmp_path, "slow_drip", timeout_seconds=2.0)
    _assert_fault_unverified_and_free(run, base)
    reasons = {url: reason for url, reason in run.unverified}
    assert reasons[base + FAULT_ARTICLE] == "连接超时"


def test_full_cycle_gzip_bomb_stopped_at_max_page_bytes(tmp_path, runs_dir):
    run, base, _portal = _run_fault(tmp_path, "gzip_bomb", max_page_bytes=1_000_000)
    reasons = {url: reason for url, reason in run.unverified}
    assert reasons[base + FAULT_ARTICLE] == "页面过大"
    assert _charged_to_fault(run) == []


def test_full_cycle_huge_page_reason_is_oversize(tmp_path, runs_dir):
    run, base, _portal = _run_fault(tmp_path, "huge_page")
    reasons = {url: reason for url, reason in run.unverified}
    assert reasons[base + FAULT_COLUMN] == "页面过大"
    assert reasons[base + FAULT_ARTICLE] == "页面过大"


def _finding_rows(run: Run, base: str) -> list[tuple]:
    return sorted((f.unit.code if f.unit else None, f.rule, f.url.replace(base, ""), f.points, f.state)
                  for f in Finding.objects.filter(run=run).select_related("unit"))


def test_full_cycle_429_retry_after_honoured_then_same_as_polite_site(tmp_path, runs_dir):
    run, base, portal = _run_fault(tmp_path / "busy", "retry_after_429")
    assert run.status == Run.Status.COMPLETE, run.error
    unverified = {url for url, _reason in run.unverified}
    # Retry-After: 1 was honoured and the second answer was the real page: nothing left unverified.
    assert base + FAULT_ARTICLE not in unverified
    assert run.page_facts.filter(url=base + FAULT_ARTICLE, status="ok").exists()
    assert run.column_states.filter(url=base + FAULT_COLUMN, status="ok").exists()
    assert portal.state["429"][FAULT_ARTICLE] == 2

    # The same portal answering at once: the findings (and so the scores) are exactly the same.
    polite = Site()
    server = FaultServer(polite)
    try:
        build(polite, "retry_after_429")
        polite.state["429"] = {p: 1 for p in (FAULT_COLUMN, FAULT_ARTICLE, FAULT_LINK)}
        config = write_site(tmp_path / "polite.toml", server.base)
        baseline = execute_run(config, AS_OF.replace(day=26), progress=False).run
    finally:
        server.close()
    assert _finding_rows(run, base) == _finding_rows(baseline, server.base)


def test_full_cycle_dns_failure_of_a_section_host_is_unverified(tmp_path, runs_dir):
    """A unit whose section lives on a name that never resolves (.invalid, RFC 6761): the other unit
    is still measured, the dead section is unverified and the unit is not charged for it."""
    portal = Site()
    server = FaultServer(portal)
    try:
        build(portal, None)
        dead = "http://portal-gone.invalid/bm/gaj/"
        config = write_site(tmp_path / "site.toml", server.base, allowed_hosts=["127.0.0.1", "portal-gone.invalid"],
                            extra_units=f'\n[[units]]\ncode = "0302"\nname = "公安分局"\nsections = ["{dead}"]\n')
        run = execute_run(config, AS_OF, progress=False).run
    finally:
        server.close()
    assert run.status == Run.Status.COMPLETE, run.error
    assert dict(map(tuple, run.unverified)).get(dead) == "DNS 解析失败"
    assert not Finding.objects.filter(run=run, url__startswith="http://portal-gone.invalid").exists()
    assert not Finding.objects.filter(run=run, column_url__startswith="http://portal-gone.invalid").exists()


def test_full_cycle_tls_error_is_unverified(tmp_path, runs_dir):
    """https:// to a port that speaks plain HTTP: the handshake fails on our side of the wire.
    Both a unit's section root and a link target are on that scheme."""
    portal = Site()
    server = FaultServer(portal)
    try:
        build(portal, None)
        tls = server.base.replace("http://", "https://")
        portal.html("/bm/czj/gzdt/a1.html", portal.routes["/bm/czj/gzdt/a1.html"](None)[2].decode().replace(
            "的正文内容。</p>", f'的正文内容。</p><a href="{tls}/fault-tls">相关链接</a>'))
        config = write_site(tmp_path / "site.toml", server.base,
                            extra_units=f'\n[[units]]\ncode = "0302"\nname = "公安分局"\nsections = ["{tls}/bm/gaj/"]\n')
        run = execute_run(config, AS_OF, progress=False).run
    finally:
        server.close()
    assert run.status == Run.Status.COMPLETE, run.error
    reasons = dict(map(tuple, run.unverified))
    assert reasons.get(f"{tls}/bm/gaj/") in TLS_REASONS, run.unverified
    link = LinkResult.objects.get(run=run, target=f"{tls}/fault-tls")
    assert link.outcome == "unverified" and link.reason in TLS_REASONS, (link.outcome, link.reason)
    assert not Finding.objects.filter(run=run, url__startswith="https://").exists()
    assert not Finding.objects.filter(run=run, column_url__startswith="https://").exists()
    assert not [f for f in Finding.objects.filter(run=run) if str(f.evidence.get("target", "")).startswith("https://")]


def test_fault_table_covers_the_issue():
    assert set(FAULTS) >= {"connection_reset", "slow_drip", "gzip_bomb", "huge_page", "redirect_loop",
                           "retry_after_429", "waf_412", "waf_521"}
