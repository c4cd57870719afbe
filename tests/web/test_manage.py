"""管理: sites and runs, units, column overrides, rulebook, users (office only)."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.catalog.models import Column, Unit
from govwatch.monitoring.models import Run
from govwatch.web import roles, services
from govwatch.web.models import RunRequest

pytestmark = pytest.mark.django_db


def test_office_edits_unit_name(client_for, world):
    unit = world["units"]["0128"]
    r = client_for("office").post("/manage/units/", {"unit": unit.pk, "code": "0128", "name": "区应急管理局",
                                                     "active": "on"})
    assert r.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == "区应急管理局"


def test_office_adds_unit_code_keeps_leading_zero(client_for, world):
    client_for("office").post("/manage/units/", {"code": "0129", "name": "区医保局", "active": "on"})
    assert Unit.objects.get(code="0129").name == "区医保局"


def test_unit_code_must_be_digits(client_for, world):
    r = client_for("office").post("/manage/units/", {"code": "abc", "name": "x"})
    assert r.status_code == 200
    assert not Unit.objects.filter(code="abc").exists()


def test_column_override_pins_column(client_for, world):
    col = Column.objects.create(site=world["site"], url="http://www.junshan.test/czj/ydtj/", name="月度统计",
                                unit=world["units"]["0107"])
    r = client_for("office").post("/manage/columns/", {"column": col.pk, "unit": world["units"]["0107"].pk,
                                                       "category": "statistics", "key_area": "on",
                                                       "expected": "monthly"})
    assert r.status_code == 302
    col.refresh_from_db()
    assert (col.category, col.key_area, col.expected, col.pinned) == ("statistics", True, "monthly", True)


def test_rulebook_page_lists_every_rule(client_for, world):
    body = client_for("office").get("/manage/rulebook/").content.decode()
    for rule in ("stale.news", "consult.unanswered_15d", "error.false_info"):
        assert rule in body
    assert "错误率" in body


def test_office_creates_unit_admin_bound_to_units(client_for, world):
    r = client_for("office").post("/manage/users/", {
        "username": "czj-admin", "role": roles.UNIT_ADMIN, "units": [world["units"]["0107"].pk],
        "password": "a-long-password"})
    assert r.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="czj-admin")
    assert list(roles.visible_units(user).values_list("code", flat=True)) == ["0107"]


def test_unit_admin_without_unit_refused(client_for, world):
    r = client_for("office").post("/manage/users/", {"username": "nobody", "role": roles.UNIT_ADMIN,
                                                     "password": "a-long-password"})
    assert r.status_code == 200
    assert "至少要绑定一个单位" in r.content.decode()


def test_start_run_records_request_and_runs_in_background(client_for, world, monkeypatch, tmp_path):
    ran = []
    monkeypatch.setattr(services, "_run_in_thread", lambda request_id: ran.append(request_id))
    site = world["site"]
    site.config_path = str(tmp_path / "site.toml")
    site.save()
    r = client_for("office").post(f"/manage/sites/{site.pk}/run/", {"as_of": "2026-12-04"})
    assert r.status_code == 302
    req = RunRequest.objects.get()
    assert (req.mode, req.as_of, req.requested_by) == ("thread", dt.date(2026, 12, 4), "office")


def test_run_in_thread_records_outcome(world, users, monkeypatch, tmp_path):
    from govwatch.pipeline import run as pipeline_run

    site = world["site"]
    site.config_path = str(tmp_path / "site.toml")
    site.save()

    class Outcome:
        run = world["run"]

    monkeypatch.setattr(pipeline_run, "execute_run", lambda path, as_of, progress: Outcome)
    req = services.start_run(site, dt.date(2026, 12, 4), users["office"], background=False)
    req.refresh_from_db()
    assert (req.run, req.message) == (world["run"], "已完成")


def test_start_run_without_config_path_explains(client_for, world):
    r = client_for("office").post(f"/manage/sites/{world['site'].pk}/run/", {"as_of": "2026-12-04"}, follow=True)
    assert "没有配置文件路径" in r.content.decode()
    assert not RunRequest.objects.exists()
    assert Run.objects.count() == 2


def test_office_role_gets_django_admin_and_loses_it(client_for, world, django_user_model):
    user = django_user_model.objects.create_user("boss", password="x-long-password")
    services.set_user_role(user, roles.OFFICE)
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    services.set_user_role(user, roles.LEADER)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
