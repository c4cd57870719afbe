"""What one crawl of a site returns to the monitoring service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govwatch.lib.errors import GovwatchError
from govwatch.facts import Column, LinkCheck, Page, PreviousLink, PreviousPage


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
    # The run's fact store (store.FactStore) when the crawler built this result: the lists
    # above are then StoredSequence views of it. None for results built in memory (tests).
    store: Any = None


class CrawlError(GovwatchError):
    """The crawl process itself failed (not a site problem)."""
