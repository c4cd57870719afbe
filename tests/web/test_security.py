"""Login throttling, CSRF, CSP and session settings."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from govwatch.monitoring.models import Finding
from django.utils import timezone
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_succeeds_with_right_password(users):
    c = Client()
    r = login(c, "reviewer", PASSWORD)
    assert r.status_code == 302
    assert c.get("/").status_code == 200


LIMIT = 5  # settings.AXES_FAILURE_LIMIT (GOVWATCH_LOGIN_FAILURE_LIMIT)


def test_login_limit_is_five_failures_for_fifteen_minutes():
    from datetime import timedelta

    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_login_locked_after_five_failures_even_with_right_password(users):
    c = Client()
    statuses = [login(c, "reviewer", "wrong").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]  # the failure that reaches the limit locks
    r = login(c, "reviewer", PASSWORD)
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_login_lock_counts_per_username_across_addresses(users):
    for i in range(LIMIT):
        login(Client(), "reviewer", "wrong", ip=f"10.0.1.{i + 1}")
    r = login(Client(), "reviewer", PASSWORD, ip="10.0.1.99")
    assert r.status_code == 429
    # Other users from those addresses are not locked by it.
    assert login(Client(), "leader", PASSWORD, ip="10.0.1.1").status_code == 302


def test_login_lock_counts_per_address_across_usernames(users):
    names = ["reviewer", "leader", "office", "unit0107", "unit0302"]
    assert len(names) == LIMIT
    for name in names:
        login(Client(), name, "wrong", ip="10.0.2.1")
    assert login(Client(), "leader", PASSWORD, ip="10.0.2.1").status_code == 429
    assert login(Client(), "leader", PASSWORD, ip="10.0.2.2").status_code == 302


def _proxied(username, password, client_ip, proxy="192.0.2.10"):
    return Client().post("/accounts/login/", {"username": username, "password": password},
                         REMOTE_ADDR=proxy, HTTP_X_REAL_IP=client_ip)


def test_login_address_from_trusted_proxy_header(users, settings):
    settings.GOVWATCH_TRUSTED_PROXY_HEADER = "X-Real-IP"
    for name in ["reviewer", "leader", "office", "unit0107", "unit0302"]:
        _proxied(name, "wrong", "203.0.113.5")
    assert _proxied("leader", PASSWORD, "203.0.113.5").status_code == 429
    # Behind the proxy every client has the proxy's REMOTE_ADDR; only the one client is locked.
    assert _proxied("leader", PASSWORD, "203.0.113.6").status_code == 302


def test_login_proxy_header_ignored_unless_configured(users):
    # Without the setting a client could pick a fresh X-Real-IP for every guess.
    for name in ["reviewer", "leader", "office", "unit0107", "unit0302"]:
        _proxied(name, "wrong", f"203.0.113.{len(name)}")
    assert _proxied("leader", PASSWORD, "198.51.100.1").status_code == 429


def test_login_lock_expires(users):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(LIMIT):
        login(Client(), "reviewer", "wrong")
    assert login(Client(), "reviewer", PASSWORD).status_code == 429
    # The failures are rows in the database (every worker sees them); once they are older than
    # the cool-off they no longer count.
    moved = AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert moved >= 1
    assert login(Client(), "reviewer", PASSWORD).status_code == 302


def test_login_success_resets_failures(users):
    for _ in range(LIMIT - 1):
        login(Client(), "reviewer", "wrong")
    assert login(Client(), "reviewer", PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        login(Client(), "reviewer", "wrong")
    assert login(Client(), "reviewer", PASSWORD).status_code == 302


def test_admin_login_form_is_not_served(users):
    r = Client().get("/admin/login/?next=/admin/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    # A password posted to the admin never authenticates there.
    c = Client()
    r = c.post("/admin/login/", {"username": "office", "password": PASSWORD})
    assert r.status_code == 302
    assert "_auth_user_id" not in c.session


def test_admin_login_goes_through_throttle(users):
    for _ in range(LIMIT):
        login(Client(), "office", "wrong")
    c = Client()
    assert login(c, "office", PASSWORD).status_code == 429
    assert c.get("/admin/").status_code == 302  # still anonymous


def test_admin_reachable_after_main_login(users):
    c = Client()
    assert login(c, "office", PASSWORD).status_code == 302
    assert c.get("/admin/").status_code == 200
    assert c.get("/admin/login/").status_code == 302


def test_admin_login_for_signed_in_non_staff_is_forbidden(users):
    c = Client()
    assert login(c, "leader", PASSWORD).status_code == 302
    assert c.get("/admin/login/?next=/admin/").status_code == 403


def test_password_reset_off_by_default(users):
    r = Client().post("/accounts/password_reset/", {"email": "x@example.com"})
    assert r.status_code == 404
    assert Client().get("/accounts/reset/MQ/set-password/").status_code == 404


def test_password_reset_needs_mail_and_office_switch(users, settings):
    settings.GOVWATCH_PASSWORD_RESET = True
    settings.GOVWATCH_MAIL_CONFIGURED = False
    assert Client().get("/accounts/password_reset/").status_code == 404
    settings.GOVWATCH_MAIL_CONFIGURED = True
    assert Client().get("/accounts/password_reset/").status_code == 200


@pytest.mark.parametrize("password", ["1", "12345678901", "password123", "reviewer2026x"])
def test_password_validators_refuse_weak_password(users, client_for, password):
    from django.contrib.auth import get_user_model

    before = get_user_model().objects.get(username="reviewer").password
    r = client_for("office").post("/manage/users/", {"user_id": users["reviewer"].pk, "username": "reviewer",
                                                     "role": "复核员", "password": password})
    assert r.status_code == 200
    assert "密码不符合要求" in r.content.decode()
    assert get_user_model().objects.get(username="reviewer").password == before


def test_password_validators_accept_strong_password(users, client_for):
    r = client_for("office").post("/manage/users/", {"user_id": users["reviewer"].pk, "username": "reviewer",
                                                     "role": "复核员", "password": "Qx7-lantern-harbor"})
    assert r.status_code == 302
    assert login(Client(), "reviewer", "Qx7-lantern-harbor").status_code == 302


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
