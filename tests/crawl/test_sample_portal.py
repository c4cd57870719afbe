"""The crawler against the generated sample portal and its ground truth (govwatch.samplesite)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from govwatch.crawl import crawl_site, read_warc_record
from govwatch.facts import PreviousState
from govwatch.samplesite import server as samplesite
from govwatch.siteconfig import load_site

AS_OF = dt.date(2026, 11, 27)



@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory, rulebook):
    from govwatch.samplesite.generate import generate_site

    root = tmp_path_factory.mktemp("sample")
    port = samplesite.free_port()
    summary = generate_site(root / "site", AS_OF, scale="small", base_url=f"http://127.0.0.1:{port}/")
    truth = json.loads((root / "site" / "truth.json").read_text(encoding="utf-8"))
    site = load_site(root / "site" / "site.toml")
    site = dataclasses.replace(site, timeout_seconds=1.5)  # the planted hanging page costs less
    with samplesite.serve_in_thread(root / "site", port=port):
        full = crawl_site(site, rulebook, root / "run1", as_of=AS_OF, progress=False)
        previous = PreviousState(as_of=AS_OF, pages={s.url: s for s in full.page_states},
                                 links={s.target: s for s in full.link_states})
        again = crawl_site(site, rulebook, root / "run2", as_of=AS_OF + dt.timedelta(days=7), previous=previous,
                           progress=False)
    return summary, truth, full, again, root


@pytest.mark.slow
def test_sample_portal_every_column_discovered(sample_runs):
    summary, truth, full, _, _ = sample_runs
    assert len(full.columns) == summary.columns
    column_urls = {c.url for c in full.columns}
    assert {f["column_url"] for f in truth["findings"] if f.get("column_url")} <= column_urls
    blank = [f["column_url"] for f in truth["findings"] if f["rule"] == "blank.column"]
    by_url = {c.url: c for c in full.columns}
    assert all(by_url[u].items == () for u in blank)


@pytest.mark.slow
def test_sample_portal_unverified_match_truth(sample_runs):
    _, truth, full, _, _ = sample_runs
    assert {u["url"] for u in truth["unverified"]} == {url for url, _ in full.unverified}


@pytest.mark.slow
def test_sample_portal_broken_links_found(sample_runs):
    _, truth, full, _, _ = sample_runs
    broken = {l.target for l in full.links if l.outcome == "broken"}
    expected = {f["evidence"]["target"] for f in truth["findings"] if f["rule"] == "error.broken_link"}
    expected |= {p["target"] for p in truth["portal"] if p["rule"] == "error.broken_link"}
    assert broken == expected


@pytest.mark.slow
def test_sample_portal_incremental_rerun_needs_few_requests(sample_runs):
    _, _, full, again, root = sample_runs
    assert again.requests < full.requests * 0.35
    assert again.stats["reused_pages"] >= len(full.pages) - 10
    assert [c.url for c in again.columns] == [c.url for c in full.columns]
    headers, body = read_warc_record(root / "run1", full.columns[0].warc)
    assert headers["http_status"] == 200 and body
