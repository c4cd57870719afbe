"""Stage 3: the run's fact store, and its copy into the run's rows when the run is published.

The crawler writes the store as it goes (`govwatch.store`); this stage hands it to the
checks and, inside the publishing transaction, copies it into `ColumnState`, `PageFact` and
`LinkResult` rows in bounded batches.
"""

from __future__ import annotations

import datetime as dt

from govwatch.monitoring.models import ColumnState, LinkResult, PageFact, Run
from govwatch.store import column_from_record, store_from_lists


def fact_store(result):
    """The crawl's fact store; results built in memory (tests, tools) get an in-memory one."""
    if getattr(result, "store", None) is not None:
        return result.store
    return store_from_lists(columns=result.columns, pages=result.pages, page_states=result.page_states,
                            links=result.links, link_states=result.link_states)


def store_facts(run: Run, store) -> list[str]:
    """Copy the fact store into the run's rows, in batches. Returns the unattributed column URLs."""
    run.column_states.all().delete()
    run.page_facts.all().delete()
    run.link_results.all().delete()
    unattributed = _store_columns(run, store)
    _store_pages(run, store)
    _store_links(run, store)
    return sorted(unattributed)


def _store_columns(run: Run, store) -> list[str]:
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
    return unattributed


def _store_pages(run: Run, store) -> None:
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


def _store_links(run: Run, store) -> None:
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


def _iso_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date or datetime string from stored facts."""
    return dt.date.fromisoformat(value[:10]) if value else None
