"""Runs, the facts each run saw, findings with their review history, and scores.

Models stay slim; the services (`monitoring.runs`, `review`, `scores`, `exports`) and the pipeline do the work inside transactions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govwatch.catalog.models import Site, Unit


class Run(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        COMPLETE = "complete", "已完成"
        FAILED = "failed", "失败"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="runs", verbose_name="站点")
    as_of = models.DateField("监测日期")
    cycle_start = models.DateField("周期起点（不含）")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    rulebook = models.CharField("规则库", max_length=200)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    error = models.TextField("失败原因", blank=True)
    requests = models.IntegerField("请求数", default=0)
    pages = models.IntegerField("页面数", default=0)
    unverified_count = models.IntegerField("未核实数", default=0)
    run_dir = models.CharField("运行目录", max_length=1000, blank=True)
    stats = models.JSONField("统计", default=dict, blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    unverified = models.JSONField("未核实清单", default=list, blank=True)
    national = models.JSONField("国家指标预警", default=list, blank=True)
    portal_findings = models.JSONField("门户级问题（不计入单位）", default=list, blank=True)
    not_configured = models.JSONField("未配置单位", default=list, blank=True)
    unattributed = models.JSONField("无法归属的栏目", default=list, blank=True)
    # Configured unit code -> its coverage (checks.coverage.UnitCoverage.to_json). A unit whose
    # coverage says monitored=false gets no Score row: it is never scored or ranked.
    coverage = models.JSONField("监测覆盖情况", default=dict, blank=True)

    class Meta:
        verbose_name = "监测运行"
        verbose_name_plural = "监测运行"
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["site", "as_of"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.site} {self.as_of}"


class ColumnState(models.Model):
    """A column as one run saw it."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="column_states")
    url = models.URLField(max_length=1000)
    unit_code = models.CharField(max_length=8, blank=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    key_area = models.BooleanField(default=False)
    expected = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20)
    item_count = models.IntegerField(default=0)
    newest_item_date = models.DateField(null=True, blank=True)
    placeholder = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    warc = models.CharField(max_length=300, blank=True)
    read_via = models.CharField(max_length=20, default="static")
    list_confidence = models.FloatField(default=1.0)
    category_confidence = models.FloatField(default=1.0)
    unit_confidence = models.FloatField(default=1.0)

    class Meta:
        verbose_name = "栏目状态"
        verbose_name_plural = "栏目状态"


class PageFact(models.Model):
    """The facts of one detail page (article, question or guide) as one run knows them."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="page_facts")
    url = models.URLField(max_length=1000)
    column_url = models.URLField(max_length=1000)
    unit_code = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateField(null=True, blank=True)
    first_seen = models.DateField(null=True, blank=True)
    list_row = models.TextField(blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    links = models.JSONField(default=list, blank=True)
    warc = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "页面要素"
        verbose_name_plural = "页面要素"
        indexes = [models.Index(fields=["run", "url"])]


class LinkResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="link_results")
    target = models.URLField(max_length=2000)
    kind = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20)
    reason = models.CharField(max_length=300, blank=True)
    http_status = models.IntegerField(null=True, blank=True)
    carriers = models.JSONField(default=list, blank=True)
    checked_on = models.DateField(null=True, blank=True)
    warc = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "链接检查结果"
        verbose_name_plural = "链接检查结果"


class Finding(models.Model):
    class State(models.TextChoices):
        CONFIRMED = "confirmed", "已确认"
        PENDING = "pending", "待复核"
        DISMISSED = "dismissed", "已排除"

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings", verbose_name="监测运行")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="findings", verbose_name="单位")
    rule = models.CharField("规则", max_length=50)
    points = models.IntegerField("分值")
    needs_review = models.BooleanField("需人工复核", default=False)
    state = models.CharField("状态", max_length=20, choices=State.choices)
    url = models.URLField("问题页面", max_length=2000)
    column_url = models.URLField("栏目", max_length=1000, blank=True)
    message = models.TextField("说明")
    evidence = models.JSONField("证据", default=dict, blank=True)
    key = models.CharField("问题标识", max_length=64, db_index=True)
    manual = models.BooleanField("人工录入", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["unit__code", "rule", "url", "id"]
        indexes = [models.Index(fields=["run", "state"]), models.Index(fields=["run", "unit"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.url}"


class AuditLogImmutable(RuntimeError):
    """Raised on any attempt to change or remove an audit row through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("复核记录只能新增，不能修改")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable("复核记录只能新增，不能修改")

    def delete(self):
        raise AuditLogImmutable("复核记录只能新增，不能删除")

    delete.queryset_only = True


class Review(models.Model):
    """One audited state change of a finding: who, when, from which state to which, and why.

    Rows are only ever inserted: save() of an existing row, delete(), and QuerySet
    update()/delete() raise AuditLogImmutable. The one way rows leave the table is the
    database cascade when their finding is removed (a whole Run deleted by an operator, or a
    same-date re-run dropping a machine finding that is no longer found); docs/operations.md
    says so.
    """

    objects = AppendOnlyQuerySet.as_manager()

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="reviews")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "复核记录"
        verbose_name_plural = "复核记录"
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutable("复核记录只能新增，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("复核记录只能新增，不能删除")


class Dismissal(models.Model):
    """A remembered dismissal: the same finding on the same evidence stays dismissed in later runs."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="dismissals")
    key = models.CharField(max_length=64)
    rule = models.CharField(max_length=50)
    wrong = models.CharField("错误文字", max_length=100, blank=True)
    reason = models.TextField(blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="dismissal_unique_key")]


class Score(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scores")
    deductions = models.IntegerField("扣分")
    bonuses = models.IntegerField("加分")
    score = models.IntegerField("得分")
    by_rule = models.JSONField("分项", default=dict)

    class Meta:
        verbose_name = "得分"
        verbose_name_plural = "得分"
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="score_unique_per_run")]
        ordering = ["-score", "unit__code"]


class ScoreRecomputation(models.Model):
    """Audit of every score recomputation: who, when, why, and the totals before and after."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="recomputations")
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)


class Probe(models.Model):
    """One availability probe of a site's homepage or a page its configuration names (national indicators).

    Never tied to a unit: availability is the portal's, and it is never charged to a unit."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probes", verbose_name="站点")
    url = models.URLField("探测地址", max_length=1000)
    homepage = models.BooleanField("首页", default=True)
    at = models.DateTimeField("探测时间")
    status = models.IntegerField("HTTP 状态", null=True, blank=True)
    seconds = models.FloatField("总耗时（秒）", null=True, blank=True)
    reason = models.CharField("失败原因", max_length=20, blank=True)
    size = models.IntegerField("大小（字节）", default=0)
    newest_item_date = models.DateField("首页最新信息日期", null=True, blank=True)
    dated_items = models.IntegerField("首页带日期的信息数", default=0)

    class Meta:
        verbose_name = "可用性探测"
        verbose_name_plural = "可用性探测"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["site", "at"])]
