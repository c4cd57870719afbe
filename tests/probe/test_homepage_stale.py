"""national.homepage_stale: the homepage's dated boxes read like a column list, judged on the probe's day."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.checks.homepage import homepage_stale
from govwatch.probe import service
from govwatch.rulebook import load_rulebook
from govwatch.samplesite.generate import generate_site
from govwatch.samplesite.server import free_port, serve_in_thread
from govwatch.siteconfig import load_site

AS_OF = dt.date(2026, 11, 27)
CONF = dict(load_rulebook().national["national.homepage_stale"])


@pytest.mark.parametrize(("days", "level"), [(15, "veto"), (14, "ok"), (13, "ok")])
def test_homepage_stale_after_the_rulebook_days(days, level):
    w = homepage_stale(AS_OF - dt.timedelta(days=days), 10, AS_OF, CONF)
    assert (w["level"], w["days"], w["judged"]) == (level, days, True)


def test_homepage_without_dated_items_is_not_judged():
    w = homepage_stale(None, 0, AS_OF, CONF)
    assert (w["level"], w["judged"]) == ("ok", False)


@pytest.mark.parametrize(("age", "level"), [(15, "veto"), (13, "ok")])
def test_homepage_stale_on_the_sample_variant_with_boxes_of_that_age(db, tmp_path, age, level):
    port = free_port()
    d = tmp_path / "portal"
    generate_site(d, AS_OF, scale="small", base_url=f"http://127.0.0.1:{port}/", homepage_age=age)
    config = load_site(d / "site.toml")
    rulebook = load_rulebook()
    with serve_in_thread(d, port=port):
        # The test clock: the probe happens on the sample's as-of day (noon in Asia/Shanghai).
        (probe,) = service.probe_once(config, rulebook, at=dt.datetime(2026, 11, 27, 4, tzinfo=dt.timezone.utc))
    assert probe.ok
    assert probe.dated_items >= 2
    assert probe.newest_item_date == AS_OF - dt.timedelta(days=age)
    w = service.site_availability(service.site_row(config), now=probe.at, rulebook=rulebook)["homepage"]
    assert (w["level"], w["days"]) == (level, age)
