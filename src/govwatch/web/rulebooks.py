"""Rulebooks are parsed TOML; pages need them on every request, so keep each one parsed once per process."""

from __future__ import annotations

from functools import lru_cache

from govwatch.rulebook import Rulebook, load_rulebook


@lru_cache(maxsize=16)
def rulebook_for(name: str) -> Rulebook:
    return load_rulebook(name or "district-2017")


def indicator_of(rulebook: Rulebook, rule_id: str) -> str:
    rule = rulebook.rules.get(rule_id)
    return rule.indicator if rule else rule_id


def rule_title(rulebook: Rulebook, rule_id: str) -> str:
    rule = rulebook.rules.get(rule_id)
    return rule.title if rule else rule_id
