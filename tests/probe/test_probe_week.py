"""A week of accelerated probes against a flaky sample homepage, under a test clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socket
from types import MappingProxyType

import pytest

from govwatch.checks.availability import BLOCKED, CONNECT, DNS, HTTP, TIMEOUT, WAF
from govwatch.crawl import netguard
from govwatch.probe import fetch, service
from govwatch.rulebook import load_rulebook
from govwatch.samplesite.server import Flaky, base_url_of, free_port, serve_in_thread
from govwatch.siteconfig import load_site

START = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.timezone.utc)
HOME_HTML = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>君山区人民政府</title></head><body>首页</body></html>"


@pytest.fixture
def portal(tmp_path):
    d = tmp_path / "portal"
    (d / "www").mkdir(parents=True)
    (d / "www" / "index.html").write_text(HOME_HTML, encoding="utf-8")
    (d / "faults.json").write_text(json.dumps({"/waf.html": {"kind": "waf"}}), encoding="utf-8")
    with serve_in_thread(d) as (server, _):
        yield server


def _config(tmp_path, home: str, private: bool = True, pages=()):
    path = tmp_path / "site.toml"
    path.write_text(f'[site]\nname = "君山区人民政府门户网站"\nhome = "{home}"\nallow_private_addresses = {str(private).lower()}\n'
                    f"probe_pages = {json.dumps(list(pages))}\n", encoding="utf-8")
    return load_site(path)


def _accelerated_week(config, rulebook) -> dt.datetime:
    """20 probes a day for 7 days, each stamped by the test clock 72 minutes after the last."""
    every = service.interval(rulebook)
    per_week = int(dt.timedelta(days=7) / every)
    assert per_week == 140
    at = START
    for _ in range(per_week):
        at += every
        service.probe_once(config, rulebook, at=at)
    return at


@pytest.mark.parametrize(("share", "level", "failed"), [(0.05, "veto", 7), (0.04, "ok", 5)])
def test_probe_week_warns_exactly_when_failures_reach_five_percent(db, tmp_path, portal, share, level, failed):
    portal.flaky = Flaky(path="/", share=share)
    config = _config(tmp_path, base_url_of(portal))
    rulebook = load_rulebook()
    now = _accelerated_week(config, rulebook)
    w = service.site_availability(service.site_row(config), now=now, rulebook=rulebook)
    assert (w["level"], w["probes"], w["count"]) == (level, 140, failed)
    assert {d["reason"] for d in w["details"]} == {HTTP}
    assert w["enough_probes"] is True
    assert [d["state"] for d in w["strip"]].count("none") == 0


def test_probe_slow_homepage_fails_by_timeout(db, tmp_path, portal):
    portal.flaky = Flaky(path="/", share=0.5, mode="slow", slow_seconds=5)
    conf = dict(load_rulebook().national["national.site_unreachable"]) | {"probe_timeout_seconds": 1}
    rulebook = dataclasses.replace(load_rulebook(), national=MappingProxyType(
        {**load_rulebook().national, "national.site_unreachable": MappingProxyType(conf)}))
    config = _config(tmp_path, base_url_of(portal))
    first = service.probe_once(config, rulebook, at=START)[0]
    second = service.probe_once(config, rulebook, at=START + dt.timedelta(minutes=72))[0]
    assert (first.reason, first.status, first.size) == ("", 200, len(HOME_HTML.encode()))
    assert (second.reason, second.status) == (TIMEOUT, None)


def test_probe_reasons_waf_connect_dns_and_guard(db, tmp_path, portal, monkeypatch):
    base = base_url_of(portal)
    closed = f"http://127.0.0.1:{free_port()}/"
    own = netguard.FetchGuard(allow_private=True, own_urls=[base, closed])
    assert fetch.probe_url(base + "waf.html", limit=5, guard=own).reason == WAF
    assert fetch.probe_url(closed, limit=5, guard=own).reason == CONNECT
    # Our guard refuses a private address that is not the site's own: never counted against the portal.
    assert fetch.probe_url(base, limit=5, guard=netguard.FetchGuard()).reason == BLOCKED
    assert fetch.probe_url(closed, limit=5, guard=netguard.FetchGuard(allow_private=True, own_urls=[base])).reason == BLOCKED

    def no_such_host(host):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(netguard, "resolve", no_such_host)
    assert fetch.probe_url("http://www.junshan.invalid/", limit=5, guard=netguard.FetchGuard()).reason == DNS


def test_probe_covers_pages_the_site_config_names(db, tmp_path, portal):
    base = base_url_of(portal)
    config = _config(tmp_path, base, pages=[base + "waf.html"])
    probes = service.probe_once(config, load_rulebook(), at=START)
    assert [(p.url, p.homepage, p.reason) for p in probes] == [(base, True, ""), (base + "waf.html", False, WAF)]
    w = service.site_availability(service.site_row(config), now=START, rulebook=load_rulebook())
    assert (w["count"], len(w["pages"])) == (0, 1)


def test_probe_due_sites_follows_the_rulebook_interval(db, tmp_path, portal):
    config = _config(tmp_path, base_url_of(portal))
    service.site_row(config)
    assert service.probe_due_sites(now=START) == 1
    assert service.probe_due_sites(now=START + dt.timedelta(minutes=71)) == 0
    assert service.probe_due_sites(now=START + dt.timedelta(minutes=72)) == 1


def test_probe_command_once_prints_one_round_and_stores_it(db, tmp_path, portal, monkeypatch, capsys):
    import govwatch.monitoring.bootstrap as bootstrap
    from govwatch.cli import main
    from govwatch.monitoring.models import Probe

    monkeypatch.setattr(bootstrap, "setup_django", lambda migrate=True: None)  # the test database is ready
    config = _config(tmp_path, base_url_of(portal))
    main(["probe", "--site", config.path, "--once"])
    out = capsys.readouterr().out
    assert f"{base_url_of(portal)}  HTTP 200" in out
    assert "近7天首页探测 1 次" in out
    assert Probe.objects.filter(url=base_url_of(portal), reason="").count() == 1


def test_run_national_warnings_carry_the_week_of_probes_up_to_the_as_of_day(db, tmp_path, portal):
    portal.flaky = Flaky(path="/", share=0.05)
    config = _config(tmp_path, base_url_of(portal))
    rulebook = load_rulebook()
    last = _accelerated_week(config, rulebook)
    site = service.site_row(config)
    warnings = {w["id"]: w for w in service.run_national(site, last.date(), rulebook)}
    week = warnings["national.site_unreachable"]
    # The 7 days end with the as-of day in Asia/Shanghai (11-28 00:00 +08:00 = 11-27 16:00 UTC): the first
    # 13 probes (11-20 01:12 to 15:36 UTC) fall before it; every failing probe falls inside.
    assert (week["level"], week["count"], week["probes"]) == ("veto", 7, 127)
    assert len(week["details"]) == 7
    assert all("HTTP 错误（HTTP 503）" in d["name"] for d in week["details"])
    assert service.run_national(site, START.date() - dt.timedelta(days=1), rulebook) == []


def test_celery_beat_sends_the_probe_task_which_probes_due_sites(db, tmp_path, portal):
    from govwatch.monitoring import tasks
    from govwatch.monitoring.models import Probe

    assert tasks.app.conf.beat_schedule["probe-due-sites"]["task"] == "govwatch.probe_due_sites"
    config = _config(tmp_path, base_url_of(portal))
    service.site_row(config)
    assert tasks.probe_due_sites() == 1  # run in this process, as a worker would
    assert Probe.objects.filter(url=base_url_of(portal)).count() == 1
