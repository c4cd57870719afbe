"""Login throttling against a real `govwatch serve` with 2 gunicorn workers on 127.0.0.1.

Failures must be counted where both workers see them (django-axes in the database), per username
and per client address, the address taken from the configured trusted-proxy header."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.security.test_deploy import _env, _free_port, wait_until_serving

PASSWORD = "Throttle-Test-2026!"
LIMIT = 5
MAKE_USERS = f"""
from govwatch.monitoring.bootstrap import setup_django
setup_django()
from django.contrib.auth import get_user_model
for name in ("office", "reviewer"):
    get_user_model().objects.create_user(username=name, password={PASSWORD!r})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("gunicorn")
    tmp = tmp_path_factory.mktemp("throttle")
    env = _env(tmp, GOVWATCH_TRUSTED_PROXY_HEADER="X-Real-IP")
    subprocess.run([sys.executable, "-c", MAKE_USERS], env=env, check=True, timeout=180)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from govwatch.cli import main; main()", "serve", "--port",
                             str(port), "--workers", "2", "--no-collectstatic"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, f"{base}/accounts/login/")
    yield base, proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def attempt(base: str, username: str, password: str, client_ip: str) -> tuple[int, str]:
    """One login from a fresh browser (new cookies, new connection: either worker may answer)."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base}/accounts/login/", timeout=30) as resp:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', resp.read().decode()).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    req = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"X-Real-IP": client_ip})
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_login_locks_username_after_five_failures_across_workers(server):
    base, _ = server
    # Five different addresses: only the per-username count can lock.
    statuses = [attempt(base, "office", "wrong", f"203.0.113.{i + 1}")[0] for i in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    status, page = attempt(base, "office", PASSWORD, "203.0.113.50")
    assert status == 429
    assert "登录失败次数过多" in page


def test_serve_login_locks_address_across_usernames(server):
    base, _ = server
    for i in range(LIMIT):
        attempt(base, f"nobody{i}", "wrong", "198.51.100.7")
    status, page = attempt(base, "reviewer", PASSWORD, "198.51.100.7")
    assert status == 429
    assert "登录失败次数过多" in page
    # Same proxy, another client address: not locked (the header, not REMOTE_ADDR, is the client).
    assert attempt(base, "reviewer", PASSWORD, "198.51.100.8")[0] == 302
