"""Fixture users with stated roles, and a world of monitoring data.

- office: 监测办管理员
- reviewer: 复核员
- leader: 领导 (read-only)
- unit0107: 单位管理员 of 0107 (区财政局)
- unit0302: 单位管理员 of 0302 (公安分局), who must never see 0107's data
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from govwatch.web import roles
from govwatch.web.services import set_user_role
from tests.web.factories import make_world

PASSWORD = "测试口令-Gw2026!"


@pytest.fixture(autouse=True)
def _fast_and_clean(settings):
    # PBKDF2 at Django's production cost would dominate every test that makes users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, tmp_path, settings):
    settings.RUNS_DIR = tmp_path / "runs"
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_world(tmp_path / "runs" / "run-latest")


def _user(django_user_model, username, role, units=()):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    set_user_role(user, role, units)
    return user


@pytest.fixture
def users(db, django_user_model, world):
    roles.ensure_groups()
    return {
        "office": _user(django_user_model, "office", roles.OFFICE),
        "reviewer": _user(django_user_model, "reviewer", roles.REVIEWER),
        "leader": _user(django_user_model, "leader", roles.LEADER),
        "unit0107": _user(django_user_model, "unit0107", roles.UNIT_ADMIN, ["0107"]),
        "unit0302": _user(django_user_model, "unit0302", roles.UNIT_ADMIN, ["0302"]),
    }


@pytest.fixture
def client_for(client, users):
    """client_for('reviewer') -> a test client logged in as that fixture user (None: anonymous)."""
    from django.test import Client

    def make(name):
        c = Client()
        if name:
            c.force_login(users[name])
        return c

    return make
