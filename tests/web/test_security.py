"""Login throttling, CSRF, CSP and session settings."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from govwatch.monitoring.models import Finding
from govwatch.web import throttle
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_succeeds_with_right_password(users):
    c = Client()
    r = login(c, "reviewer", PASSWORD)
    assert r.status_code == 302
    assert c.get("/").status_code == 200


def test_login_locked_after_five_failures_even_with_right_password(users):
    c = Client()
    for _ in range(throttle.MAX_FAILURES):
        assert login(c, "reviewer", "wrong").status_code == 200
    r = login(c, "reviewer", PASSWORD)
    assert r.status_code == 200
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_login_lock_is_per_username_and_ip(users):
    for _ in range(throttle.MAX_FAILURES):
        login(Client(), "reviewer", "wrong", ip="10.0.0.1")
    assert login(Client(), "reviewer", PASSWORD, ip="10.0.0.2").status_code == 302
    assert login(Client(), "leader", PASSWORD, ip="10.0.0.1").status_code == 302


def test_login_lock_expires(users, monkeypatch):
    for _ in range(throttle.MAX_FAILURES):
        login(Client(), "reviewer", "wrong")
    assert throttle.is_locked("reviewer", "10.0.0.1")
    # The lock lives in the cache with a 15-minute timeout; expiring it unlocks the pair.
    from django.core.cache import cache

    cache.delete(throttle._key("reviewer", "10.0.0.1"))
    assert login(Client(), "reviewer", PASSWORD).status_code == 302
    assert throttle.LOCK_SECONDS == 15 * 60


def test_login_success_resets_failures(users):
    for _ in range(throttle.MAX_FAILURES - 1):
        login(Client(), "reviewer", "wrong")
    assert login(Client(), "reviewer", PASSWORD).status_code == 302
    for _ in range(throttle.MAX_FAILURES - 1):
        login(Client(), "reviewer", "wrong")
    assert login(Client(), "reviewer", PASSWORD).status_code == 302


def test_post_without_csrf_token_refused(users, world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["reviewer"])
    f = Finding.objects.filter(state="confirmed").first()
    r = c.post("/review/act/", {"ids": [f.pk], "action": "dismiss", "reason": "x"})
    assert r.status_code == 403
    assert Finding.objects.get(pk=f.pk).state == "confirmed"


def test_pages_carry_csp_without_inline_scripts(client_for, world):
    r = client_for("leader").get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY"
    assert "<script>" not in r.content.decode()


def test_session_and_debug_settings():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.CSRF_COOKIE_HTTPONLY
    assert not settings.DEBUG


def test_debug_only_from_environment(monkeypatch):
    from govwatch.settings import envbool

    monkeypatch.delenv("GOVWATCH_DEBUG", raising=False)
    assert envbool("GOVWATCH_DEBUG", False) is False
    monkeypatch.setenv("GOVWATCH_DEBUG", "1")
    assert envbool("GOVWATCH_DEBUG", False) is True


def test_open_redirect_in_review_next_refused(client_for, world):
    f = Finding.objects.filter(state="confirmed").first()
    r = client_for("reviewer").post("/review/act/", {"ids": [f.pk], "action": "confirm", "next": "//evil.test/"})
    assert r["Location"] == "/review/"
