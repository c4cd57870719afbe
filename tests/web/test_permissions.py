"""Every view against every role: who may open what, and that nothing leaks to a unit admin."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.monitoring.models import Finding
from govwatch.web import services

pytestmark = pytest.mark.django_db

ROLES = ["office", "reviewer", "leader", "unit0107", "unit0302"]
STAFF = {"office", "reviewer", "leader"}


@pytest.fixture
def targets(world, users):
    services.open_survey_period("2026Q4", dt.date(2026, 12, 10))
    f0107 = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    f0302 = Finding.objects.filter(unit__code="0302").first()
    from govwatch.web.models import Survey

    return {
        "f0107": f0107.pk, "f0302": f0302.pk,
        "s0107": Survey.objects.get(unit__code="0107").pk, "s0302": Survey.objects.get(unit__code="0302").pk,
    }


def expect(allowed: set[str], denied: int):
    return {role: (200 if role in allowed else denied) for role in ROLES}


PAGES = [
    ("/", expect(set(ROLES), 403)),
    ("/units/0107/", expect(STAFF | {"unit0107"}, 404)),
    ("/units/0302/", expect(STAFF | {"unit0302"}, 404)),
    ("/findings/{f0107}/", expect(STAFF | {"unit0107"}, 404)),
    ("/findings/{f0302}/", expect(STAFF | {"unit0302"}, 404)),
    ("/evidence/{f0107}/", expect(STAFF | {"unit0107"}, 404)),
    ("/review/", expect({"office", "reviewer"}, 403)),
    ("/review/?tab=dismissed", expect({"office", "reviewer"}, 403)),
    ("/review/manual/", expect({"office", "reviewer"}, 403)),
    ("/surveys/", expect(set(ROLES), 403)),
    ("/surveys/{s0107}/", expect(STAFF | {"unit0107"}, 404)),
    ("/surveys/{s0302}/", expect(STAFF | {"unit0302"}, 404)),
    ("/manage/sites/", expect({"office"}, 403)),
    ("/manage/units/", expect({"office"}, 403)),
    ("/manage/columns/", expect({"office"}, 403)),
    ("/manage/rulebook/", expect({"office"}, 403)),
    ("/manage/users/", expect({"office"}, 403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path,expected", PAGES, ids=[p for p, _ in PAGES])
def test_view_status_for_role(client_for, targets, role, path, expected):
    response = client_for(role).get(path.format(**targets))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("path", [p for p, _ in PAGES])
def test_view_anonymous_redirects_to_login(client_for, targets, path):
    response = client_for(None).get(path.format(**targets))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_denied_pages_leak_nothing(client_for, targets):
    f0107 = Finding.objects.get(pk=targets["f0107"])
    c = client_for("unit0302")
    for path in (f"/findings/{f0107.pk}/", f"/evidence/{f0107.pk}/", "/units/0107/", f"/surveys/{targets['s0107']}/"):
        body = c.get(path).content.decode()
        assert f0107.message not in body
        assert "区财政局" not in body
        assert "按装" not in body


def test_overview_unit_admin_sees_only_own_unit(client_for, world):
    body = client_for("unit0302").get("/").content.decode()
    assert "公安分局" in body
    for name in ("区财政局", "区政府办", "国土分局"):
        assert name not in body
    assert "国家指标预警" not in body


def test_overview_staff_sees_every_unit(client_for, world):
    body = client_for("leader").get("/").content.decode()
    for name in ("区财政局", "公安分局", "广兴洲镇"):
        assert name in body
    assert "国家指标预警" in body


def test_surveys_list_unit_admin_sees_only_own_form(client_for, targets):
    body = client_for("unit0107").get("/surveys/").content.decode()
    assert "区财政局" in body
    assert "公安分局" not in body


def test_post_actions_respect_roles(client_for, targets):
    f0107 = targets["f0107"]
    # A leader is read-only; a unit admin does not review.
    for role in ("leader", "unit0107", "unit0302"):
        r = client_for(role).post("/review/act/", {"ids": [f0107], "action": "dismiss", "reason": "x"})
        assert r.status_code == 403
    assert Finding.objects.get(pk=f0107).state == "pending"
    # Only the unit's own admin answers; another unit's admin gets 404, staff 403.
    assert client_for("unit0302").post(f"/findings/{f0107}/answer/", {"kind": "fixed", "note": "x"}).status_code == 404
    assert client_for("reviewer").post(f"/findings/{f0107}/answer/", {"kind": "fixed", "note": "x"}).status_code == 403
    assert client_for("leader").post(f"/findings/{f0107}/recheck/").status_code == 403
    assert client_for("unit0302").post(f"/findings/{f0107}/recheck/").status_code == 404
    # Another unit's form cannot be submitted; the office only reads forms.
    assert client_for("unit0302").post(f"/surveys/{targets['s0107']}/", {}).status_code == 404
    assert client_for("office").post(f"/surveys/{targets['s0107']}/", {}).status_code == 403
    # Issuing forms and starting runs is the office's.
    assert client_for("reviewer").post("/surveys/", {"period": "X", "deadline": "2026-12-01"}).status_code == 403
    site = world_site_pk()
    assert client_for("reviewer").post(f"/manage/sites/{site}/run/", {"as_of": "2026-11-27"}).status_code == 403


def world_site_pk():
    from govwatch.catalog.models import Site

    return Site.objects.get().pk


def test_unit_page_filter_cannot_widen_scope(client_for, targets):
    """Filters narrow the unit's own findings; a unit admin cannot page into another unit."""
    body = client_for("unit0107").get("/units/0107/?rule=error.typo&state=pending").content.decode()
    assert "按装" in body
    assert client_for("unit0107").get("/units/0302/?rule=error.typo").status_code == 404


def test_overview_unit_admin_sees_no_site_wide_counts(client_for, world):
    body = client_for("unit0302").get("/").content.decode()
    assert "待复核" not in body
    assert "本人负责的单位" in body


def test_unit_admin_of_two_units_sees_both_and_no_more(client_for, world, django_user_model):
    from govwatch.web import roles as r
    from govwatch.web.services import set_user_role

    user = django_user_model.objects.create_user("two-units", password="x-long-password")
    set_user_role(user, r.UNIT_ADMIN, ["0107", "0302"])
    from django.test import Client

    c = Client()
    c.force_login(user)
    rows = c.get("/").context["ov"].rows
    assert sorted(row.unit.code for row in rows) == ["0107", "0302"]
    assert c.get("/units/0107/").status_code == 200
    assert c.get("/units/0302/").status_code == 200
    assert c.get("/units/0101/").status_code == 404
