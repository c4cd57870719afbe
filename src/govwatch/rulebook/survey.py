"""The rulebook's [survey] table: each 附件4 question mapped to the monitored facts that answer it."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class SurveyCheck:
    """How one 是/否 question is checked: see the comment above [survey] in the bundled rulebook."""

    question: str
    rules: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    key_area: bool = False

    @property
    def asks_existence(self) -> bool:
        """Whether the question asks if a kind of column exists (栏目建设情况)."""
        return bool(self.categories) or self.key_area


def parse_survey(raw: Mapping, checker, rule_ids, category_ids) -> Mapping[str, SurveyCheck]:
    table = checker.get(raw, ["survey"], dict, required=False, default={})
    out: dict[str, SurveyCheck] = {}
    for key, body in table.items():
        keys = ["survey", key]
        if not isinstance(body, dict):
            checker.fail(keys, "应为表，如 [survey.upd_news]")
        rules = tuple(checker.get(body, keys + ["rules"], list, required=False, default=[]))
        for rid in rules:
            if rid not in rule_ids:
                checker.fail(keys + ["rules"], f"未知的规则编号 {rid}")
        categories = tuple(checker.get(body, keys + ["categories"], list, required=False, default=[]))
        for cid in categories:
            if cid not in category_ids:
                checker.fail(keys + ["categories"], f"未定义的类别 {cid}")
        key_area = checker.get(body, keys + ["key_area"], bool, required=False, default=False)
        if not (rules or categories or key_area):
            checker.fail(keys, "至少需要 rules、categories 或 key_area 之一")
        out[key] = SurveyCheck(question=key, rules=rules, categories=categories, key_area=key_area)
    return MappingProxyType(out)
