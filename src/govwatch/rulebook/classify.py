"""Classify a column by its name with the rulebook's keyword tables (附件3)."""

from __future__ import annotations

from dataclasses import dataclass

from govwatch.rulebook import Rulebook


@dataclass(frozen=True)
class Classification:
    category: str
    key_area: bool
    expected: str | None


def classify_column(name: str, rulebook: Rulebook) -> Classification:
    name = (name or "").strip()
    category = "other"
    for cid in rulebook.category_order:
        cat = rulebook.categories[cid]
        if any(word in name for word in cat.exclude):
            continue
        if any(word in name for word in cat.keywords):
            category = cid
            break
    key_area = any(word in name for word in rulebook.key_area_keywords)
    expected = None
    for fid, exp in rulebook.expected.items():
        if any(word in name for word in exp.keywords):
            expected = fid
            break
    return Classification(category=category, key_area=key_area, expected=expected)
