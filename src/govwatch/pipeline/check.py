"""Stage 4: the rulebook's checks over the run's fact store, one unit at a time; typo judging.

Typo judging runs during the crawl (the crawler hands each article's text to `typo_hook` and
drops it); results built in memory, which still carry the text, are judged here instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from govwatch import facts as F
from govwatch.monitoring.models import Dismissal, Run


def judged_for_typos(run: Run, unit: str | None, first_seen: dt.date | None, text_changed: bool) -> bool:
    """error.typo judges a unit's page the first time it is seen and whenever its text changes."""
    return unit is not None and (first_seen is None or first_seen >= run.as_of or text_changed)


def typo_hook(run: Run):
    """The crawler calls this with each article's text as it arrives, then drops the text.

    `hook.settle(typos)`, called once the crawl is over, drops the findings on the
    site's template lines (textcheck/template.py): text repeated across many pages.
    """
    from govwatch.textcheck import get_checker
    from govwatch.textcheck.template import TemplateLines

    whitelist = set(Dismissal.objects.filter(site=run.site, rule="error.typo").exclude(wrong="")
                    .values_list("wrong", flat=True))
    checker = get_checker()
    template = TemplateLines()

    def hook(url: str, unit: str | None, text: str, first_seen: dt.date | None, text_changed: bool):
        if not judged_for_typos(run, unit, first_seen, text_changed):
            return None
        hits = checker.check(text or "", whitelist=whitelist)
        template.note(url, text or "", hits)
        return hits or None

    hook.settle = template.settle
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
    return hook.settle(hits)


def check(started, result, store):
    """Findings of the run (`checks.by_unit.CheckedRun`): unit findings, portal findings, national warnings,
    and each configured unit's coverage. Deductions resting on unsure judgements come back pending."""
    from govwatch.checks.by_unit import check_by_unit
    from govwatch.monitoring.coverage import confirmed_urls

    run = started.run
    typos = result.typos if getattr(result, "typos", None) is not None else find_typos(run, store.pages())
    return check_by_unit(store, started.rulebook, started.calendar, as_of=run.as_of, cycle_start=run.cycle_start,
                         crawled_pages=result.crawled_pages, typos=typos, unverified=list(result.unverified),
                         unit_for_url=started.config.unit_for_url,
                         sections={u.code: tuple(u.sections) for u in started.config.units},
                         confirmed=confirmed_urls(started.config))
