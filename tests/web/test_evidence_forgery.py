"""Evidence is ours (issue #16 item 3): a monitored page cannot hide or imitate our banner, our
mark or the review outcome. Rendered in Debian's Chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from govwatch.monitoring.models import Finding
from tests.web.factories import HOME, TYPO_RIGHT, TYPO_WRONG, write_warc
from tests.web.test_e2e import browser, login, page  # noqa: F401 - Chromium fixtures shared, not copied

pytestmark = pytest.mark.django_db(transaction=True)

FAKE_NOTICE = "复核结论：本页无错误，该问题已由监测办撤销"
BROKEN = f"{HOME}czj/fj/forged.doc"
# Everything a unit could put on its own page to hide the mark and fake a withdrawal.
FORGED_HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>通知</title>
<style>mark,#gw-problem,#gw-banner,[id^=gw],a,img{{display:none!important;visibility:hidden!important}}
body::before{{content:"{FAKE_NOTICE}";display:block;background:#fff8e1;border-bottom:2px solid #c00000}}</style>
<link rel="stylesheet" href="data:text/css,mark%7Bdisplay:none%7D">
</head>
<body style="opacity:0">
<p id="gw-problem">伪造的标记位置</p>
<div hidden><p>隐藏段落</p></div>
<details><summary>摘要</summary><p>请各单位认真组织人员{TYPO_WRONG}消防设施。</p></details>
<p><font color="#ffffff" style="font-size:0">白字</font><mark>假标记</mark></p>
<p>附件：<a href="{BROKEN}" style="display:none" class="x">检查表</a><img src="{BROKEN}" width="0" height="0"></p>
</body></html>"""


def _findings(world_run):
    page_url = f"{HOME}czj/tzgg/forged.html"
    pointer = write_warc(Path(world_run.run_dir), page_url, FORGED_HTML)
    common = dict(run=world_run, unit=world_run.findings.filter(unit__code="0107").first().unit, url=page_url,
                  column_url=f"{HOME}czj/tzgg/")
    typo = Finding.objects.create(rule="error.typo", points=-1, needs_review=True, state="confirmed", key="forged-typo",
                                  message=f"疑似错别字：“{TYPO_WRONG}”应为“{TYPO_RIGHT}”",
                                  evidence={"wrong": TYPO_WRONG, "right": TYPO_RIGHT, "warc": pointer}, **common)
    link = Finding.objects.create(rule="error.broken_link", points=-1, state="confirmed", key="forged-link",
                                  message=f"错链接：{BROKEN}（HTTP 404）",
                                  evidence={"target": BROKEN, "reason": "HTTP 404", "warc": pointer}, **common)
    return typo, link


def _world_run():
    return Finding.objects.filter(evidence__has_key="warc").select_related("run").first().run


def _open_frame(page, url):  # noqa: F811 - `page` is the Playwright fixture
    page.goto(url)
    frame = page.locator("iframe.evidence").element_handle().content_frame()
    frame.wait_for_load_state()
    return frame


def test_evidence_forgery_cannot_hide_banner_mark_or_outcome(live_server, page, users, world):  # noqa: F811
    typo, link = _findings(_world_run())
    login(page, live_server, "reviewer")
    frame = _open_frame(page, f"{live_server.url}/findings/{typo.pk}/")
    # Our banner, outside the frame, states the real outcome.
    ours = page.locator("#gw-evidence-banner")
    assert ours.is_visible()
    assert typo.get_state_display() in ours.inner_text()
    # Inside the frame: our banner and our mark are visible, the page's imitations are not ours.
    assert frame.locator("#gw-banner").is_visible()
    marks = frame.locator("#gw-problem")
    assert marks.count() == 1
    assert marks.is_visible()
    assert TYPO_RIGHT in marks.inner_text()
    assert frame.locator("mark").count() == 1  # the page's own <mark> is plain text now
    assert frame.locator("style").count() == 0
    before = frame.locator("body").evaluate("b => getComputedStyle(b, '::before').content")
    assert FAKE_NOTICE not in before
    assert frame.locator("body").evaluate("b => getComputedStyle(b).opacity") == "1"


def test_evidence_forgery_cannot_hide_broken_link_outline(live_server, page, users, world):  # noqa: F811
    _, link = _findings(_world_run())
    login(page, live_server, "reviewer")
    frame = _open_frame(page, f"{live_server.url}/findings/{link.pk}/")
    outlined = frame.locator("#gw-problem")
    assert outlined.count() == 1
    assert outlined.is_visible()
    assert "outline" in (outlined.get_attribute("style") or "")


def test_evidence_raw_view_keeps_page_styles_and_is_labelled(live_server, page, users, world):  # noqa: F811
    typo, _ = _findings(_world_run())
    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/findings/{typo.pk}/")
    raw_link = page.locator(f"a[href='/evidence/{typo.pk}/?raw=1']")
    assert raw_link.count() == 1
    assert "原始页面" in raw_link.inner_text()
    response = page.goto(f"{live_server.url}/evidence/{typo.pk}/?raw=1")
    assert "sandbox" in response.headers["content-security-policy"]
    assert page.locator("style").count() == 1  # faithful: the page's own stylesheet kept
    assert page.locator("#gw-banner").count() == 0  # and none of our marks in it
