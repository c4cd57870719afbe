"""The registry: monitored sites, the units (附件1) and the columns discovered on a site."""

from __future__ import annotations

from django.db import models


class Site(models.Model):
    name = models.CharField("网站名称", max_length=200)
    home = models.URLField("首页地址", max_length=500, unique=True)
    config_path = models.CharField("配置文件", max_length=1000, blank=True)
    config_text = models.TextField("配置内容", blank=True)
    rulebook = models.CharField("规则库", max_length=200, default="district-2017")
    active = models.BooleanField("定期监测", default=True)
    # The weekly schedule (周几、几点) on which the dispatcher starts this site's run; Monday is 0.
    run_weekday = models.PositiveSmallIntegerField("每周监测日", default=4)
    run_hour = models.PositiveSmallIntegerField("监测时刻（时）", default=2)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "站点"
        verbose_name_plural = "站点"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    code = models.CharField("机关编码", max_length=8, unique=True)
    name = models.CharField("机关名称", max_length=100)
    active = models.BooleanField("参与监测", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Column(models.Model):
    class Category(models.TextChoices):
        NEWS = "news", "动态要闻类"
        NOTICE = "notice", "通知公告类"
        POLICY = "policy", "政策文件类"
        PERSONNEL = "personnel", "人事信息类"
        PLAN = "plan", "计划规划类"
        PROFILE = "profile", "机构概况"
        FINANCE = "finance", "财政信息"
        STATISTICS = "statistics", "统计数据"
        CONSULTATION = "consultation", "政务咨询"
        GUIDE = "guide", "办事指南"
        KEY_AREA = "key_area", "重点领域"
        OTHER = "other", "其他"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="columns", verbose_name="站点")
    url = models.URLField("栏目地址", max_length=1000)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="columns", verbose_name="单位")
    name = models.CharField("栏目名称", max_length=200)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    key_area = models.BooleanField("重点领域", default=False)
    expected = models.CharField("应更新频率", max_length=20, blank=True)
    # Set when the office confirms or corrects the column (栏目梳理): its unit, category, key area and
    # frequency then win over discovery in later runs, and its judgements count as confident.
    pinned = models.BooleanField("已确认", default=False)
    confirmed_by = models.CharField("确认人", max_length=150, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    first_seen = models.DateField("首次发现", null=True, blank=True)
    last_seen = models.DateField("最近发现", null=True, blank=True)
    # As the latest run read it (the inventory shows these).
    read_via = models.CharField("读取方式", max_length=20, blank=True)
    list_confidence = models.FloatField("列表把握", null=True, blank=True)
    category_confidence = models.FloatField("类别把握", null=True, blank=True)
    unit_confidence = models.FloatField("单位把握", null=True, blank=True)
    item_count = models.IntegerField("信息条数", null=True, blank=True)
    newest_item_date = models.DateField("最新信息日期", null=True, blank=True)
    status = models.CharField("读取状态", max_length=20, blank=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="column_unique_per_site")]
        ordering = ["unit__code", "url"]

    def __str__(self) -> str:
        return self.name
