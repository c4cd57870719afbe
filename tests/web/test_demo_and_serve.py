"""Demo users, the `serve` command's server, and `govwatch demo --no-serve` wiring."""

from __future__ import annotations

import threading
import urllib.request

import pytest
from click.testing import CliRunner
from django.contrib.auth import authenticate

from govwatch.web import roles
from govwatch.web.services import create_demo_users
from tests.web.factories import seed_units

pytestmark = pytest.mark.django_db


def _login_request():
    # django-axes checks every authentication against the request it came with.
    from django.test import RequestFactory

    return RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.9")


def test_create_demo_users_every_role_and_unit(monkeypatch):
    monkeypatch.setenv("GOVWATCH_DEMO_PASSWORD", "演示口令-2026")
    seed_units()
    made = create_demo_users()
    assert made.password == "演示口令-2026"
    assert made.usernames[:3] == ["office", "reviewer", "leader"]
    assert len(made.usernames) == 3 + 41
    user = authenticate(_login_request(), username="unit0107", password="演示口令-2026")
    assert roles.roles_of(user) == {roles.UNIT_ADMIN}
    assert list(roles.visible_units(user).values_list("code", flat=True)) == ["0107"]
    office = authenticate(_login_request(), username="office", password="演示口令-2026")
    assert roles.is_office(office) and office.is_staff
    assert roles.roles_of(authenticate(_login_request(), username="leader", password="演示口令-2026")) == {roles.LEADER}


def test_create_demo_users_twice_is_idempotent():
    seed_units()
    create_demo_users("a-password-1")
    again = create_demo_users("a-password-2")
    assert len(again.usernames) == 44
    assert authenticate(_login_request(), username="reviewer", password="a-password-2") is not None
    from govwatch.web.models import UnitMembership

    assert UnitMembership.objects.count() == 41


def test_demo_command_has_no_serve_flag():
    from govwatch.monitoring.cli import demo

    result = CliRunner().invoke(demo, ["--help"])
    assert "--no-serve" in result.output


def test_finish_demo_without_serving_prints_users(monkeypatch):
    from rich.console import Console

    from govwatch.web.demo import finish_demo

    monkeypatch.setenv("GOVWATCH_DEMO_PASSWORD", "pw-demo-123")
    seed_units()
    console = Console(record=True, width=120)
    finish_demo(console, serve=False)
    text = console.export_text()
    for name in ("office", "reviewer", "leader", "unit0107", "unit0302", "pw-demo-123"):
        assert name in text


def test_serve_server_answers_login_and_static(transactional_db):
    from govwatch.web.cli import make_server

    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{base}/accounts/login/") as resp:
            assert resp.status == 200
            assert "登录" in resp.read().decode()
        with urllib.request.urlopen(f"{base}/static/web/app.css") as resp:
            assert resp.status == 200
    finally:
        server.shutdown()
        server.server_close()
