"""The server's planted faults, conditional requests and encodings."""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.request
from urllib.parse import urlsplit

import pytest


def unverified(served, needle):
    return next(u["url"] for u in served.truth["unverified"] if needle in u["reason"])


def request(url, method="GET", headers=None, timeout=5.0):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    conn.request(method, parts.path + ("?" + parts.query if parts.query else ""), headers=headers or {})
    resp = conn.getresponse()
    body = resp.read() if method != "HEAD" else b""
    conn.close()
    return resp, body


def test_server_answers_500_for_the_broken_column(sample_site):
    resp, body = request(unverified(sample_site, "500"))
    assert resp.status == 500


def test_server_answers_waf_challenge_with_412_and_script(sample_site):
    resp, body = request(unverified(sample_site, "WAF"))
    assert resp.status == 412
    assert b"<script>" in body


def test_server_redirect_loop_returns_to_start(sample_site):
    start = unverified(sample_site, "重定向")
    resp, _ = request(start)
    assert resp.status in (301, 302)
    second = resp.getheader("Location")
    resp2, _ = request(urlsplit(start)._replace(path=second).geturl())
    assert resp2.getheader("Location") == urlsplit(start).path


def test_server_resets_the_connection(sample_site):
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected, ConnectionAbortedError)):
        request(unverified(sample_site, "重置"))


def test_server_large_page_exceeds_five_megabytes(sample_site):
    resp, _ = request(unverified(sample_site, "过大"), method="HEAD")
    assert resp.status == 200
    assert int(resp.getheader("Content-Length")) > 5 * 1024 * 1024


def test_server_hanging_page_times_out_while_others_are_served(sample_site):
    hang = unverified(sample_site, "超时")
    outcome = {}

    def slow():
        try:
            request(hang, timeout=0.5)
            outcome["hang"] = "answered"
        except (socket.timeout, TimeoutError):
            outcome["hang"] = "timeout"

    t = threading.Thread(target=slow)
    t.start()
    resp, _ = request(sample_site.base_url, timeout=5)
    t.join()
    assert (resp.status, outcome["hang"]) == (200, "timeout")


def test_server_answers_304_to_a_matching_etag(sample_site):
    resp, _ = request(sample_site.base_url)
    etag = resp.getheader("ETag")
    again, body = request(sample_site.base_url, headers={"If-None-Match": etag})
    assert (again.status, body) == (304, b"")


def test_server_head_matches_get_length(sample_site):
    head, _ = request(sample_site.base_url, method="HEAD")
    get, body = request(sample_site.base_url)
    assert int(head.getheader("Content-Length")) == len(body)


def test_server_calendar_trap_links_onward_forever(sample_site):
    trap = next(u["url"] for u in sample_site.truth["unverified"] if u["kind"] == "trap")
    resp, body = request(trap.replace("2026-01", "2391-07"))
    assert resp.status == 200
    assert b"?date=2391-08" in body


def test_gbk_pages_are_labelled_gb2312_and_hold_characters_outside_it(sample_site):
    import tomllib

    site = tomllib.loads((sample_site.path / "site.toml").read_text(encoding="utf-8"))
    section = next(u["sections"][0] for u in site["units"] if u["code"] == "0124")
    resp, body = request(section)
    assert resp.getheader("Content-Type") == "text/html; charset=gb2312"
    assert b'charset=gb2312' in body
    root = sample_site.path / "www" / urlsplit(section).path.lstrip("/")
    texts = [p.read_bytes() for p in root.rglob("*.html")]
    decoded = "".join(t.decode("gbk") for t in texts)
    assert "镕" in decoded or "堃" in decoded
    with pytest.raises(UnicodeDecodeError):
        for t in texts:
            t.decode("gb2312")


def test_served_site_toml_lists_all_units_with_sections(sample_site):

    from govwatch.siteconfig import load_site

    site = load_site(sample_site.path / "site.toml")
    assert len(site.units) == 41
    assert all(s.endswith("/") for u in site.units for s in u.sections)
    assert site.allow_private_addresses and site.obey_robots
    with urllib.request.urlopen(site.home) as r:
        home = r.read().decode("utf-8")
    assert all(urlsplit(s).path in home for u in site.units for s in u.sections)
