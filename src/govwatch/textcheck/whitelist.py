"""A site's dismissed typos (its learnable whitelist)."""

from __future__ import annotations

from collections.abc import Iterable

from govwatch.facts import TypoHit


class Whitelist:
    """Dismissed typos of one site: plain wrong strings, or (wrong, context) pairs.

    A (wrong, None) pair or a plain string suppresses that wrong form anywhere;
    (wrong, context) suppresses it only where `context` occurs around the hit.
    """

    def __init__(self, entries: Iterable[str | tuple[str, str | None]] | None = None):
        self.anywhere: set[str] = set()
        self.in_context: dict[str, list[str]] = {}
        for entry in entries or ():
            if isinstance(entry, str):
                self.anywhere.add(entry)
            else:
                wrong, context = entry
                if context:
                    self.in_context.setdefault(wrong, []).append(context)
                else:
                    self.anywhere.add(wrong)

    def __bool__(self) -> bool:
        return bool(self.anywhere or self.in_context)

    def allows(self, hit: TypoHit, text: str) -> bool:
        """True when the hit was dismissed before."""
        if hit.wrong in self.anywhere:
            return True
        for context in self.in_context.get(hit.wrong, ()):
            lo = max(0, hit.start - len(context))
            if context in text[lo: hit.end + len(context)]:
                return True
        return False
