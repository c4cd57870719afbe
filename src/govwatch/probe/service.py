"""Probing a site now, storing the results, and reading a week of them back as the national warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from django.db import transaction
from django.utils import timezone

from govwatch.checks import availability, homepage
from govwatch.crawl import netguard
from govwatch.rulebook import Rulebook, load_rulebook
from govwatch.siteconfig import SiteConfig, load_site

from .fetch import probe_url


def conf_of(rulebook: Rulebook) -> dict:
    return dict(rulebook.national.get(availability.WARNING_ID, {}))


def interval(rulebook: Rulebook) -> dt.timedelta:
    return dt.timedelta(minutes=conf_of(rulebook).get("probe_interval_minutes", 72))


def targets(config: SiteConfig) -> list[tuple[str, bool]]:
    """(url, is the homepage) for the homepage and every page the site configuration names."""
    out = [(config.home, True)]
    out += [(url, False) for url in config.probe_pages if url != config.home]
    return out


def site_row(config: SiteConfig):
    from govwatch.catalog.models import Site

    text = Path(config.path).read_text(encoding="utf-8") if Path(config.path).exists() else ""
    site, _ = Site.objects.get_or_create(home=config.home, defaults={
        "name": config.name, "config_path": str(Path(config.path).resolve()), "config_text": text,
        "rulebook": config.rulebook})
    return site


def probe_once(config: SiteConfig, rulebook: Rulebook, *, at: dt.datetime | None = None,
               fetch: Callable = probe_url) -> list[availability.Probe]:
    """One round: every target probed now (or at the test clock's `at`) and stored."""
    from govwatch.monitoring.models import Probe

    site = site_row(config)
    at = at or timezone.now()
    limit = float(conf_of(rulebook).get("probe_timeout_seconds", 15))
    guard = netguard.FetchGuard.for_site(config)  # the crawler's own rule: own origins only, when allowed
    results = [fetch(url, limit=limit, guard=guard, homepage=home, at=at) for url, home in targets(config)]
    with transaction.atomic():
        Probe.objects.bulk_create([Probe(site=site, url=p.url, homepage=p.homepage, at=p.at, status=p.status,
                                         seconds=p.seconds, reason=p.reason, size=p.size,
                                         newest_item_date=p.newest_item_date, dated_items=p.dated_items)
                                   for p in results])
    return results


def week_probes(site, now: dt.datetime, days: int = 7) -> list[availability.Probe]:
    from govwatch.monitoring.models import Probe

    rows = Probe.objects.filter(site=site, at__gt=now - dt.timedelta(days=days), at__lte=now).order_by("at", "id")
    return [availability.Probe(r.at, r.url, r.status, r.seconds, r.reason, r.size, r.homepage, r.newest_item_date,
                               r.dated_items) for r in rows]


def homepage_freshness(probes: list[availability.Probe], rulebook: Rulebook) -> dict | None:
    """national.homepage_stale as of the latest homepage probe that opened, or None without one."""
    opened = [p for p in probes if p.homepage and p.ok]
    if not opened:
        return None
    last = opened[-1]
    conf = dict(rulebook.national.get(homepage.WARNING_ID, {}))
    return homepage.homepage_stale(last.newest_item_date, last.dated_items, timezone.localtime(last.at).date(), conf)


def site_availability(site, now: dt.datetime | None = None, rulebook: Rulebook | None = None) -> dict:
    """The week's national.site_unreachable warning for a site, with a per-day strip for the dashboard."""
    now = now or timezone.now()
    rulebook = rulebook or load_rulebook(site.rulebook)
    conf = conf_of(rulebook)
    days = conf.get("window_days", 7)
    probes = week_probes(site, now, days)
    warning = availability.site_unreachable(probes, conf, now)
    strip = []
    for i in range(days - 1, -1, -1):
        day = timezone.localtime(now).date() - dt.timedelta(days=i)
        home = [p for p in probes if p.homepage and timezone.localtime(p.at).date() == day]
        failed = sum(1 for p in home if not p.ok and p.counted)
        strip.append({"date": day, "probes": len(home), "failed": failed,
                      "state": "none" if not home else ("bad" if failed else "good")})
    for d in warning["details"]:
        d["local"] = timezone.localtime(dt.datetime.fromisoformat(d["at"]))  # shown in Asia/Shanghai
    warning["strip"] = strip
    warning["homepage"] = homepage_freshness(probes, rulebook)
    warning["pages"] = [{"at": timezone.localtime(p.at), "url": p.url, "reason_label": availability.REASON_LABELS[p.reason],
                         "status": p.status} for p in probes if not p.homepage and not p.ok]
    return warning


def is_due(site, now: dt.datetime, every: dt.timedelta) -> bool:
    from govwatch.monitoring.models import Probe

    last = Probe.objects.filter(site=site).order_by("-at").values_list("at", flat=True).first()
    return last is None or now - last >= every


def probe_due_sites(now: dt.datetime | None = None, fetch: Callable = probe_url) -> int:
    """Probe every active configured site whose last probe is a schedule interval old; returns how many."""
    from govwatch.catalog.models import Site

    now = now or timezone.now()
    done = 0
    for site in Site.objects.filter(active=True).exclude(config_path=""):
        try:
            config = load_site(site.config_path)
            rulebook = load_rulebook(config.rulebook, relative_to=config.base_dir)
        except Exception:  # a site whose configuration went missing must not stop the others' probes
            continue
        if is_due(site, now, interval(rulebook)):
            probe_once(config, rulebook, at=now, fetch=fetch)
            done += 1
    return done


def run_national(site, as_of: dt.date, rulebook: Rulebook) -> list[dict]:
    """The probe-based national warnings for a run of `as_of`: the week of probes up to the end of
    that day (Asia/Shanghai). Nothing when the site was never probed: not measured is not "ok"."""
    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    conf = conf_of(rulebook)
    probes = week_probes(site, end, conf.get("window_days", 7))
    if not probes:
        return []
    week = availability.site_unreachable(probes, conf, end)
    share = f"{week['failure_share']:.1%}"
    week["message"] = f"近7天首页探测 {week['probes']} 次，失败或超过{conf.get('probe_timeout_seconds', 15)}秒 {week['count']} 次（{share}）"
    week["details"] = [{"name": f"{timezone.localtime(dt.datetime.fromisoformat(d['at'])):%Y-%m-%d %H:%M} "
                                f"{d['reason_label']}" + (f"（HTTP {d['status']}）" if d["status"] else ""),
                        "url": d["url"]} for d in week["details"]]
    out = [week]
    fresh = homepage_freshness(probes, rulebook)
    if fresh is not None and fresh["judged"]:
        out.append(fresh)
    return out
