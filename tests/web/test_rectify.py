"""整改: answers, re-checks under the SSRF rule, and the 附件4 form with its stamp upload."""

from __future__ import annotations

import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govwatch.monitoring.models import Finding
from govwatch.web import services
from govwatch.web.models import Recheck, Rectification, Survey
from govwatch.web.recheck import FetchResult
from govwatch.web.survey_schema import ALL_QUESTIONS, COLUMN_QUESTIONS, UPDATE_QUESTIONS

pytestmark = pytest.mark.django_db


def typo_finding():
    return Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")


def test_unit_admin_answers_fixed_and_it_shows_in_history(client_for, world):
    f = typo_finding()
    c = client_for("unit0107")
    r = c.post(f"/findings/{f.pk}/answer/", {"kind": "fixed", "note": "已将“按装”改为“安装”并重新发布"})
    assert r.status_code == 302
    answer = Rectification.objects.get(finding=f)
    assert (answer.kind, answer.actor_label) == ("fixed", "unit0107")
    assert "已将“按装”改为“安装”并重新发布" in c.get(f"/findings/{f.pk}/").content.decode()


def test_answer_without_note_is_refused(client_for, world):
    f = typo_finding()
    client_for("unit0107").post(f"/findings/{f.pk}/answer/", {"kind": "appeal", "note": ""})
    assert not Rectification.objects.exists()


def test_recheck_broken_link_resolved_shows_before_and_after(world, users):
    f = Finding.objects.get(unit__code="0107", rule="error.broken_link", evidence__has_key="warc")
    check = services.recheck_finding(f, users["unit0107"], fetch=lambda url, guard: FetchResult(200, b"ok"))
    assert check.url == f.evidence["target"]
    assert check.outcome == "resolved"
    assert "监测时" in check.before and "HTTP 404" in check.before
    assert check.after == "复查时：HTTP 200，链接已可访问"


def test_recheck_typo_still_present(world, users):
    f = typo_finding()
    page = "<p>请组织人员按装消防设施</p>".encode()
    check = services.recheck_finding(f, users["reviewer"],
                                     fetch=lambda url, guard: FetchResult(200, page, "text/html; charset=utf-8"))
    assert check.outcome == "persists"


def test_recheck_refuses_private_address(world, users):
    f = typo_finding()
    f.url = "http://127.0.0.1:9/secret"
    f.save()
    check = services.recheck_finding(f, users["unit0107"])
    assert check.outcome == "blocked"
    assert check.http_status is None


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "<p>请组织人员安装消防设施</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_recheck_fetches_when_site_allows_private(client_for, world):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site = world["site"]
        # The portal's own origin, port included: only that is exempt from the private-address rule.
        site.config_text = ('[site]\nname = "测试"\n'
                            f'home = "http://127.0.0.1:{server.server_port}/"\nallow_private_addresses = true\n')
        site.save()
        f = typo_finding()
        f.url = f"http://127.0.0.1:{server.server_port}/t.html"
        f.save()
        r = client_for("unit0107").post(f"/findings/{f.pk}/recheck/")
        assert r.status_code == 302
        check = Recheck.objects.get(finding=f)
        assert (check.outcome, check.http_status) == ("resolved", 200)
    finally:
        server.shutdown()


# --- 附件4 ------------------------------------------------------------------

def test_survey_schema_matches_attachment_4():
    assert [q for _, q, _ in COLUMN_QUESTIONS] == [
        "是否开设了机构概况栏目", "是否开设了工作动态栏目", "是否开设了政策文件栏目", "是否开设了通知公告栏目",
        "是否开设了规划计划栏目", "是否开设了人事信息栏目", "是否开设了资金信息栏目", "是否开设了统计数据栏目",
        "是否开设了重点领域公开栏目", "是否开设了信息公开指南栏目", "是否开设了信息公开年报栏目"]
    assert [q for _, q, _ in UPDATE_QUESTIONS] == [
        "动态类栏目每两周内是否予以更新？", "通知公告类每半年内是否予以更新？", "政策文件类每半年内是否予以更新？",
        "人事信息类每一年内是否予以更新？", "规划计划类每一年内是否予以更新？", "其它应更新栏目是否予以更新？",
        "重点领域信息是否按责任分解公开？", "政民互动类栏目是否7日内予以回复？"]
    boxes = {key: [label for _, label in choices] for key, _, choices in ALL_QUESTIONS}
    assert boxes["col_key_area"] == ["是", "否", "非责任单位"]
    assert boxes["upd_key_area"] == ["是", "否", "未涉及"]
    assert boxes["col_news"] == ["是", "否"]


def _png(size=(40, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return buf.getvalue()


def _survey_post(stamp):
    data = {"office_address": "君山区政务中心三楼", "leader_name": "李明", "leader_contact": "0730-8171121",
            "admin_name": "王芳", "admin_contact": "13800000000", "admin_qq": "414948216",
            "signature_name": "张华", "stamp": stamp}
    data.update({key: choices[0][0] for key, _, choices in ALL_QUESTIONS})
    return data


@pytest.fixture
def survey(world):
    services.open_survey_period("2026Q4", dt.date(2026, 12, 10))
    return Survey.objects.get(unit__code="0107", period="2026Q4")


def test_office_issues_form_to_every_unit(client_for, world):
    r = client_for("office").post("/surveys/", {"period": "2027Q1", "deadline": "2027-01-15"})
    assert r.status_code == 302
    assert Survey.objects.filter(period="2027Q1").count() == 41


def test_unit_admin_submits_survey_with_stamp(client_for, survey):
    stamp = SimpleUploadedFile("公章.png", _png(), content_type="image/png")
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", _survey_post(stamp))
    assert r.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "submitted"
    assert survey.answers["col_key_area"] == "yes"
    assert survey.stamp_content_type == "image/png"
    assert (survey.signature_name, survey.submitted_by) == ("张华", "unit0107")
    listing = client_for("office").get("/surveys/?period=2026Q4")
    assert (listing.context["submitted"], listing.context["total"]) == (1, 41)
    stamp_response = client_for("leader").get(f"/surveys/{survey.pk}/stamp/")
    assert stamp_response.status_code == 200
    assert client_for("unit0302").get(f"/surveys/{survey.pk}/stamp/").status_code == 404


def test_survey_stamp_checked_by_content_not_extension(client_for, survey):
    fake = SimpleUploadedFile("公章.png", b"GIF89a" + b"\0" * 100, content_type="image/png")
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", _survey_post(fake))
    assert r.status_code == 200
    assert "文件内容不是 PNG、JPEG 格式" in r.content.decode()
    survey.refresh_from_db()
    assert survey.status == "open"


def test_survey_stamp_over_2mb_refused(client_for, survey):
    big = _png() + b"\0" * (2 * 1024 * 1024)
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", _survey_post(SimpleUploadedFile("公章.png", big)))
    assert "文件过大" in r.content.decode()
    survey.refresh_from_db()
    assert survey.status == "open"


def test_survey_jpeg_stamp_accepted(client_for, survey):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(buf, "JPEG")
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/",
                                    _survey_post(SimpleUploadedFile("stamp.bin", buf.getvalue())))
    assert r.status_code == 302
    survey.refresh_from_db()
    assert survey.stamp_content_type == "image/jpeg"


def test_survey_missing_answer_refused(client_for, survey):
    data = _survey_post(SimpleUploadedFile("公章.png", _png()))
    del data["upd_consult"]
    r = client_for("unit0107").post(f"/surveys/{survey.pk}/", data)
    assert r.status_code == 200
    survey.refresh_from_db()
    assert survey.status == "open"


def test_survey_late_after_deadline(survey):
    survey.deadline = dt.date(2000, 1, 1)
    assert survey.late


def test_survey_exports_as_word_with_answers_signature_and_stamp(client_for, survey):
    from docx import Document

    stamp = SimpleUploadedFile("公章.png", _png(), content_type="image/png")
    client_for("unit0107").post(f"/surveys/{survey.pk}/", _survey_post(stamp))
    r = client_for("office").get(f"/surveys/{survey.pk}/export.docx")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    doc = Document(io.BytesIO(r.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert cells.count("栏目建设情况") == len(COLUMN_QUESTIONS)  # one merged label cell spans its questions
    assert cells.count("信息更新情况") == len(UPDATE_QUESTIONS)
    assert "☑是　□否" in cells
    assert [c for c in cells if c.startswith("签字：张华")] != []
    assert len(doc.inline_shapes) == 1  # the stamp
    assert client_for("unit0302").get(f"/surveys/{survey.pk}/export.docx").status_code == 404
    assert client_for("office").get(f"/surveys/{survey.pk}/export.txt").status_code == 404


def test_survey_pdf_export_without_libreoffice_says_so_in_one_line(client_for, survey, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    r = client_for("office").get(f"/surveys/{survey.pk}/export.pdf", follow=True)
    assert [str(m) for m in r.context["messages"]] == ["本机未安装 LibreOffice，无法导出 PDF；请导出 Word 版后另存为 PDF"]


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) not installed")
def test_survey_exports_as_pdf_through_libreoffice(client_for, survey):
    r = client_for("office").get(f"/surveys/{survey.pk}/export.pdf")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
