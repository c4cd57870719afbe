"""A site's template, learnt from one run's pages: lines that repeat on many pages are not content.

Navigation, pagination bars, footers and sidebars that the extractor leaves in
a page's text repeat, line for line, across the pages of a site. The checker
judges each line on its own and deterministically, so a template line that
draws a finding draws the same finding on every page that carries it. Counting
the pages on which each finding's line recurs therefore finds the template
lines that matter without holding every line of the run: only lines with a
finding are remembered, and only by a short digest.

Lines are compared after normalisation: whitespace dropped and digits made
equal, so that 共8页 当前第3页 and 共12页 当前第4页 are one template line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from govwatch.textcheck.skipping import LEXICON

MIN_PAGES = int(LEXICON["template"]["min_pages"])
_SPACE_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"[0-9０-９]+")


def line_key(line: str) -> bytes:
    """Digest of a line with whitespace removed and digit runs replaced by one 0."""
    norm = _DIGITS_RE.sub("0", _SPACE_RE.sub("", line))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).digest()


def lines_of_hits(text: str, hits: Iterable) -> list[bytes]:
    """The line key of each hit (hits carry offsets into `text`)."""
    keys = []
    for hit in hits:
        lo = text.rfind("\n", 0, hit.start) + 1
        hi = text.find("\n", hit.end)
        keys.append(line_key(text[lo: hi if hi != -1 else len(text)]))
    return keys


class TemplateLines:
    """Feed `note(url, text, hits)` per judged page; `settle(typos)` drops findings on template lines."""

    def __init__(self, min_pages: int | None = None):
        self.min_pages = MIN_PAGES if min_pages is None else min_pages
        self._pages: dict[bytes, set[str]] = {}  # line key -> pages whose findings sit on that line
        self._keys: dict[str, list[bytes]] = {}  # page -> line key of each of its hits, in order

    def note(self, url: str, text: str, hits: list | None) -> None:
        if not hits:
            self._keys.pop(url, None)
            return
        keys = lines_of_hits(text, hits)
        self._keys[url] = keys  # a resumed crawl may feed a page again: the last one counts
        for key in keys:
            self._pages.setdefault(key, set()).add(url)

    def is_template(self, key: bytes) -> bool:
        return len(self._pages.get(key, ())) >= self.min_pages

    def settle(self, typos: dict[str, list]) -> dict[str, list]:
        """`typos` without the hits on template lines (pages left with none are dropped)."""
        out = {}
        for url, hits in typos.items():
            keys = self._keys.get(url)
            if keys is None or len(keys) != len(hits):
                out[url] = hits  # not seen through note(): nothing known about its lines
                continue
            kept = [hit for hit, key in zip(hits, keys) if not self.is_template(key)]
            if kept:
                out[url] = kept
        return out

    def template_lines(self) -> int:
        """How many distinct finding lines were found to be template (for the run's report)."""
        return sum(1 for pages in self._pages.values() if len(pages) >= self.min_pages)
