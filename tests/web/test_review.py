"""复核: confirm, dismiss (reason required), restore; in bulk; manual findings; all audited and scored at once."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govwatch.monitoring.models import Finding, Review, Score

pytestmark = pytest.mark.django_db


def score_of(world, code="0107"):
    return Score.objects.get(run=world["run"], unit__code=code).score


def confirmed_0107(world, n=2):
    return list(Finding.objects.filter(run=world["run"], unit__code="0107", state="confirmed", points__lt=0)[:n])


def test_dismiss_without_reason_changes_nothing(client_for, world):
    f = confirmed_0107(world, 1)[0]
    before = score_of(world)
    r = client_for("reviewer").post("/review/act/", {"ids": [f.pk], "action": "dismiss", "reason": " "}, follow=True)
    assert "排除问题必须填写原因" in r.content.decode()
    assert Finding.objects.get(pk=f.pk).state == "confirmed"
    assert score_of(world) == before
    assert not Review.objects.filter(finding=f).exists()


def test_bulk_dismiss_audits_each_and_recomputes(client_for, world, users):
    fs = confirmed_0107(world, 2)
    before = score_of(world)
    r = client_for("reviewer").post("/review/act/", {"ids": [f.pk for f in fs], "action": "dismiss",
                                                     "reason": "栏目已按要求调整，误报"})
    assert r.status_code == 302
    assert set(Finding.objects.filter(pk__in=[f.pk for f in fs]).values_list("state", flat=True)) == {"dismissed"}
    reviews = Review.objects.filter(finding__in=fs)
    assert reviews.count() == 2
    assert {(rv.actor_label, rv.from_state, rv.to_state) for rv in reviews} == {("reviewer", "confirmed", "dismissed")}
    assert score_of(world) == before - sum(f.points for f in fs)


def test_restore_undoes_dismissal(client_for, world):
    f = confirmed_0107(world, 1)[0]
    before = score_of(world)
    c = client_for("reviewer")
    c.post("/review/act/", {"ids": [f.pk], "action": "dismiss", "reason": "误报"})
    c.post("/review/act/", {"ids": [f.pk], "action": "restore"})
    assert Finding.objects.get(pk=f.pk).state == "confirmed"
    assert score_of(world) == before
    assert list(Review.objects.filter(finding=f).values_list("to_state", flat=True)) == ["dismissed", "confirmed"]


def test_confirm_pending_typo_deducts(client_for, world):
    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    before = score_of(world)
    client_for("office").post(f"/findings/{f.pk}/review/", {"finding": f.pk, "action": "confirm",
                                                             "next": f"/findings/{f.pk}/"})
    assert Finding.objects.get(pk=f.pk).state == "confirmed"
    assert score_of(world) == before - 1


def test_queue_lists_pending_and_appeals(client_for, world, users):
    from govwatch.web import services

    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    c = client_for("reviewer")
    pending = c.get("/review/").context["page"]
    assert all(x.state == "pending" for x in pending)
    assert f.pk in {x.pk for x in c.get("/review/?unit=0107&rule=error.typo").context["page"]}
    services.answer_finding(f, kind="appeal", note="“按装”为引用原文件标题，不应扣分", user=users["unit0107"])
    appeals = c.get("/review/?tab=appeal").context["page"]
    assert [x.pk for x in appeals] == [f.pk]


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return buf.getvalue()


def test_manual_finding_is_confirmed_audited_and_scored(client_for, world):
    before = score_of(world, "0302")
    upload = SimpleUploadedFile("截图.png", _png(), content_type="image/png")
    r = client_for("reviewer").post("/review/manual/", {
        "unit": world["units"]["0302"].pk, "rule": "error.false_info", "url": "http://www.junshan.test/gaj/t1.html",
        "message": "公安分局通知中的办公电话与实际不符", "evidence": upload})
    assert r.status_code == 302
    f = Finding.objects.get(manual=True)
    assert (f.rule, f.points, f.state, f.unit.code) == ("error.false_info", -10, "confirmed", "0302")
    assert Review.objects.get(finding=f).reason == "人工录入"
    assert f.uploads.get().content_type == "image/png"
    assert score_of(world, "0302") == before - 10


def test_manual_finding_rejects_fake_image(client_for, world):
    upload = SimpleUploadedFile("截图.png", b"<script>alert(1)</script>", content_type="image/png")
    r = client_for("reviewer").post("/review/manual/", {
        "unit": world["units"]["0302"].pk, "rule": "error.other", "url": "http://www.junshan.test/gaj/t1.html",
        "message": "其他错误", "evidence": upload})
    assert r.status_code == 200
    assert "文件内容不是" in r.content.decode()
    assert not Finding.objects.filter(manual=True).exists()


def test_manual_finding_rule_limited_to_manual_rules(client_for, world):
    r = client_for("reviewer").post("/review/manual/", {
        "unit": world["units"]["0302"].pk, "rule": "stale.news", "url": "http://www.junshan.test/gaj/",
        "message": "x"})
    assert r.status_code == 200
    assert not Finding.objects.filter(manual=True).exists()


def test_restore_leaves_undismissed_findings_alone(client_for, world):
    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    client_for("reviewer").post("/review/act/", {"ids": [f.pk], "action": "confirm"})
    client_for("reviewer").post("/review/act/", {"ids": [f.pk], "action": "restore"})
    assert Finding.objects.get(pk=f.pk).state == "confirmed"
    assert Review.objects.filter(finding=f).count() == 1


def test_review_queue_lists_surer_typo_findings_first(client_for, world):
    from govwatch.catalog.models import Unit

    run = world["run"]
    for code, wrong, confidence in (("0101", "甲乙", 0.7), ("0302", "丙丁", 0.95)):
        Finding.objects.create(run=run, unit=Unit.objects.get(code=code), rule="error.typo", points=-1,
                               needs_review=True, state="pending", url=f"http://s/{code}/t.html", column_url="",
                               message=f"错别字：“{wrong}”应为“{wrong[::-1]}”", key=f"typo-order-{code}",
                               evidence={"wrong": wrong, "right": wrong[::-1], "confidence": confidence})
    body = client_for("reviewer").get("/review/?rule=error.typo").content.decode()
    assert body.count("“甲乙”") == 1 and body.count("“丙丁”") == 1
    assert body.index("“丙丁”") < body.index("“甲乙”")
