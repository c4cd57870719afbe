"""List-like views over the fact store, for a CrawlResult the crawler built."""

from __future__ import annotations

from typing import Any, Callable, Iterator


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
