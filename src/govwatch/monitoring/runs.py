"""Run records as a service: the registry a run starts from, finding the runs to read, failing one.

Executing a run is the pipeline's job (`govwatch.pipeline`); this module holds what the
pipeline, the CLI and the web app all need about runs without executing one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from govwatch.catalog.models import Site, Unit
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import Run
from govwatch.rulebook import Rulebook
from govwatch.siteconfig import SiteConfig


def seed_units(rulebook: Rulebook) -> None:
    """Make sure every unit of the rulebook's unit table exists (附件1 by default)."""
    existing = set(Unit.objects.values_list("code", flat=True))
    # ignore_conflicts: two workers starting on an empty table both insert the units.
    Unit.objects.bulk_create([Unit(code=u.code, name=u.name) for u in rulebook.units if u.code not in existing],
                             ignore_conflicts=True)


def register_site(site: SiteConfig, rulebook: Rulebook) -> Site:
    from govwatch.siteconfig import check_units

    check_units(site, rulebook)
    with transaction.atomic():
        seed_units(rulebook)
        for unit in site.units:
            if unit.name:
                Unit.objects.get_or_create(code=unit.code, defaults={"name": unit.name})
            else:
                Unit.objects.get_or_create(code=unit.code, defaults={"name": rulebook.unit_name(unit.code) or unit.code})
        text = Path(site.path).read_text(encoding="utf-8") if Path(site.path).exists() else ""
        obj, _ = Site.objects.update_or_create(
            home=site.home,
            defaults={"name": site.name, "config_path": str(Path(site.path).resolve()), "config_text": text,
                      "rulebook": site.rulebook},
        )
        return obj


def previous_run(site: Site, as_of: dt.date) -> Run | None:
    return (Run.objects.filter(site=site, status=Run.Status.COMPLETE, as_of__lt=as_of)
            .order_by("-as_of", "-id").first())


def resolve_run(ref: str | int | None) -> Run:
    if ref in (None, "latest"):
        run = Run.objects.filter(status=Run.Status.COMPLETE).order_by("-as_of", "-id").first()
        if run is None:
            raise GovwatchError("还没有完成的监测运行：请先执行 govwatch run 或 govwatch demo")
        return run
    try:
        return Run.objects.get(pk=int(ref))
    except (ValueError, Run.DoesNotExist):
        raise GovwatchError(f"监测运行不存在：{ref}") from None


def fail_run(run: Run, reason: str, result=None) -> None:
    run.status = Run.Status.FAILED
    run.error = reason
    run.finished_at = timezone.now()
    if result is not None:
        run.requests = result.requests
        run.unverified = [list(u) for u in result.unverified]
        run.unverified_count = len(result.unverified)
    run.save()
