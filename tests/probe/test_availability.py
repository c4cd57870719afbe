"""national.site_unreachable judged over a week of probes (pure)."""

from __future__ import annotations

import datetime as dt

from govwatch.checks.availability import BLOCKED, HTTP, SLOW, TIMEOUT, Probe, classify, site_unreachable
from govwatch.rulebook import load_rulebook

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
CONF = dict(load_rulebook().national["national.site_unreachable"])


def _week(total: int, failed: int, reason: str = HTTP) -> list[Probe]:
    step = dt.timedelta(days=7) / total
    return [Probe(NOW - i * step, "http://www.example.gov.cn/", 503 if i < failed else 200, 0.1,
                  reason if i < failed else "") for i in range(total)]


def test_site_unreachable_at_exactly_five_percent_is_a_veto():
    w = site_unreachable(_week(140, 7), CONF, NOW)
    assert (w["level"], w["count"], w["probes"], w["failure_share"]) == ("veto", 7, 140, 0.05)


def test_site_unreachable_just_under_five_percent_is_ok():
    w = site_unreachable(_week(140, 6), CONF, NOW)
    assert (w["level"], w["count"]) == ("ok", 6)


def test_site_unreachable_lists_the_failing_times_and_reasons():
    probes = _week(140, 7, TIMEOUT)
    w = site_unreachable(probes, CONF, NOW)
    assert [d["at"] for d in w["details"]] == sorted(p.at.isoformat() for p in probes[:7])
    assert {d["reason_label"] for d in w["details"]} == {"超时"}


def test_site_unreachable_ignores_probes_our_guard_refused_and_older_ones():
    probes = _week(140, 6)
    probes += [Probe(NOW - dt.timedelta(hours=1), "http://www.example.gov.cn/", None, None, BLOCKED)] * 5
    probes += [Probe(NOW - dt.timedelta(days=8), "http://www.example.gov.cn/", 503, 0.1, HTTP)] * 5
    w = site_unreachable(probes, CONF, NOW)
    assert (w["level"], w["probes"], w["count"]) == ("ok", 140, 6)


def test_site_unreachable_flags_fewer_than_twenty_probes_a_day():
    assert site_unreachable(_week(139, 0), CONF, NOW)["enough_probes"] is False
    assert site_unreachable(_week(140, 0), CONF, NOW)["enough_probes"] is True


def test_site_unreachable_other_pages_do_not_count_for_the_homepage():
    probes = _week(140, 0) + [Probe(NOW, "http://www.example.gov.cn/zwgk/", 500, 0.1, HTTP, homepage=False)] * 20
    assert site_unreachable(probes, CONF, NOW)["count"] == 0


def test_probe_slower_than_the_limit_is_a_failure():
    assert classify(200, 15.5, CONF["probe_timeout_seconds"]) == SLOW
    assert classify(200, 14.9, CONF["probe_timeout_seconds"]) == ""
    assert classify(404, 0.1, CONF["probe_timeout_seconds"]) == HTTP


def test_response_time_percentiles_of_the_week():
    probes = [Probe(NOW - dt.timedelta(minutes=72 * i), "http://www.example.gov.cn/", 200, float(i + 1)) for i in range(100)]
    w = site_unreachable(probes, CONF, NOW)
    assert (w["p50_seconds"], w["p95_seconds"]) == (50.5, 95.05)
