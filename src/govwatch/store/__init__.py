"""The fact store: the contract between the crawler and everything after it.

The crawler (`crawl/`) writes every column, page and link of a run here as records arrive;
the checks (`checks/by_unit.py`), publishing and typo judging (`pipeline/`) read it back one
unit at a time. Pure: stdlib `sqlite3` and `facts`, no Django, no Scrapy.

- `factstore.py`: the SQLite-backed `FactStore` and an in-memory one built from lists;
- `records.py`: a record's stored (JSON) form and back to `facts` dataclasses;
- `sequence.py`: list-like views over the store for a `CrawlResult`.
"""

from govwatch.store.factstore import ANY, STORE, FactStore, store_from_lists
from govwatch.store.records import (
    column_from_record, column_record, link_from_record, link_state_from_record, page_from_row, page_row,
    state_from_row,
)
from govwatch.store.sequence import StoredSequence

__all__ = [
    "ANY", "STORE", "FactStore", "store_from_lists", "StoredSequence", "column_from_record", "column_record",
    "link_from_record", "link_state_from_record", "page_from_row", "page_row", "state_from_row",
]
