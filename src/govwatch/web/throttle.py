"""Login throttling with the cache framework: after MAX_FAILURES wrong passwords for one
username from one address, that pair is locked for LOCK_SECONDS, and the password is not
even checked while it is locked (so guessing cannot continue)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()
    return f"govwatch:login-fail:{digest}"


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR", "")


def is_locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= MAX_FAILURES


def record_failure(username: str, ip: str) -> int:
    key = _key(username, ip)
    if cache.add(key, 1, LOCK_SECONDS):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCK_SECONDS)
        count = 1
    # Each failure restarts the lock window.
    cache.touch(key, LOCK_SECONDS)
    return count


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
