"""Issue #16 item 11: owner-only data files, ids that are not numbers, uploads stored under our
names with their real type, replaced stamps dropped after the audit log records them, a pixel
cap on stamps."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govwatch.monitoring.models import Finding
from govwatch.web import services
from govwatch.web.models import EvidenceUpload, Survey
from tests.web.test_rectify import _png, _survey_post

pytestmark = pytest.mark.django_db

MODES = """
import json, sys
from pathlib import Path
from govwatch.monitoring.bootstrap import setup_django
setup_django()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from govwatch.crawl.warc import WarcStore
run_dir = Path(settings.RUNS_DIR) / "run-1"
pointer = WarcStore(run_dir).write_response("http://a.gov.cn/", 200, "OK", [("Content-Type", "text/html")], b"<p>x</p>")
upload = default_storage.save("evidence/2026/12/x.png", ContentFile(b"png"))
db = Path(settings.DATABASES["default"]["NAME"])
paths = {"data": settings.DATA_DIR, "db": db, "runs": settings.RUNS_DIR, "run": run_dir,
         "warc": next(run_dir.rglob("*.warc*")), "media": settings.MEDIA_ROOT,
         "upload_dir": Path(default_storage.path(upload)).parent, "upload": Path(default_storage.path(upload))}
print(json.dumps({k: oct(p.stat().st_mode & 0o777) for k, p in paths.items()}))
"""


def _modes(tmp_path, **env_extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVWATCH_")}
    env.update(GOVWATCH_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="govwatch.settings", **env_extra)
    out = subprocess.run([sys.executable, "-c", MODES], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_data_files_owner_only(tmp_path):
    # The database was made by an older version (umask 022): opened by this one, it is tightened.
    # Everything else (data folder, runs, WARC, media, upload) is new, and made owner-only.
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / "govwatch.sqlite3"
    old.write_bytes(b"")  # an empty file is an empty SQLite database
    old.chmod(0o644)
    modes = _modes(tmp_path, GOVWATCH_DATABASE_URL=f"sqlite:///{old}")
    assert len(modes) == 8
    for name in ("db", "warc", "upload"):
        assert modes[name] == "0o600", (name, modes)
    for name in ("data", "runs", "run", "media", "upload_dir"):
        assert modes[name] == "0o700", (name, modes)


@pytest.mark.parametrize("path", ["/manage/users/?edit=abc", "/manage/units/?edit=abc", "/manage/users/?edit=1e3",
                                  "/manage/units/?edit=99999999999999999999999", "/manage/users/?edit=%C2%B2"])
def test_non_numeric_id_in_query_string_is_404(client_for, path):
    assert client_for("office").get(path).status_code == 404


@pytest.mark.parametrize("path,field", [("/manage/sites/", "site"), ("/manage/columns/", "column"),
                                        ("/manage/users/", "user_id"), ("/manage/units/", "unit")])
@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999"])
def test_non_numeric_id_in_post_is_404(client_for, path, field, value):
    assert client_for("office").post(path, {field: value, "username": "x", "code": "0107"}).status_code == 404


def test_review_act_ignores_malformed_ids(client_for, world):
    f = Finding.objects.filter(state="confirmed").first()
    r = client_for("reviewer").post("/review/act/", {"ids": ["abc", "²", "99999999999999999999999", f.pk],
                                                     "action": "dismiss", "reason": "测试"})
    assert r.status_code == 302
    assert Finding.objects.get(pk=f.pk).state == "dismissed"


def test_upload_stored_under_our_name_with_real_type(client_for, world):
    pdf = SimpleUploadedFile("e.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="text/html")
    r = client_for("reviewer").post("/review/manual/", {
        "unit": world["units"]["0302"].pk, "rule": "error.other", "url": "http://www.junshan.test/gaj/t1.html",
        "message": "其他错误", "evidence": pdf})
    assert r.status_code == 302
    upload = EvidenceUpload.objects.get()
    assert upload.content_type == "application/pdf"
    assert upload.original_name == "e.html"
    assert upload.file.name.endswith(".pdf")
    assert "e.html" not in upload.file.name


@pytest.fixture
def survey(world):
    services.open_survey_period("2026Q4", dt.date(2026, 12, 10))
    return Survey.objects.get(unit__code="0107", period="2026Q4")


def test_replaced_stamp_dropped_after_audit_log_records_it(client_for, survey, django_capture_on_commit_callbacks):
    from django.contrib.admin.models import LogEntry

    client = client_for("unit0107")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/surveys/{survey.pk}/", _survey_post(SimpleUploadedFile("a.png", _png((40, 40))))).status_code == 302
    survey.refresh_from_db()
    first = survey.stamp.name
    assert survey.stamp.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/surveys/{survey.pk}/", _survey_post(SimpleUploadedFile("b.png", _png((50, 50))))).status_code == 302
    survey.refresh_from_db()
    assert survey.stamp.name != first
    assert survey.stamp.storage.exists(survey.stamp.name)
    assert not survey.stamp.storage.exists(first)
    entries = list(LogEntry.objects.filter(object_id=str(survey.pk)))
    assert len(entries) == 1
    assert first in entries[0].change_message and "SHA-256" in entries[0].change_message


def test_stamp_over_pixel_cap_refused(client_for, survey, settings):
    from PIL import Image

    settings.GOVWATCH_MAX_IMAGE_PIXELS = 1_000_000
    buf = io.BytesIO()
    Image.new("1", (1200, 1000)).save(buf, "PNG")  # 1.2 megapixels in a few hundred bytes
    assert len(buf.getvalue()) < 10_000
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", _survey_post(SimpleUploadedFile("big.png", buf.getvalue())))
    assert r.status_code == 200
    assert "图片过大" in r.content.decode()
    survey.refresh_from_db()
    assert survey.status == "open"


def test_pixel_cap_default_is_24_megapixels():
    from django.conf import settings

    assert settings.GOVWATCH_MAX_IMAGE_PIXELS == 24_000_000
