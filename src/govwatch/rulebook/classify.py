"""Classify a column by its name with the rulebook's keyword tables (附件3)."""

from __future__ import annotations

from dataclasses import dataclass

from govwatch.rulebook import Rulebook


@dataclass(frozen=True)
class Classification:
    category: str
    key_area: bool
    expected: str | None
    # 0..1: how sure `category` is (facts.Column.category_confidence).
    confidence: float = 1.0


def classify_column(name: str, rulebook: Rulebook) -> Classification:
    name = (name or "").strip()
    matched = [cid for cid in rulebook.category_order
               if not any(word in name for word in rulebook.categories[cid].exclude)
               and any(word in name for word in rulebook.categories[cid].keywords)]
    category = matched[0] if matched else "other"
    if len(matched) > 1:
        confidence = rulebook.classification.get("ambiguous_category", 1.0)
    elif not matched:
        confidence = rulebook.classification.get("unmatched_category", 1.0)
    else:
        confidence = 1.0
    key_area = any(word in name for word in rulebook.key_area_keywords)
    expected = None
    for fid, exp in rulebook.expected.items():
        if any(word in name for word in exp.keywords):
            expected = fid
            break
    return Classification(category=category, key_area=key_area, expected=expected, confidence=confidence)
