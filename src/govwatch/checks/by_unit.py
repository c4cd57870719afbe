"""Checking a large run one unit at a time.

`run_checks` takes one `RunFacts` holding everything. For a 100,000-page portal that is
more memory than a monitor should need, and every rule but one only ever looks at one
unit's columns and pages. `check_by_unit` reads the run's fact store (`govwatch.store`) one
unit at a time and gives each unit's `RunFacts` to the same rule functions, so the
readings in docs/rules.md are unchanged. The exception is error.broken_link, whose
attribution looks across units (which unit's page carries a target, whether a target is a
site-wide template link); that is settled here first, over the broken targets only, and
each unit then gets its share of the carriers with the site-wide count kept in
`LinkCheck.carrier_count`.

Pure: the store is any object with the `FactStore` reading methods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from govwatch.facts import OK, Finding, GuideFacts, LinkCheck, RunFacts, TypoHit
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import Rulebook

from . import errors, finding_sort_key, portal_findings, run_checks
from .confidence import route_low_confidence
from .coverage import UnitCoverage, unit_coverage
from .national import NationalWarnings


@dataclass
class CheckedRun:
    findings: list[Finding]  # unit findings, in `finding_sort_key` order
    portal: list[Finding]  # template links, charged to nobody
    national: list[dict]
    coverage: dict[str, UnitCoverage] = field(default_factory=dict)  # configured unit -> its coverage


@dataclass
class _Attribution:
    links: dict[str | None, list[LinkCheck]]  # unit -> its broken targets, carriers cut to its own
    page_units: dict[str | None, dict[str, str]]  # unit -> carriers that are neither pages nor columns
    broken: list[LinkCheck]  # every broken target with all its carriers (for the portal's template links)


def _attribute_broken_links(store, facts: RunFacts, rulebook: Rulebook,
                            unit_for_url: Callable[[str], str | None]) -> _Attribution:
    """Which unit carries each broken target: the same reading as errors._carrier_owner."""
    rule = rulebook.rules.get("error.broken_link")
    columns = store.column_owners()
    out = _Attribution(links={}, page_units={}, broken=[])
    # Carrier URL -> its page's owner, None when it is not a crawled page. Reading an owner
    # decodes the page's stored record (megabytes for a big page), so each page is read once
    # however many broken targets it carries: 50,000 on one page made the run stall.
    owners: dict[str, tuple | None] = {}
    for link in store.links(outcome=errors.BROKEN):
        link = replace(link, carrier_count=len(set(link.carriers)))
        out.broken.append(link)
        if rule is None or errors.is_template_link(link, facts, rule):
            continue
        unknown = [c for c in set(link.carriers) if c not in owners]
        if unknown:
            found = store.page_owners(unknown)
            owners.update((c, found.get(c)) for c in unknown)
        pages = {c: owners[c] for c in link.carriers if owners[c] is not None}
        by_unit: dict[str, list[str]] = {}
        for carrier in sorted(set(link.carriers)):
            if carrier in pages:
                unit, _column, status = pages[carrier]
                unit = unit if status == OK else None
            elif carrier in columns:
                unit, status = columns[carrier]
                unit = unit if status == OK else None
            else:
                unit = unit_for_url(carrier)
                if unit is not None:
                    out.page_units.setdefault(unit, {})[carrier] = unit
            if unit is not None:
                by_unit.setdefault(unit, []).append(carrier)
        for unit, carriers in by_unit.items():
            out.links.setdefault(unit, []).append(replace(link, carriers=tuple(carriers)))
    return out


def _unit_links(store, unit, pages, attribution: _Attribution) -> list[LinkCheck]:
    """The unit's broken targets, plus the check result of every form its guides link to."""
    links = {link.target: link for link in attribution.links.get(unit, ())}
    forms = {form.url for page in pages if isinstance(page.facts, GuideFacts)
             for form in page.facts.forms if form.url and form.url not in links}
    for target, link in store.links_for(forms).items():
        # Only the outcome matters to guide.form_unavailable; carriers stay with their owners.
        links[target] = replace(link, carriers=(), carrier_count=len(set(link.carriers)))
    return list(links.values())


def check_by_unit(store, rulebook: Rulebook, calendar: WorkCalendar, *, as_of: dt.date, cycle_start: dt.date,
                  crawled_pages: int, typos: dict[str, list[TypoHit]], unverified: list[tuple[str, str]],
                  unit_for_url: Callable[[str], str | None], sections: Mapping[str, Sequence[str]] | None = None,
                  confirmed: frozenset[str] | set[str] = frozenset()) -> CheckedRun:
    """Every finding, template link and national warning of the run in `store`, one unit in memory at a time.

    `sections` (configured unit -> its section roots) asks for each configured unit's coverage;
    `confirmed` holds the URLs of office-confirmed columns (never routed to review for doubt)."""
    site = RunFacts(as_of=as_of, cycle_start=cycle_start, columns=[], pages=[], links=[],
                    crawled_pages=crawled_pages, unverified=list(unverified))
    attribution = _attribute_broken_links(store, site, rulebook, unit_for_url)
    portal = portal_findings(replace(site, links=attribution.broken), rulebook)
    national = NationalWarnings(rulebook)
    findings: list[Finding] = []
    sections = sections or {}
    coverage: dict[str, UnitCoverage] = {}
    for unit in store.units():
        columns = list(store.columns(unit))
        pages = list(store.pages(unit))
        urls = {page.url for page in pages}
        facts = replace(site, columns=columns, pages=pages, links=_unit_links(store, unit, pages, attribution),
                        typos={url: hits for url, hits in typos.items() if url in urls},
                        page_units=dict(attribution.page_units.get(unit, {})))
        findings.extend(route_low_confidence(run_checks(facts, rulebook, calendar), columns, pages, rulebook,
                                             confirmed))
        national.add(facts)
        if unit in sections:
            coverage[unit] = unit_coverage(unit, sections[unit], columns, pages, unverified, rulebook)
    for unit in sections:
        if unit not in coverage:  # nothing of the unit was found at all: the case coverage exists for
            coverage[unit] = unit_coverage(unit, sections[unit], (), (), unverified, rulebook)
    findings.sort(key=finding_sort_key)
    return CheckedRun(findings=findings, portal=portal, national=national.result(),
                      coverage=dict(sorted(coverage.items())))
