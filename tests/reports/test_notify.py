"""Digests through Apprise: a unit's digest and the office summary reach a local webhook receiver
(127.0.0.1 only; no outside host is contacted), and e-mail still goes out beside them."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from govwatch.pipeline import hooks
from govwatch.reports import digests, notify


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps every JSON body it is sent, by path."""

    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _configure(site, receiver, *, unit_path="/hooks/czj", office_path="/hooks/office"):
    site.config_text = (f'[site]\nname = "{site.name}"\nhome = "{site.home}"\n'
                        f'notify = ["json://127.0.0.1:{receiver.port}{office_path}"]\n\n'
                        f'[[units]]\ncode = "0107"\nname = "区财政局"\nsections = ["{site.home}czj/"]\n'
                        f'notify = ["json://127.0.0.1:{receiver.port}{unit_path}"]\n')
    site.save()


def test_unit_digest_and_office_summary_reach_the_webhook_in_apprise_format(data, receiver):
    run = data.runs[-1]
    _configure(run.site, receiver)
    report = notify.send_run_notices(run)
    assert (report.sent, report.failed) == ({"0107": [f"json://127.0.0.1:{receiver.port}/hooks/czj"],
                                             "office": [f"json://127.0.0.1:{receiver.port}/hooks/office"]}, {})
    got = dict(receiver.received)
    assert sorted(got) == ["/hooks/czj", "/hooks/office"]
    unit = got["/hooks/czj"]
    # Apprise's JSON webhook format: version, title, message, type.
    assert (unit["version"], unit["type"]) == ("1.0", "info")
    assert unit["title"].startswith("【政府网站监测】区财政局")
    assert "错别字：“按装”应为“安装”" in unit["message"]
    assert "监测完成" in got["/hooks/office"]["title"]


def test_units_without_a_channel_get_no_webhook_notice(data, receiver):
    run = data.runs[-1]
    _configure(run.site, receiver)
    notify.send_run_notices(run)
    assert [path for path, _ in receiver.received].count("/hooks/czj") == 1
    assert len(receiver.received) == 2


def test_a_failing_channel_is_reported_and_does_not_stop_the_others(data, receiver):
    from govwatch.samplesite.server import free_port

    run = data.runs[-1]
    _configure(run.site, receiver)
    dead = free_port()
    run.site.config_text = run.site.config_text.replace(
        f'notify = ["json://127.0.0.1:{receiver.port}/hooks/czj"]',
        f'notify = ["json://127.0.0.1:{dead}/gone", "json://127.0.0.1:{receiver.port}/hooks/czj"]')
    run.site.save()
    report = notify.send_run_notices(run)
    assert report.failed == {"0107": [f"json://127.0.0.1:{dead}/gone"]}
    assert [path for path, _ in receiver.received].count("/hooks/czj") == 1


def test_email_digests_still_go_out_beside_the_channels(data, receiver, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GOVWATCH_OFFICE_EMAILS = ["office@example.gov.cn"]
    monkeypatch.setattr(digests, "unit_recipients",
                        lambda unit: ["czj@example.gov.cn"] if unit.code == "0107" else [])
    assert "govwatch.reports.notify.send_after_publish" in settings.GOVWATCH_AFTER_PUBLISH_HOOKS
    assert "govwatch.reports.digests.send_after_publish" in settings.GOVWATCH_AFTER_PUBLISH_HOOKS
    run = data.runs[-1]
    _configure(run.site, receiver)
    for hook in hooks.after_publish_hooks():
        hook(run)
    assert sorted(tuple(m.to) for m in mail.outbox) == [("czj@example.gov.cn",), ("office@example.gov.cn",)]
    assert sorted(path for path, _ in receiver.received) == ["/hooks/czj", "/hooks/office"]
