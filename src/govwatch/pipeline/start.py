"""Stage 1: validate the site's configuration and open the run record (a new one, or the day's run again)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govwatch.lib.clock import today_shanghai
from govwatch.lib.workdays import WorkCalendar
from govwatch.monitoring.models import Run
from govwatch.monitoring.runs import previous_run, register_site
from govwatch.rulebook import Rulebook, load_rulebook
from govwatch.siteconfig import SiteConfig, load_site


@dataclass
class StartedRun:
    run: Run
    config: SiteConfig
    rulebook: Rulebook

    @cached_property
    def calendar(self) -> WorkCalendar:
        # One calendar for the whole run: the checks add warnings (years it does not know) that publishing reports.
        return WorkCalendar.from_rulebook(self.rulebook)


def _run_dir(run: Run) -> Path:
    path = Path(settings.RUNS_DIR) / f"run-{run.pk}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_config(site_path: str | Path) -> tuple[SiteConfig, Rulebook]:
    """The site configuration and its rulebook. Config errors raise ConfigError."""
    config = load_site(site_path)
    return config, load_rulebook(config.rulebook, relative_to=config.base_dir)


def start_run(site_path: str | Path, as_of: dt.date | None = None, *,
              loaded: tuple[SiteConfig, Rulebook] | None = None) -> tuple[Run, SiteConfig, Rulebook]:
    """Validate the configuration and create (or reopen) the run record. Config errors raise ConfigError."""
    config, rulebook = loaded or load_config(site_path)
    as_of = as_of or today_shanghai()
    site = register_site(config, rulebook)
    prev = previous_run(site, as_of)
    cycle_start = prev.as_of if prev else as_of - dt.timedelta(days=rulebook.first_cycle_days)
    with transaction.atomic():
        run = Run.objects.filter(site=site, as_of=as_of).order_by("-id").first()
        if run is None:
            run = Run.objects.create(site=site, as_of=as_of, cycle_start=cycle_start, rulebook=rulebook.name)
        run.cycle_start = cycle_start
        run.rulebook = rulebook.name
        run.status = Run.Status.RUNNING
        run.started_at = timezone.now()
        run.finished_at = None
        run.error = ""
        run.save()
        run.run_dir = str(_run_dir(run))
        run.save(update_fields=["run_dir"])
    return run, config, rulebook


def open_run(config: SiteConfig, rulebook: Rulebook, as_of: dt.date | None = None,
             run: Run | None = None) -> StartedRun:
    """Start the run, or take a run record a caller already opened, with the loaded configuration.

    The columns the office confirmed in the web app join the TOML's pins (monitoring.coverage)."""
    from govwatch.monitoring.coverage import with_office_pins

    if run is None:
        run, config, rulebook = start_run(config.path, as_of, loaded=(config, rulebook))
    return StartedRun(run, with_office_pins(config, run.site), rulebook)
