"""The audit log (Review rows) is append-only: no ORM or admin path updates or deletes a row.

Rows leave the table only through the database cascade when their finding goes (an operator
deleting a whole Run, or a same-date re-run dropping a machine finding): see docs/operations.md.
"""

from __future__ import annotations

import pytest
from django.contrib import admin

from govwatch.monitoring.review import review_finding
from govwatch.monitoring.admin import FindingAdmin, ReviewInline
from govwatch.monitoring.models import AuditLogImmutable, Finding, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    finding = Finding.objects.filter(state=Finding.State.CONFIRMED).first()
    review_finding(finding, to_state="dismissed", actor_label="测试复核员", reason="误报")
    return Review.objects.filter(finding=finding).latest("id")


def test_review_save_of_existing_row_refused(review):
    review.reason = "改写历史"
    with pytest.raises(AuditLogImmutable):
        review.save()
    with pytest.raises(AuditLogImmutable):
        review.save(update_fields=["reason"])
    assert Review.objects.get(pk=review.pk).reason == "误报"


def test_review_delete_refused(review):
    with pytest.raises(AuditLogImmutable):
        review.delete()
    assert Review.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize("action", [
    lambda qs: qs.update(reason="改写"),
    lambda qs: qs.delete(),
    lambda qs: qs.model.objects.bulk_update(list(qs), ["reason"]),
    lambda qs: qs.model.objects.filter(pk__in=qs).update(to_state="confirmed"),
])
def test_review_queryset_update_and_delete_refused(review, action):
    before = list(Review.objects.values_list("pk", "reason", "to_state"))
    with pytest.raises(AuditLogImmutable):
        action(Review.objects.filter(pk=review.pk))
    assert list(Review.objects.values_list("pk", "reason", "to_state")) == before


def test_review_insert_still_works(world):
    finding = Finding.objects.first()
    count = Review.objects.count()
    Review.objects.create(finding=finding, actor_label="系统", from_state="", to_state="confirmed", reason="新增")
    Review(finding=finding, actor_label="系统", from_state="", to_state="confirmed", reason="新增").save()
    assert Review.objects.count() == count + 2


def test_no_code_path_updates_or_deletes_reviews():
    """A source scan: the audit model is only ever created. (The models above make any other
    call fail at run time; this catches a new call site at review time.)"""
    import re
    from pathlib import Path

    import govwatch

    root = Path(govwatch.__file__).parent
    bad = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(Review\.objects[^\n]*|\.reviews\.[^\n]*)\.(update|delete|bulk_update)\(", text):
            bad.append(f"{path.relative_to(root)}: {m.group(0)}")
    assert bad == []


def test_admin_has_no_review_change_or_delete_path(client_for, review, rf, users):
    assert Review not in admin.site._registry  # no changelist, change or delete view of its own
    inline = ReviewInline(Finding, admin.site)
    request = rf.get("/")
    request.user = users["office"]  # a superuser: the widest admin rights there are
    assert inline.has_add_permission(request, review.finding) is False
    assert inline.has_change_permission(request, review.finding) is False
    assert inline.can_delete is False and inline.has_delete_permission(request, review.finding) is False
    assert FindingAdmin(Finding, admin.site).has_delete_permission(request, review.finding) is False

    office = client_for("office")
    assert office.get("/admin/monitoring/review/").status_code == 404
    page = office.get(f"/admin/monitoring/finding/{review.finding.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "误报" in html  # the history is shown...
    assert 'name="reviews-0-reason"' not in html and 'name="reviews-0-DELETE"' not in html  # ...read-only

    # A forged POST of the inline formset changes nothing.
    office.post(f"/admin/monitoring/finding/{review.finding.pk}/change/", {
        "reviews-TOTAL_FORMS": "1", "reviews-INITIAL_FORMS": "1", "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000", "reviews-0-id": str(review.pk), "reviews-0-finding": str(review.finding.pk),
        "reviews-0-reason": "改写", "reviews-0-DELETE": "on", "_save": "保存",
    })
    assert Review.objects.get(pk=review.pk).reason == "误报"
