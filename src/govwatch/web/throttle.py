"""Login throttling glue for django-axes (settings.AXES_*): which address a request comes from,
and the page a locked-out login gets. The counting itself is django-axes's, in the database or
the shared cache, so every worker sees the same failures."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """REMOTE_ADDR, unless a trusted proxy header is configured: then the address that proxy wrote.

    A proxy appends the address it saw to X-Forwarded-For, so the right-most entry is the one our
    proxy wrote; entries to its left came from the client and may be forged."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "GOVWATCH_TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [e for e in raw.split(",") if e.strip()]
    # No (or a garbled) header means the request bypassed the proxy: count it by its own address.
    return (_valid_ip(entries[-1]) if entries else "") or remote


def lock_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_message() -> str:
    return (f"登录失败次数过多，该账号或本机地址已被暂时锁定 {lock_minutes()} 分钟，请稍后再试；"
            "如需立即解锁，请联系监测办管理员。")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock explained in Chinese (HTTP 429)."""
    form = AuthenticationForm(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(request, "registration/login.html",
                  {"form": form, "locked_message": lockout_message(), "username_value": username,
                   "next": request.POST.get("next") or request.GET.get("next", "")},
                  status=429)
