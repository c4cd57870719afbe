"""The web app's own records: who administers which unit, rectification answers,
re-checks, manual-finding uploads and the 附件4 网站整改调查表.

Monitoring data (findings, reviews, scores) stays in `govwatch.monitoring`;
these models only point at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govwatch.catalog.models import Unit
from govwatch.monitoring.models import Finding
from govwatch.web.survey_schema import ALL_QUESTIONS


class UnitMembership(models.Model):
    """Binds a 单位管理员 to one unit; a user may hold several memberships."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships",
                             verbose_name="用户")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="单位")

    class Meta:
        verbose_name = "单位管理员绑定"
        verbose_name_plural = "单位管理员绑定"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class Rectification(models.Model):
    """A unit admin's answer to a finding: fixed (with a note) or an appeal (with a reason)."""

    class Kind(models.TextChoices):
        FIXED = "fixed", "已整改"
        APPEAL = "appeal", "申诉"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="rectifications", verbose_name="问题")
    kind = models.CharField("答复类型", max_length=10, choices=Kind.choices)
    note = models.TextField("说明")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name="答复人")
    actor_label = models.CharField("答复人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改答复"
        verbose_name_plural = "整改答复"
        ordering = ["at", "id"]


class Recheck(models.Model):
    """One re-fetch of a finding's page (or broken target), with what was seen before and after."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "复查未发现该问题"
        PERSISTS = "persists", "问题仍然存在"
        UNVERIFIED = "unverified", "无法核实"
        BLOCKED = "blocked", "地址不允许访问"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="rechecks", verbose_name="问题")
    url = models.URLField("复查地址", max_length=2000)
    actor_label = models.CharField("发起人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)
    before = models.TextField("监测时")
    after = models.TextField("复查时")
    outcome = models.CharField("结论", max_length=20, choices=Outcome.choices)
    http_status = models.IntegerField("HTTP 状态", null=True, blank=True)

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ["at", "id"]


class EvidenceUpload(models.Model):
    """A file a reviewer attached to a manual finding (screenshot, PDF)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="uploads", verbose_name="问题")
    file = models.FileField("证据文件", upload_to="evidence/%Y/%m/")
    content_type = models.CharField("类型", max_length=50)
    original_name = models.CharField("原文件名", max_length=255)
    uploaded_by = models.CharField("上传人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "人工证据"
        verbose_name_plural = "人工证据"


class Survey(models.Model):
    """附件4 网站整改调查表 for one unit and one period."""

    # The form's questions, for services below the web layer (the quarterly report's cross-check).
    QUESTIONS = ALL_QUESTIONS

    class Status(models.TextChoices):
        OPEN = "open", "待填报"
        SUBMITTED = "submitted", "已提交"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="surveys", verbose_name="填报单位")
    period = models.CharField("填报期次", max_length=20)
    deadline = models.DateField("截止日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    leader_name = models.CharField("分管领导", max_length=50, blank=True)
    leader_contact = models.CharField("分管领导联系方式", max_length=50, blank=True)
    admin_name = models.CharField("网站管理员", max_length=50, blank=True)
    admin_contact = models.CharField("网站管理员联系方式", max_length=50, blank=True)
    admin_qq = models.CharField("QQ号码", max_length=20, blank=True)
    # 栏目建设情况 and 信息更新情况 answers, keyed by govwatch.web.survey_schema question keys.
    answers = models.JSONField("勾选项", default=dict, blank=True)
    signature_name = models.CharField("签字人", max_length=50, blank=True)
    stamp = models.FileField("单位公章", upload_to="stamps/%Y/", blank=True)
    stamp_content_type = models.CharField(max_length=20, blank=True)
    submitted_by = models.CharField("提交人", max_length=150, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "网站整改调查表"
        verbose_name_plural = "网站整改调查表"
        ordering = ["period", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="survey_unique_per_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.unit}"

    @property
    def late(self) -> bool:
        from django.utils import timezone

        if self.submitted_at is None:
            return timezone.localdate() > self.deadline
        return timezone.localtime(self.submitted_at).date() > self.deadline


class RunRequest(models.Model):
    """A run the office started from the web: what was asked, and what became of it."""

    site = models.ForeignKey("catalog.Site", on_delete=models.CASCADE, verbose_name="站点")
    as_of = models.DateField("监测日期")
    requested_by = models.CharField("发起人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)
    mode = models.CharField("方式", max_length=20)
    run = models.ForeignKey("monitoring.Run", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="监测运行")
    message = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "网页发起的监测"
        verbose_name_plural = "网页发起的监测"
        ordering = ["-at"]
