"""Production setup: `govwatch serve` under gunicorn with WhiteNoise static files, and
`django-admin check --deploy` clean under the environment docs/operations.md documents."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def wait_until_serving(proc: subprocess.Popen, url: str) -> tuple[int, str]:
    """The first answer of a `govwatch serve` started in its own session: (status, body).

    The deadline is a safety net, not a timing assertion: migrations and collectstatic on a
    loaded machine can take minutes. A server that died or never answered is killed before its
    output is read (reading a live server's output to the end would wait forever)."""
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.status, resp.read().decode()
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                raise AssertionError(proc.communicate()[0].decode(errors="replace")) from None
            time.sleep(0.2)


PRODUCTION_ENV = {
    "GOVWATCH_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "GOVWATCH_ALLOWED_HOSTS": "govwatch.example.gov.cn",
    "GOVWATCH_SECURE_COOKIES": "1",
    "GOVWATCH_SSL_REDIRECT": "1",
    "GOVWATCH_HSTS_SECONDS": "31536000",
    "GOVWATCH_BEHIND_PROXY": "1",
    "GOVWATCH_CSRF_TRUSTED_ORIGINS": "https://govwatch.example.gov.cn",
}


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVWATCH_")}
    env.update(GOVWATCH_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="govwatch.settings", **extra)
    return env


def _check_deploy(env):
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_clean_with_documented_production_env(tmp_path):
    out = _check_deploy(_env(tmp_path, **PRODUCTION_ENV))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_flags_missing_https_settings(tmp_path):
    # The same check fails without them: the test above is not vacuous.
    out = _check_deploy(_env(tmp_path, GOVWATCH_SECRET_KEY=PRODUCTION_ENV["GOVWATCH_SECRET_KEY"]))
    assert out.returncode != 0
    assert "security.W012" in out.stdout + out.stderr  # SESSION_COOKIE_SECURE


def test_check_deploy_refuses_debug(tmp_path):
    out = _check_deploy(_env(tmp_path, GOVWATCH_DEBUG="1", **PRODUCTION_ENV))
    assert out.returncode != 0
    assert "security.W018" in out.stdout + out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_gunicorn_with_static_files_collected(tmp_path):
    pytest.importorskip("gunicorn")
    port = _free_port()
    env = _env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", "from govwatch.cli import main; main()", "serve", "--port",
                             str(port), "--workers", "1"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        login = wait_until_serving(proc, f"{base}/accounts/login/")
        req = urllib.request.Request(f"{base}/static/web/app.css", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            css = (resp.status, resp.headers.get("Content-Encoding"), resp.headers.get("Cache-Control"))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            output = proc.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output = proc.communicate()[0].decode(errors="replace")
    assert login[0] == 200 and "登录" in login[1]
    assert css[0] == 200 and css[1] == "gzip", css  # WhiteNoise serves the compressed copy
    assert (tmp_path / "data" / "static" / "web" / "app.css").exists()
    assert (tmp_path / "data" / "static" / "web" / "app.css.gz").exists()
    assert "gunicorn" in output.lower() or "Booting worker" in output
