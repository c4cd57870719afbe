"""Domain services: everything that changes monitoring data goes through here.

Views, commands and tasks only call these functions. Each public service
does its database work inside `transaction.atomic()`, so a crash leaves the
published data as it was, and re-running a run is idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govwatch import facts as F
from govwatch.catalog.models import Site, Unit
from govwatch.lib.errors import GovwatchError
from govwatch.lib.workdays import WorkCalendar
from govwatch.monitoring.models import (
    ColumnState, Dismissal, Finding, LinkResult, PageFact, Review, Run, Score, ScoreRecomputation,
)
from govwatch.rulebook import Rulebook, load_rulebook
from govwatch.siteconfig import SiteConfig, load_site

SYSTEM = "系统"


def today_shanghai() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------
# Registry


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


# ---------------------------------------------------------------------------
# Finding identity


def finding_key(site_id: int, f: F.Finding) -> str:
    ev = f.evidence
    # The evidence that makes a finding "the same" across runs: a dismissal holds while it is unchanged.
    discriminator = [ev.get(k) for k in ("target", "element", "form", "wrong", "context", "start", "newest_item_date")]
    raw = json.dumps([site_id, f.unit, f.rule, f.url, discriminator], ensure_ascii=False, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Previous state for incremental crawls


def previous_run(site: Site, as_of: dt.date) -> Run | None:
    return (Run.objects.filter(site=site, status=Run.Status.COMPLETE, as_of__lt=as_of)
            .order_by("-as_of", "-id").first())


class StoredPreviousState(F.PreviousState):
    """The previous run's state, read from its stored rows on demand.

    Held in memory: each page's first-seen date. Facts and links of pages are read only for
    the pages the crawler reuses, in batches, and link outcomes are streamed into the crawl
    child's job, so a re-run of a 100,000-page portal does not hold the previous run at once."""

    def __init__(self, run: Run):
        super().__init__(as_of=run.as_of, warc_root=Path(run.run_dir).name if run.run_dir else None)
        self.run = run
        self._first_seen = {url: seen for url, seen in
                            run.page_facts.values_list("url", "first_seen").iterator(chunk_size=5000)}

    @staticmethod
    def _link(link: LinkResult) -> F.PreviousLink:
        return F.PreviousLink(target=link.target, outcome=link.outcome, reason=link.reason or None,
                              http_status=link.http_status, checked_on=link.checked_on)

    def iter_links(self):
        fields = ("target", "outcome", "reason", "http_status", "checked_on")
        for link in self.run.link_results.only(*fields).order_by("pk").iterator(chunk_size=5000):
            yield self._link(link)

    def link(self, target: str) -> F.PreviousLink | None:
        found = self.run.link_results.filter(target=target).first()
        return self._link(found) if found is not None else None

    @staticmethod
    def _page(p: PageFact) -> F.PreviousPage:
        return F.PreviousPage(
            url=p.url, kind=p.kind, column_url=p.column_url, list_row=p.list_row,
            etag=p.etag or None, last_modified=p.last_modified or None, text_hash=p.text_hash or None,
            first_seen=p.first_seen, facts=p.facts, links=tuple(F.Link(**link) for link in p.links),
            warc=p.warc or None,
        )

    def iter_pages(self):
        # Small chunks: each row carries its facts and links as JSON.
        for p in self.run.page_facts.all().order_by("pk").iterator(chunk_size=200):
            yield self._page(p)

    def first_seen(self, url: str) -> dt.date | None:
        return self._first_seen.get(url)

    def pages_for(self, urls) -> dict[str, F.PreviousPage]:
        urls = list(urls)
        out = {}
        for i in range(0, len(urls), 500):
            for p in self.run.page_facts.filter(url__in=urls[i:i + 500]):
                out[p.url] = self._page(p)
        return out


def previous_state(run: Run | None) -> F.PreviousState | None:
    return StoredPreviousState(run) if run is not None else None


def month_bonus_before(site: Site, as_of: dt.date, exclude_run: Run | None = None) -> dict[tuple[str, str], int]:
    """Capped bonus each unit already received per bonus rule this calendar month, from earlier runs."""
    totals: dict[tuple[str, str], int] = {}
    runs = Run.objects.filter(site=site, status=Run.Status.COMPLETE, as_of__lt=as_of,
                              as_of__year=as_of.year, as_of__month=as_of.month)
    if exclude_run is not None:
        runs = runs.exclude(pk=exclude_run.pk)
    for score in Score.objects.filter(run__in=runs).select_related("unit"):
        for rule, points in score.by_rule.items():
            if rule.startswith("bonus.") and points > 0:
                key = (score.unit.code, rule)
                totals[key] = totals.get(key, 0) + points
    return totals


# ---------------------------------------------------------------------------
# The run


@dataclass
class RunOutcome:
    run: Run
    crawl: object | None


def _run_dir(run: Run) -> Path:
    base = Path(settings.RUNS_DIR)
    path = base / f"run-{run.pk}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_run(site_path: str | Path, as_of: dt.date | None = None) -> tuple[Run, SiteConfig, Rulebook]:
    """Validate the configuration and create (or reopen) the run record. Config errors raise ConfigError."""
    config = load_site(site_path)
    rulebook = load_rulebook(config.rulebook, relative_to=config.base_dir)
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


def execute_run(site_path: str | Path, as_of: dt.date | None = None, *, progress=True,
                resume: bool = False, run: Run | None = None) -> RunOutcome:
    """One full monitoring cycle: crawl, extract, check, score. Returns the run (complete or failed)."""
    from govwatch.crawl import crawl_site

    from govwatch.monitoring.coverage import with_office_pins

    if run is None:
        run, config, rulebook = start_run(site_path, as_of)
    else:
        config = load_site(site_path)
        rulebook = load_rulebook(config.rulebook, relative_to=config.base_dir)
    config = with_office_pins(config, run.site)
    prev = previous_run(run.site, run.as_of)
    try:
        result = crawl_site(config, rulebook, Path(run.run_dir), as_of=run.as_of,
                            previous=previous_state(prev), progress=progress, resume=resume,
                            text_hook=typo_hook(run))
    except GovwatchError as exc:
        fail_run(run, str(exc))
        return RunOutcome(run, None)
    except Exception as exc:  # a crash of ours is never charged to a unit: the run fails, nothing is published
        fail_run(run, f"采集过程出错：{type(exc).__name__}: {exc}")
        raise
    reason = site_unreachable_reason(config, result)
    if reason:
        fail_run(run, reason, result)
        return RunOutcome(run, result)
    try:
        publish_run(run, config, rulebook, result)
    except Exception as exc:
        # publish_run is one transaction: nothing of it was kept. Say so on the run, if the database lets us.
        try:
            fail_run(run, f"发布结果时出错，未发布任何得分：{type(exc).__name__}: {exc}")
        except Exception:
            pass
        raise
    return RunOutcome(run, result)


def site_unreachable_reason(config: SiteConfig, result) -> str | None:
    """A run whose section roots all failed measured nothing: it fails instead of scoring."""
    from govwatch.crawl.netguard import PRIVATE_REASON

    if result.crawled_pages == 0 or (not result.columns and result.unverified):
        first = result.unverified[0] if result.unverified else (config.home, "无响应")
        hint = "；如确为内网站点，请在站点配置 [site] 中设置 allow_private_addresses = true" \
            if first[1] == PRIVATE_REASON else ""
        return f"站点无法访问：{first[0]}（{first[1]}），本次不发布得分{hint}"
    return None


def fail_run(run: Run, reason: str, result=None) -> None:
    run.status = Run.Status.FAILED
    run.error = reason
    run.finished_at = timezone.now()
    if result is not None:
        run.requests = result.requests
        run.unverified = [list(u) for u in result.unverified]
        run.unverified_count = len(result.unverified)
    run.save()


def judged_for_typos(run: Run, unit: str | None, first_seen: dt.date | None, text_changed: bool) -> bool:
    """error.typo judges a unit's page the first time it is seen and whenever its text changes."""
    return unit is not None and (first_seen is None or first_seen >= run.as_of or text_changed)


def typo_hook(run: Run):
    """The crawler calls this with each article's text as it arrives, then drops the text."""
    from govwatch.textcheck import get_checker

    whitelist = set(Dismissal.objects.filter(site=run.site, rule="error.typo").exclude(wrong="")
                    .values_list("wrong", flat=True))
    checker = get_checker()

    def hook(url: str, unit: str | None, text: str, first_seen: dt.date | None, text_changed: bool):
        if not judged_for_typos(run, unit, first_seen, text_changed):
            return None
        return checker.check(text or "", whitelist=whitelist) or None

    return hook


def find_typos(run: Run, pages: Iterable[F.Page]) -> dict[str, list[F.TypoHit]]:
    """Typo hits for crawl results that still carry article text (no text_hook was used)."""
    hook = typo_hook(run)
    hits: dict[str, list[F.TypoHit]] = {}
    for page in pages:
        if page.status != F.OK or page.kind != "article" or page.facts is None:
            continue
        found = hook(page.url, page.unit, page.facts.text, page.first_seen, page.text_changed)
        if found:
            hits[page.url] = found
    return hits


def fact_store(result):
    """The crawl's fact store; results built in memory (tests, tools) get an in-memory one."""
    from govwatch.crawl.staging import store_from_lists

    if getattr(result, "store", None) is not None:
        return result.store
    return store_from_lists(columns=result.columns, pages=result.pages, page_states=result.page_states,
                            links=result.links, link_states=result.link_states)


def publish_run(run: Run, config: SiteConfig, rulebook: Rulebook, result) -> None:
    """Check, store and score one crawl. The checks read the fact store one unit at a time."""
    from govwatch.checks.by_unit import check_by_unit
    from govwatch.monitoring.coverage import confirmed_urls, sync_inventory

    calendar = WorkCalendar.from_rulebook(rulebook)
    store = fact_store(result)
    typos = result.typos if getattr(result, "typos", None) is not None else find_typos(run, store.pages())
    checked = check_by_unit(store, rulebook, calendar, as_of=run.as_of, cycle_start=run.cycle_start,
                            crawled_pages=result.crawled_pages, typos=typos, unverified=list(result.unverified),
                            unit_for_url=config.unit_for_url,
                            sections={u.code: tuple(u.sections) for u in config.units},
                            confirmed=confirmed_urls(config))
    configured = {u.code for u in config.units}

    with transaction.atomic():
        unattributed = _store_facts(run, store)
        _merge_findings(run, checked.findings)
        sync_inventory(run, store)
        run.requests = result.requests
        run.pages = result.crawled_pages
        run.unverified = [list(u) for u in result.unverified]
        run.unverified_count = len(result.unverified)
        run.stats = F.jsonable(result.stats)
        run.warnings = list(result.warnings) + calendar.warnings()
        run.national = F.jsonable(checked.national)
        run.portal_findings = [F.jsonable(f) for f in checked.portal]
        run.not_configured = [{"code": u.code, "name": u.name} for u in rulebook.units if u.code not in configured]
        run.unattributed = unattributed
        run.coverage = {code: cov.to_json() for code, cov in checked.coverage.items()}
        run.status = Run.Status.COMPLETE
        run.finished_at = timezone.now()
        run.save()
        recompute_scores(run, actor_label=SYSTEM, reason="监测完成后自动计算", rulebook=rulebook)
        transaction.on_commit(lambda: _send_digests(run))


def _send_digests(run: Run) -> None:
    from govwatch.reports.digests import send_run_digests

    send_run_digests(run, fail_silently=True)


def _store_facts(run: Run, store) -> list[str]:
    """Copy the fact store into the run's rows, in batches. Returns the unattributed column URLs."""
    from govwatch.crawl.staging import column_from_record

    run.column_states.all().delete()
    run.page_facts.all().delete()
    run.link_results.all().delete()
    unattributed = []
    rows = []
    for rec in store.column_records():
        c = column_from_record(rec)
        if c.unit is None:
            unattributed.append(c.url)
        rows.append(ColumnState(
            run=run, url=c.url, unit_code=c.unit or "", name=c.name[:200], category=c.category,
            key_area=c.key_area, expected=c.expected or "", status=c.status, item_count=len(c.items),
            newest_item_date=max((i.date for i in c.items if i.date), default=None),
            placeholder=c.placeholder or "", reason=(c.reason or "")[:300], warc=c.warc or "",
            read_via=c.read_via, list_confidence=c.list_confidence, category_confidence=c.category_confidence,
            unit_confidence=c.unit_confidence,
        ))
    ColumnState.objects.bulk_create(rows, batch_size=1000)
    rows = []
    for row in store.page_rows():
        facts = row.get("facts") or {}
        rows.append(PageFact(
            run=run, url=row["url"], column_url=row["column_url"], unit_code=row.get("unit") or "",
            kind=row["kind"], status=row["status"], title=(facts.get("title") or "")[:500],
            published_at=_iso_date(facts.get("published_at")), first_seen=_iso_date(row.get("first_seen")),
            list_row=row.get("list_row") or "", etag=row.get("etag") or "", last_modified=row.get("last_modified") or "",
            text_hash=row.get("text_hash") or "", facts=facts, links=row.get("links") or [], warc=row.get("warc") or "",
            reason=(row.get("reason") or "")[:300],
        ))
        if len(rows) >= 1000:
            PageFact.objects.bulk_create(rows)
            rows = []
    PageFact.objects.bulk_create(rows)
    rows, carried = [], 0
    for rec in store.link_records():
        carriers = rec.get("carriers") or []
        rows.append(LinkResult(run=run, target=rec["target"], kind=rec.get("kind") or "a", outcome=rec["outcome"],
                               reason=rec.get("reason") or "", http_status=rec.get("http_status"),
                               checked_on=_iso_date(rec.get("checked_on")), carriers=carriers))
        carried += len(carriers)
        # Template links carry every page of the site: batches are bounded by carriers, not only rows.
        if len(rows) >= 1000 or carried >= 50_000:
            LinkResult.objects.bulk_create(rows)
            rows, carried = [], 0
    LinkResult.objects.bulk_create(rows)
    return sorted(unattributed)


def _iso_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date or datetime string from stored facts."""
    return dt.date.fromisoformat(value[:10]) if value else None


def _merge_findings(run: Run, findings: list[F.Finding]) -> None:
    """Replace the run's machine findings, keeping the review state of findings that are found again."""
    units = {u.code: u for u in Unit.objects.all()}
    existing = {f.key: f for f in run.findings.filter(manual=False)}
    remembered = {d.key: d for d in Dismissal.objects.filter(site=run.site)}
    keep: set[int] = set()
    new_rows: list[Finding] = []
    auto_dismissed: list[str] = []
    for f in findings:
        key = finding_key(run.site_id, f)
        old = existing.get(key)
        if old is not None and old.pk not in keep:
            old.points, old.message, old.evidence = f.points, f.message, F.jsonable(f.evidence)
            old.column_url = f.column_url or ""
            old.save(update_fields=["points", "message", "evidence", "column_url"])
            keep.add(old.pk)
            continue
        state = f.state
        if key in remembered:
            state = Finding.State.DISMISSED
            auto_dismissed.append(key)
        new_rows.append(Finding(
            run=run, unit=units.get(f.unit) if f.unit else None, rule=f.rule, points=f.points,
            needs_review=f.needs_review, state=state, url=f.url, column_url=f.column_url or "",
            message=f.message, evidence=F.jsonable(f.evidence), key=key,
        ))
    run.findings.filter(manual=False).exclude(pk__in=keep).delete()
    Finding.objects.bulk_create(new_rows, batch_size=1000)
    if auto_dismissed:
        reasons = {d.key: d for d in remembered.values()}
        Review.objects.bulk_create([
            Review(finding=f, actor_label=SYSTEM, from_state=Finding.State.PENDING if f.needs_review else Finding.State.CONFIRMED,
                   to_state=Finding.State.DISMISSED,
                   reason=f"沿用此前复核结论：{reasons[f.key].reason}（{reasons[f.key].actor_label}）")
            for f in run.findings.filter(key__in=auto_dismissed, state=Finding.State.DISMISSED)
        ])


# ---------------------------------------------------------------------------
# Scores


def _configured_units(run: Run) -> list[tuple[str, str]]:
    from govwatch.siteconfig import parse_site
    import tomllib

    codes: list[str] = []
    if run.site.config_text:
        try:
            cfg = parse_site(tomllib.loads(run.site.config_text), run.site.config_text, run.site.config_path)
            codes = [u.code for u in cfg.units]
        except Exception:  # the stored copy was valid when stored; fall back to all units
            codes = []
    units = Unit.objects.filter(code__in=codes) if codes else Unit.objects.filter(active=True)
    return [(u.code, u.name) for u in units.order_by("code")]


def recompute_scores(run: Run, *, actor_label: str, reason: str, rulebook: Rulebook | None = None) -> list:
    """Recompute a run's scores from its confirmed findings. Always possible, always the same answer, audited."""
    from govwatch.monitoring.coverage import unmonitored
    from govwatch.scoring import score_run

    rulebook = rulebook or load_rulebook(run.rulebook)
    findings = [
        F.Finding(unit=f.unit.code if f.unit else None, rule=f.rule, points=f.points, needs_review=f.needs_review,
                  url=f.url, column_url=f.column_url, message=f.message, evidence=f.evidence, state=f.state)
        for f in run.findings.select_related("unit")
    ]
    prior = month_bonus_before(run.site, run.as_of, exclude_run=run)
    skip = set(unmonitored(run))  # a unit we could not read is never scored
    units_to_score = [(code, name) for code, name in _configured_units(run) if code not in skip]
    scores = score_run(findings, units_to_score, rulebook, prior_month_bonus=prior, as_of=run.as_of)
    units = {u.code: u for u in Unit.objects.all()}
    with transaction.atomic():
        before = {s.unit.code: s.score for s in run.scores.select_related("unit")}
        run.scores.all().delete()
        Score.objects.bulk_create([
            Score(run=run, unit=units[s.unit], deductions=s.deductions, bonuses=s.bonuses, score=s.score,
                  by_rule=dict(s.by_rule))
            for s in scores
        ])
        ScoreRecomputation.objects.create(run=run, actor_label=actor_label, reason=reason, before=before,
                                          after={s.unit: s.score for s in scores})
    return scores


# ---------------------------------------------------------------------------
# Review


def review_finding(finding: Finding, *, to_state: str, actor=None, actor_label: str | None = None,
                   reason: str = "", recompute: bool = True) -> Finding:
    """Change a finding's state, with an audit row, remembered dismissals and a score recomputation.

    `recompute=False` is for batches (review_findings), which recompute each run once at the end.
    """
    if to_state not in Finding.State.values:
        raise GovwatchError(f"无效的状态：{to_state}")
    if to_state == Finding.State.DISMISSED and not reason.strip():
        raise GovwatchError("排除问题必须填写原因")
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        old = finding.state
        if old == to_state:
            return finding
        finding.state = to_state
        finding.save(update_fields=["state"])
        Review.objects.create(finding=finding, actor=actor, actor_label=label, from_state=old, to_state=to_state,
                              reason=reason)
        if to_state == Finding.State.DISMISSED:
            Dismissal.objects.update_or_create(
                site=finding.run.site, key=finding.key,
                defaults={"rule": finding.rule, "wrong": str(finding.evidence.get("wrong", ""))[:100],
                          "reason": reason, "actor_label": label},
            )
        elif old == Finding.State.DISMISSED:
            Dismissal.objects.filter(site=finding.run.site, key=finding.key).delete()
        if recompute:
            recompute_scores(finding.run, actor_label=label, reason=f"复核：{finding.rule} {old}→{to_state}")
    return finding


def review_findings(changes: Iterable[tuple[Finding, str]], *, actor=None, actor_label: str | None = None,
                    reason: str = "") -> int:
    """Review many findings in one transaction: each change audited, each affected run recomputed once."""
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM)
    changed = 0
    runs: dict[int, Run] = {}
    with transaction.atomic():
        for finding, to_state in changes:
            before = finding.state
            after = review_finding(finding, to_state=to_state, actor=actor, actor_label=label, reason=reason,
                                   recompute=False).state
            if after != before:
                changed += 1
                runs[finding.run_id] = finding.run
        for run in runs.values():
            recompute_scores(run, actor_label=label, reason=f"批量复核：{changed} 条")
    return changed


# ---------------------------------------------------------------------------
# Exports (INTERFACES.md §3 and §4)


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


def findings_export(run: Run) -> list[dict]:
    rows = []
    for f in run.findings.select_related("unit").order_by("unit__code", "rule", "url", "id"):
        rows.append({
            "run": run.pk, "as_of": run.as_of.isoformat(), "unit": f.unit.code if f.unit else None,
            "rule": f.rule, "points": f.points, "state": f.state, "needs_review": f.needs_review,
            "column_url": f.column_url or None, "url": f.url, "evidence": f.evidence, "message": f.message,
        })
    return rows


def scores_export(run: Run) -> list[dict]:
    """INTERFACES.md §4, with each unit's `coverage`. Units not effectively monitored come last,
    with `score`, `deductions` and `bonuses` null: they are not scored and not ranked."""
    from govwatch.monitoring.coverage import unmonitored

    coverage = run.coverage or {}
    rows = [
        {"run": run.pk, "as_of": run.as_of.isoformat(), "unit": s.unit.code, "name": s.unit.name,
         "deductions": s.deductions, "bonuses": s.bonuses, "score": s.score, "by_rule": s.by_rule,
         "coverage": coverage.get(s.unit.code)}
        for s in run.scores.select_related("unit").order_by("-score", "unit__code")
    ]
    names = dict(Unit.objects.values_list("code", "name"))
    rows += [{"run": run.pk, "as_of": run.as_of.isoformat(), "unit": code, "name": names.get(code, code),
              "deductions": None, "bonuses": None, "score": None, "by_rule": {}, "coverage": cov}
             for code, cov in sorted(unmonitored(run).items())]
    return rows
