"""Honest coverage and the column inventory (栏目梳理), on the database side.

- Coverage: each run stores every configured unit's coverage (`Run.coverage`, computed by
  the pure `checks.coverage`). A unit that is not effectively monitored gets no Score row,
  so it is never scored or ranked, and never shows as 100; exports and pages list it apart.
- Inventory: `catalog.Column` is the office's inventory of the site's columns. Each run
  refreshes what it read (how, items, newest date, confidences). A column the office
  confirmed or corrected (`pinned`) keeps the office's unit, category, key area and
  frequency: they are fed back to the crawler as pins, like `[[columns]]` in the site TOML,
  and its judgements count as confident when routing deductions to review.
"""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils import timezone

from govwatch.catalog.models import Column as ColumnModel
from govwatch.catalog.models import Site, Unit
from govwatch.siteconfig import ColumnPin, SiteConfig


def office_pins(site: Site) -> list[ColumnPin]:
    """The columns the office confirmed in the web app, as pins."""
    return [ColumnPin(url=c.url, unit=c.unit.code if c.unit else None, category=c.category, key_area=c.key_area,
                      expected=c.expected or None, name=c.name or None)
            for c in ColumnModel.objects.filter(site=site, pinned=True).select_related("unit").order_by("url")]


def with_office_pins(config: SiteConfig, site: Site | None) -> SiteConfig:
    """The site configuration with the office's confirmed columns added as pins.

    A pin in the TOML file wins over the web app's for the same URL: the file is what the
    operator wrote explicitly for this site. A unit the file does not configure is dropped
    from the pin (the crawler attributes by section instead)."""
    if site is None:
        return config
    have = {p.url for p in config.columns}
    configured = {u.code for u in config.units}
    extra = [dataclasses.replace(p, unit=p.unit if p.unit in configured else None)
             for p in office_pins(site) if p.url not in have]
    if not extra:
        return config
    return dataclasses.replace(config, columns=tuple(config.columns) + tuple(extra))


def confirmed_urls(config: SiteConfig) -> frozenset[str]:
    """Columns whose judgements are the office's: pinned in the TOML or confirmed in the web app."""
    return frozenset(p.url for p in config.columns)


def unmonitored(run) -> dict[str, dict]:
    """Unit code -> coverage, for the units of `run` that were not effectively monitored."""
    return {code: cov for code, cov in (run.coverage or {}).items() if not cov.get("monitored", True)}


def sync_inventory(run, store) -> None:
    """Refresh the site's inventory from the run's columns. The office's choices on a confirmed
    column (unit, category, key area, frequency) are never overwritten by discovery."""
    from govwatch.store.records import column_from_record

    units = {u.code: u for u in Unit.objects.all()}
    known = {c.url: c for c in ColumnModel.objects.filter(site=run.site)}
    for rec in store.column_records():
        c = column_from_record(rec)
        obj = known.get(c.url)
        if obj is None:
            obj = ColumnModel(site=run.site, url=c.url, first_seen=run.as_of)
        if not obj.pinned:
            obj.unit = units.get(c.unit) if c.unit else None
            obj.category = c.category
            obj.key_area = bool(c.key_area)
            obj.expected = c.expected or ""
        obj.name = c.name[:200]
        obj.last_seen = run.as_of
        obj.read_via = c.read_via
        obj.list_confidence = c.list_confidence
        obj.category_confidence = c.category_confidence
        obj.unit_confidence = c.unit_confidence
        obj.item_count = len(c.items)
        obj.newest_item_date = max((i.date for i in c.items if i.date), default=None)
        obj.status = c.status
        obj.save()


def confirm_column(column: ColumnModel, *, actor_label: str, changes: dict | None = None) -> ColumnModel:
    """The office confirms a column, optionally correcting unit, category, key area or frequency."""
    with transaction.atomic():
        for field, value in (changes or {}).items():
            setattr(column, field, value)
        column.pinned = True
        column.confirmed_by = actor_label[:150]
        column.confirmed_at = timezone.now()
        column.save()
    return column


# ---------------------------------------------------------------------------
# The inventory as `govwatch columns` prints it

INVENTORY_FIELDS = [
    ("unit", "机关编码"), ("unit_name", "单位名称"), ("name", "栏目名称"), ("url", "栏目地址"),
    ("category", "类别"), ("category_label", "类别名称"), ("category_confidence", "类别把握"),
    ("list_confidence", "列表把握"), ("unit_confidence", "单位把握"), ("read_via", "读取方式"),
    ("read_via_label", "读取方式说明"), ("item_count", "信息条数"), ("newest_item_date", "最新信息日期"),
    ("status", "读取状态"), ("confirmed", "已确认"), ("confirmed_by", "确认来源"),
]


def inventory(config: SiteConfig, run_ref: str | int | None = "latest") -> tuple[object, list[dict]]:
    """The site's column inventory from one run's column states (the latest complete run by default).

    A column counts as confirmed when the office confirmed it in the web app or pinned it in the
    site TOML; the office's corrections are shown, not discovery's."""
    from govwatch.checks.coverage import READ_VIA_LABELS
    from govwatch.lib.errors import GovwatchError
    from govwatch.monitoring.models import Run

    site = Site.objects.filter(home=config.home).first()
    runs = Run.objects.filter(site=site, status=Run.Status.COMPLETE) if site else Run.objects.none()
    if run_ref in (None, "latest"):
        run = runs.order_by("-as_of", "-id").first()
    else:
        try:
            run = runs.filter(pk=int(run_ref)).first()
        except ValueError:
            raise GovwatchError(f"监测运行编号应为数字或 latest：{run_ref}") from None
    if run is None:
        which = "还没有完成的监测运行" if run_ref in (None, "latest") else f"没有已完成的监测运行 {run_ref}"
        raise GovwatchError(f"站点“{config.name}”{which}，暂无栏目清单：请先执行 govwatch run --site {config.path}")
    office = {c.url: c for c in ColumnModel.objects.filter(site=run.site, pinned=True).select_related("unit")}
    toml_pins = {p.url: p for p in config.columns}
    names = dict(Unit.objects.values_list("code", "name"))
    labels = dict(ColumnModel.Category.choices)
    rows = []
    for state in run.column_states.order_by("unit_code", "url"):
        row = {"unit": state.unit_code or None, "name": state.name, "url": state.url, "category": state.category,
               "category_confidence": round(state.category_confidence, 2),
               "list_confidence": round(state.list_confidence, 2),
               "unit_confidence": round(state.unit_confidence, 2), "read_via": state.read_via,
               "item_count": state.item_count,
               "newest_item_date": state.newest_item_date.isoformat() if state.newest_item_date else None,
               "status": state.status, "confirmed": False, "confirmed_by": None}
        pin, mine = toml_pins.get(state.url), office.get(state.url)
        if pin is not None:
            row.update(confirmed=True, confirmed_by="站点配置文件")
            row["unit"] = pin.unit or row["unit"]
            row["category"] = pin.category or row["category"]
        elif mine is not None:
            row.update(confirmed=True, confirmed_by=f"网页端（{mine.confirmed_by or '监测办'}）",
                       unit=mine.unit.code if mine.unit else row["unit"], category=mine.category)
        row["unit_name"] = names.get(row["unit"], "") if row["unit"] else "（无法归属）"
        row["category_label"] = labels.get(row["category"], row["category"])
        row["read_via_label"] = READ_VIA_LABELS.get(row["read_via"], row["read_via"])
        rows.append({key: row[key] for key, _label in INVENTORY_FIELDS})
    return run, rows
