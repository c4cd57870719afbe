"""What one crawl of a site returns to the monitoring service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from govwatch.lib.errors import GovwatchError
from govwatch.facts import Column, LinkCheck, Page, PreviousLink, PreviousPage


class StoredSequence:
    """A read-only sequence over the fact store: iterating streams rows, nothing is cached.

    `len()` and truth are one COUNT query. Indexing materialises the whole list, which is
    for tests and small sites; the monitoring service reads the store per unit instead.
    """

    def __init__(self, iterate: Callable[[], Iterator[Any]], count: Callable[[], int]):
        self._iterate = iterate
        self._count = count

    def __iter__(self) -> Iterator[Any]:
        return iter(self._iterate())

    def __len__(self) -> int:
        return self._count()

    def __bool__(self) -> bool:
        return self._count() > 0

    def __getitem__(self, index):
        return list(self._iterate())[index]

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, StoredSequence)) else NotImplemented

    __hash__ = None  # mutable view: unhashable, like a list


@dataclass
class CrawlResult:
    columns: list[Column] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    links: list[LinkCheck] = field(default_factory=list)
    crawled_pages: int = 0
    unverified: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    requests: int = 0  # HTTP requests made this run, robots.txt and link checks included
    page_states: list[PreviousPage] = field(default_factory=list)
    link_states: list[PreviousLink] = field(default_factory=list)
    warc_files: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # Chinese, for the run report
    # Typo hits per page URL, when crawl_site was given a text_hook (article text is then not kept).
    typos: dict | None = None
    # The run's fact store (crawl.staging.FactStore) when the crawler built this result: the lists
    # above are then StoredSequence views of it. None for results built in memory (tests).
    store: Any = None


class CrawlError(GovwatchError):
    """The crawl process itself failed (not a site problem)."""
