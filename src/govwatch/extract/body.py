"""Choosing the body container of an article and reading its text without boilerplate."""

from __future__ import annotations

import copy

from govwatch.extract.dom import block_text, drop_boilerplate, inline_text, tag_of
from govwatch.extract.labels import info_tables
from govwatch.extract.patterns import BODY_SELECTORS

MIN_BODY_CHARS = 20
_CANDIDATE_TAGS = ("div", "td", "article", "section", "main", "body", "span", "font", "center")


def _link_chars(el) -> int:
    total = 0
    for a in el.iter("a"):
        total += len(inline_text(a))
    return total


def _score(el) -> float:
    """Text that is not link text, with a bonus for paragraph structure."""
    text = inline_text(el)
    if not text:
        return 0.0
    plain = len(text) - _link_chars(el)
    paragraphs = sum(1 for c in el.iter("p", "br") if c is not el)
    punct = sum(text.count(ch) for ch in "。，；")
    return plain + 5 * paragraphs + 10 * punct


def known_body(root):
    """A body container of a known CMS, or None."""
    for xpath in BODY_SELECTORS:
        try:
            found = root.xpath(xpath)
        except Exception:
            continue
        for el in found:
            if len(inline_text(el)) >= MIN_BODY_CHARS:
                return el
    return None


def densest_block(root):
    """The block whose direct children carry the most non-link prose."""
    best, best_score = None, 0.0
    for el in root.iter(*_CANDIDATE_TAGS):
        # Direct text-bearing children only: score the parent of the paragraphs, not the page wrapper.
        own = 0.0
        for child in el:
            if tag_of(child) in ("p", "br", "span", "font", "strong", "b", "h3", "h4", "ul", "ol", "table", "div", "section"):
                if tag_of(child) in ("div", "table", "section") and len(inline_text(child)) > 2000:
                    continue
                own += _score(child) if tag_of(child) != "br" else 5
        if el.text and el.text.strip():
            own += len(el.text.strip())
        if own > best_score:
            best, best_score = el, own
    return best if best is not None else root


def body_text(root) -> str:
    """Body text of an article page (a cleaned copy; `root` is not modified)."""
    try:
        work = copy.deepcopy(root)
    except Exception:
        work = root
    for table in info_tables(work):
        if table.getparent() is not None:
            table.drop_tree()
    el = known_body(work)
    if el is None:
        drop_boilerplate(work)
        el = densest_block(work)
    try:
        el = copy.deepcopy(el)
        drop_boilerplate(el)
    except Exception:
        pass
    return block_text(el)
