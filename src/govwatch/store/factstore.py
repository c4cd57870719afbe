"""The run's fact store: every column, page and link of one crawl, on disk, read back per unit.

A portal of 100,000 pages does not fit comfortably in one process as Python objects
(about 26 KB a page once facts, states and links are built). The assembler writes each
record here as it arrives and keeps nothing of it; publishing then reads one unit at a
time. The store is a SQLite file in the run directory (stdlib `sqlite3`), rebuilt from
`crawl.jsonl` when a crawl is resumed, so it never has to survive a crash itself.

Rows hold the final JSON shape of a record (see `records.py` for the conversions).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from govwatch import facts as F
from govwatch.store.records import (
    column_from_record, column_record, link_from_record, page_from_row, page_row,
)

STORE = "facts.sqlite"
# Rows buffered before one executemany: enough to amortise the call, small enough to stay flat.
# Bytes count too: a template link's row lists every page of the site (megabytes on a large portal).
BATCH = 500
BATCH_BYTES = 4 << 20
# Query parameters per IN (...) clause: below SQLite's historic 999 limit.
CHUNK = 900
ANY = object()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS columns (url TEXT PRIMARY KEY, unit TEXT, rec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, unit TEXT, kind TEXT, status TEXT, rec TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pages_unit ON pages (unit, url);
CREATE TABLE IF NOT EXISTS links (target TEXT PRIMARY KEY, outcome TEXT, rec TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_outcome ON links (outcome);
"""


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class FactStore:
    """Columns, pages and links of one crawl. Last write per key wins (a resumed crawl rewrites records)."""

    def __init__(self, path: str | Path | None = None, *, fresh: bool = True):
        self.path = Path(path) if path is not None else None
        if self.path is not None and fresh and self.path.exists():
            self.path.unlink()
        self._db = sqlite3.connect(str(self.path) if self.path is not None else ":memory:")
        # The file is scratch space rebuilt from crawl.jsonl on resume: durability buys nothing here.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.executescript(_SCHEMA)
        self._pending: dict[str, list[tuple]] = {"columns": [], "pages": [], "links": []}
        self._pending_bytes = {"columns": 0, "pages": 0, "links": 0}

    # -- writing ---------------------------------------------------------------------------

    def put_column(self, rec: dict) -> None:
        self._queue("columns", (rec["url"], rec.get("unit"), _dumps(rec)))

    def put_page(self, row: dict) -> None:
        """`row` is a page in stored form: see `page_row` for its fields."""
        self._queue("pages", (row["url"], row.get("unit"), row["kind"], row["status"], _dumps(row)))

    def put_link(self, rec: dict) -> None:
        self._queue("links", (rec["target"], rec["outcome"], _dumps(rec)))

    def _queue(self, table: str, values: tuple) -> None:
        pending = self._pending[table]
        pending.append(values)
        self._pending_bytes[table] += len(values[-1])
        if len(pending) >= BATCH or self._pending_bytes[table] >= BATCH_BYTES:
            self._flush_table(table)

    def _flush_table(self, table: str) -> None:
        pending = self._pending[table]
        if not pending:
            return
        marks = ",".join("?" * len(pending[0]))
        self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", pending)
        pending.clear()
        self._pending_bytes[table] = 0

    def flush(self) -> None:
        for table in self._pending:
            self._flush_table(table)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    # -- reading ---------------------------------------------------------------------------

    def _where_unit(self, unit) -> tuple[str, tuple]:
        if unit is ANY:
            return "", ()
        if unit is None:
            return " WHERE unit IS NULL", ()
        return " WHERE unit = ?", (unit,)

    def units(self) -> list[str | None]:
        """Every unit with a column or a page, None (unattributed) first when present."""
        self.flush()
        rows = self._db.execute("SELECT DISTINCT unit FROM columns UNION SELECT DISTINCT unit FROM pages").fetchall()
        units = {r[0] for r in rows}
        return ([None] if None in units else []) + sorted(u for u in units if u is not None)

    def count(self, table: str) -> int:
        self.flush()
        return self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def _records(self, table: str, unit) -> Iterator[dict]:
        """One table's records (of one unit, or all), in URL order."""
        self.flush()
        where, args = self._where_unit(unit)
        for (rec,) in self._db.execute(f"SELECT rec FROM {table}{where} ORDER BY url", args):
            yield json.loads(rec)

    def column_records(self, unit=ANY) -> Iterator[dict]:
        return self._records("columns", unit)

    def columns(self, unit=ANY) -> Iterator[F.Column]:
        for rec in self.column_records(unit):
            yield column_from_record(rec)

    def column_owners(self) -> dict[str, tuple[str | None, str]]:
        """Column URL -> (unit, status): small (one entry per column), for link attribution."""
        self.flush()
        out = {}
        for url, unit, rec in self._db.execute("SELECT url, unit, rec FROM columns"):
            out[url] = (unit, json.loads(rec)["status"])
        return out

    def page_rows(self, unit=ANY) -> Iterator[dict]:
        return self._records("pages", unit)

    def pages(self, unit=ANY) -> Iterator[F.Page]:
        for row in self.page_rows(unit):
            yield page_from_row(row)

    def page_owners(self, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None, str]]:
        """Page URL -> (unit, column URL, status) for those of `urls` that are crawled pages."""
        self.flush()
        out = {}
        for chunk in _chunks(sorted(set(urls))):
            marks = ",".join("?" * len(chunk))
            for url, unit, status, rec in self._db.execute(
                    f"SELECT url, unit, status, rec FROM pages WHERE url IN ({marks})", chunk):
                out[url] = (unit, json.loads(rec)["column_url"], status)
        return out

    def link_records(self, outcome=ANY) -> Iterator[dict]:
        self.flush()
        if outcome is ANY:
            cursor = self._db.execute("SELECT rec FROM links ORDER BY target")
        else:
            cursor = self._db.execute("SELECT rec FROM links WHERE outcome = ? ORDER BY target", (outcome,))
        for (rec,) in cursor:
            yield json.loads(rec)

    def links(self, outcome=ANY) -> Iterator[F.LinkCheck]:
        for rec in self.link_records(outcome):
            yield link_from_record(rec)

    def links_for(self, targets: Iterable[str]) -> dict[str, F.LinkCheck]:
        self.flush()
        out = {}
        for chunk in _chunks(sorted(set(targets))):
            marks = ",".join("?" * len(chunk))
            for (rec,) in self._db.execute(f"SELECT rec FROM links WHERE target IN ({marks})", chunk):
                link = link_from_record(json.loads(rec))
                out[link.target] = link
        return out


def store_from_lists(*, columns=(), pages=(), page_states=(), links=(), link_states=()) -> FactStore:
    """An in-memory store for a CrawlResult built from lists (tests, tools): one path for publishing."""
    store = FactStore()
    for column in columns:
        store.put_column(column_record(column))
    states = {s.url: s for s in page_states}
    seen = set()
    for page in pages:
        state = states.get(page.url)
        seen.add(page.url)
        store.put_page(page_row(
            url=page.url, column_url=page.column_url, unit=page.unit, kind=page.kind, status=page.status,
            list_date=page.list_date, first_seen=page.first_seen, facts=page.facts, text_changed=page.text_changed,
            warc=page.warc, reason=page.reason, list_row=state.list_row if state else "",
            etag=state.etag if state else None, last_modified=state.last_modified if state else None,
            text_hash=state.text_hash if state else None, links=state.links if state else (),
            page_type=page.page_type, page_type_signal=page.page_type_signal,
            page_type_confidence=page.page_type_confidence))
    link_checks = {l.target: l for l in links}
    for s in link_states:
        check = link_checks.pop(s.target, None)
        store.put_link({"target": s.target, "kind": check.kind if check else "a", "outcome": s.outcome,
                        "reason": s.reason, "http_status": s.http_status,
                        "carriers": list(check.carriers) if check else [], "warc": check.warc if check else None,
                        "checked_on": F.jsonable(s.checked_on)})
    for check in link_checks.values():
        store.put_link({"target": check.target, "kind": check.kind, "outcome": check.outcome, "reason": check.reason,
                        "http_status": check.http_status, "carriers": list(check.carriers), "warc": check.warc,
                        "checked_on": None})
    store.flush()
    return store
