"""What every rule function shares: the rulebook, the working-day calendar and
indexes over one run's facts, plus the helpers that turn a measurement into a
`Finding`. Pure: no framework, no network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from govwatch.facts import OK, ArticleFacts, Column, Finding, LinkCheck, Page, RunFacts, as_date
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import Rule, Rulebook

# A rule function: (facts, rule, ctx) -> findings.
RuleCheck = Callable[[RunFacts, Rule, "CheckContext"], "list[Finding]"]


@dataclass
class FactsIndex:
    """Lookups over one RunFacts, built once per run and shared by every rule."""

    columns: dict[str, Column]  # column URL -> column
    pages: dict[str, Page]  # page URL -> page (first by column URL when listed twice)
    links: dict[str, LinkCheck]  # target URL -> link check
    list_dates: dict[str, dt.date]  # item URL -> its date on a list page (columns in URL order)

    @classmethod
    def build(cls, facts: RunFacts) -> "FactsIndex":
        columns: dict[str, Column] = {}
        for column in facts.columns:
            columns.setdefault(column.url, column)
        pages: dict[str, Page] = {}
        # Sorting first makes the choice of a page listed in two columns independent of crawl order.
        for page in sorted(facts.pages, key=lambda p: (p.url, p.column_url)):
            pages.setdefault(page.url, page)
        links: dict[str, LinkCheck] = {}
        for link in facts.links:
            links.setdefault(link.target, link)
        list_dates: dict[str, dt.date] = {}
        for url in sorted(columns):
            for entry in columns[url].items:
                if entry.url and entry.date is not None:
                    list_dates.setdefault(entry.url, entry.date)
        return cls(columns=columns, pages=pages, links=links, list_dates=list_dates)


@dataclass
class CheckContext:
    """Carried into every rule function. `calendar` judges working days (调休 included)."""

    rulebook: Rulebook
    calendar: WorkCalendar
    _indexes: dict[int, tuple[RunFacts, FactsIndex]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_rulebook(cls, rulebook: Rulebook, calendar: WorkCalendar | None = None) -> "CheckContext":
        return cls(rulebook=rulebook, calendar=calendar or WorkCalendar.from_rulebook(rulebook))

    def index(self, facts: RunFacts) -> FactsIndex:
        cached = self._indexes.get(id(facts))
        # Keep the facts object alive with its index so that id() cannot be reused.
        if cached is None or cached[0] is not facts:
            cached = (facts, FactsIndex.build(facts))
            self._indexes[id(facts)] = cached
        return cached[1]

    def category_label(self, category: str) -> str:
        cat = self.rulebook.categories.get(category)
        return cat.label if cat else category


# ---------------------------------------------------------------------------
# Shared readings of docs/rules.md


def in_cycle(day: dt.date | None, facts: RunFacts) -> bool:
    """The cycle is (C, A]: after the previous run's as-of date, up to and including this one."""
    return day is not None and facts.cycle_start < day <= facts.as_of


def item_date(url: str, list_date: dt.date | None, index: FactsIndex) -> dt.date | None:
    """An item's date: its article page's publish date; the list page's date when the article was not fetched."""
    page = index.pages.get(url)
    if page is not None and page.status == OK and isinstance(page.facts, ArticleFacts):
        published = as_date(page.facts.published_at)
        if published is not None:
            return published
    if page is not None and page.list_date is not None and list_date is None:
        return page.list_date
    return list_date


def page_date(page: Page, index: FactsIndex) -> dt.date | None:
    """The publish date of a fetched page, falling back to the list date it was found under."""
    return item_date(page.url, page.list_date or index.list_dates.get(page.url), index)


def judged_pages(facts: RunFacts, index: FactsIndex, kind: str, fact_type: type) -> list[Page]:
    """Fetched, attributed pages of one kind, once per URL, in URL order.

    Unverified pages and unattributed pages are never judged (docs/rules.md)."""
    chosen = []
    for page in index.pages.values():
        if page.status != OK or page.unit is None or page.kind != kind or not isinstance(page.facts, fact_type):
            continue
        chosen.append(page)
    return sorted(chosen, key=lambda p: p.url)


def page_title(page: Page) -> str:
    title = getattr(page.facts, "title", None)
    return (title or "").strip() or page.url


def make_finding(rule: Rule, *, unit: str, url: str, column_url: str | None, message: str,
                 evidence: dict[str, Any], warc: str | None = None) -> Finding:
    """A finding with the rule's points; findings that need a human start `pending`."""
    evidence = dict(evidence)
    if warc:
        evidence["warc"] = warc
    return Finding(
        unit=unit, rule=rule.id, points=rule.points, needs_review=rule.needs_review, url=url,
        column_url=column_url, message=message, evidence=evidence,
        state="pending" if rule.needs_review else "confirmed",
    )


def iso(day: dt.date | dt.datetime | None) -> str | None:
    day = as_date(day)
    return day.isoformat() if day is not None else None
