"""End-to-end: Debian's Chromium driven by Playwright against the live server.

Screenshots of the main pages go to test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from govwatch.monitoring.models import Finding, Score
from tests.web.conftest import PASSWORD
from tests.web.factories import ARCHIVED_HTML, TYPO_RIGHT

CHROMIUM = os.environ.get("GOVWATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(),
                       reason="Debian chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def unit_score(page) -> int:
    return int(page.locator(".stat .v.score").inner_text().strip())


def test_reviewer_dismisses_finding_and_score_rises(live_server, page, users, world):
    login(page, live_server, "reviewer")
    shot(page, "overview-reviewer")
    page.goto(f"{live_server.url}/units/0107/")
    before = unit_score(page)
    shot(page, "unit-0107")
    finding = Finding.objects.get(unit__code="0107", rule="error.broken_link", evidence__has_key="warc")
    page.goto(f"{live_server.url}/findings/{finding.pk}/")
    page.fill("textarea[name=reason]", "该附件已在原文中更换为有效链接，属误报")
    page.click("button[value=dismiss]")
    page.wait_for_selector(".messages .success")
    shot(page, "finding-after-dismiss")
    assert "已排除" in page.locator(".history").inner_text()
    page.goto(f"{live_server.url}/units/0107/")
    assert unit_score(page) == before + 1
    assert Score.objects.get(run=world["run"], unit__code="0107").score == before + 1


def test_review_queue_screenshot_lists_pending(live_server, page, users, world):
    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/")
    assert page.locator("table.findings tbody tr").count() > 0
    shot(page, "review-queue")


def test_unit_admin_cannot_reach_other_unit(live_server, page, users, world):
    login(page, live_server, "unit0107")
    shot(page, "overview-unit0107")
    assert "公安分局" not in page.content()
    response = page.goto(f"{live_server.url}/units/0302/")
    assert response.status == 404
    assert "公安分局" not in page.content()
    other = Finding.objects.filter(unit__code="0302").first()
    response = page.goto(f"{live_server.url}/findings/{other.pk}/")
    assert response.status == 404
    assert other.message not in page.content()
    response = page.goto(f"{live_server.url}/evidence/{other.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/review/")
    assert response.status == 403


def test_archived_page_script_does_not_run(live_server, page, users, world):
    login(page, live_server, "reviewer")
    finding = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    page.goto(f"{live_server.url}/findings/{finding.pk}/")
    frame_el = page.locator("iframe.evidence")
    assert frame_el.get_attribute("sandbox") == ""
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_load_state()
    mark = frame.locator("#gw-problem")
    assert TYPO_RIGHT in mark.inner_text()
    assert frame.locator("html").get_attribute("data-pwned") is None
    shot(page, "finding-evidence-typo")
    # Opened on its own, the archive is still script-less (the CSP carries `sandbox`).
    response = page.goto(f"{live_server.url}/evidence/{finding.pk}/")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "sandbox" in response.headers["content-security-policy"]
    assert page.locator("html").get_attribute("data-pwned") is None
    assert page.locator("script").count() == 0
    shot(page, "evidence-direct")


def test_archived_page_script_runs_when_unprotected(page):
    """The control: the same HTML loaded as-is does set the flag, so the test above can fail."""
    page.set_content(re.sub(r"<base[^>]*>|<meta http-equiv[^>]*>", "", ARCHIVED_HTML))
    assert page.locator("html").get_attribute("data-pwned") is not None


def test_office_pages_screenshots(live_server, page, users, world):
    login(page, live_server, "office")
    for name, path in [("manage-sites", "/manage/sites/"), ("manage-rulebook", "/manage/rulebook/"),
                       ("manage-users", "/manage/users/"), ("surveys", "/surveys/")]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        shot(page, name)


def test_unit_admin_fills_survey_and_office_sees_status(live_server, browser, users, world, tmp_path):
    import io

    from PIL import Image

    from govwatch.web.models import Survey
    from govwatch.web.survey_schema import ALL_QUESTIONS

    office = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    login(office, live_server, "office")
    office.goto(f"{live_server.url}/surveys/")
    office.fill("input[name=period]", "2026Q4")
    office.fill("input[name=deadline]", "2026-12-10")
    office.click("text=下发给全部单位")
    office.wait_for_selector(".messages .success")

    unit = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    login(unit, live_server, "unit0107")
    survey = Survey.objects.get(unit__code="0107", period="2026Q4")
    unit.goto(f"{live_server.url}/surveys/{survey.pk}/")
    for name, value in [("office_address", "君山区政务中心三楼"), ("leader_name", "李明"),
                        ("leader_contact", "0730-8171121"), ("admin_name", "王芳"),
                        ("admin_contact", "13800000000"), ("admin_qq", "414948216"), ("signature_name", "张华")]:
        unit.fill(f"input[name={name}]", value)
    for key, _, _ in ALL_QUESTIONS:
        unit.check(f"input[name={key}][value=yes]")
    unit.check("input[name=upd_key_area][value=not_involved]")
    stamp = tmp_path / "公章.png"
    buf = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 0, 0)).save(buf, "PNG")
    stamp.write_bytes(buf.getvalue())
    unit.set_input_files("input[name=stamp]", str(stamp))
    shot(unit, "survey-form-unit0107")
    unit.click("text=提交调查表")
    unit.wait_for_selector(".messages .success")
    shot(unit, "survey-submitted-unit0107")

    office.goto(f"{live_server.url}/surveys/?period=2026Q4")
    assert "已提交 1 / 41" in office.content()
    shot(office, "surveys-status-office")
    survey.refresh_from_db()
    assert survey.answers["upd_key_area"] == "not_involved"


def test_reviewer_bulk_dismisses_with_select_all(live_server, page, users, world):
    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/?unit=0107")
    ids = [int(v) for v in page.locator("input[name=ids]").evaluate_all("els => els.map(e => e.value)")]
    assert ids
    page.check("input[data-check-all]")  # app.js ticks every row
    page.fill("input[name=reason]", "批量复核：引用原文件标题，不属错别字")
    page.click("button[value=dismiss]")
    page.wait_for_selector(".messages .success")
    assert f"已排除 {len(ids)} 条问题" in page.locator(".messages").inner_text()
    assert set(Finding.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"dismissed"}
