"""The rulebook: every threshold, point value, keyword list and calendar override.

Rules are data. This module loads a rulebook TOML file, validates it against
the schema below and returns an immutable `Rulebook`. Errors name the file,
the line and the field (see `govwatch.lib.errors.ConfigError`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from govwatch.lib.errors import ConfigError, toml_syntax_error
from govwatch.lib.tomlpos import find_line

from .survey import parse_survey

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_RULEBOOK = "district-2017"

# Every rule of shared/spec/INDICATORS.md; a rulebook must carry each of them.
RULE_IDS: tuple[str, ...] = (
    "stale.news",
    "stale.notice",
    "stale.policy",
    "stale.personnel",
    "stale.plan",
    "stale.expected",
    "blank.column",
    "stale.key_area",
    "bonus.news",
    "bonus.notice",
    "consult.unanswered_7d",
    "consult.unanswered_15d",
    "guide.missing_element",
    "guide.form_unavailable",
    "timeliness.news",
    "timeliness.document",
    "error.broken_link",
    "error.typo",
    "error.nonstandard",
    "error.other",
    "error.false_info",
)

CATEGORY_IDS: tuple[str, ...] = (
    "news", "notice", "policy", "personnel", "plan", "profile", "finance",
    "statistics", "consultation", "guide", "key_area", "other",
)
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "yearly")
# [coverage] parameters (all required) and [confidence] judgements (all required).
COVERAGE_KEYS: tuple[str, ...] = ("min_columns_read", "min_read_share", "min_sections_reached_share")
CONFIDENCE_KEYS: tuple[str, ...] = ("list", "category", "unit", "page_type")
# [classification] (optional): how sure a column's category is when its name matches the keywords
# of several categories (the order decides) or of none ("other"). Absent, every name counts as sure.
CLASSIFICATION_KEYS: tuple[str, ...] = ("ambiguous_category", "unmatched_category")
RULE_KINDS = ("state", "event", "manual")

# Parameters each rule needs beyond the common fields, with their types.
_INT = int
_STR = str
_BOOL = bool
_STRLIST = list
_RULE_PARAMS: dict[str, dict[str, type]] = {
    "stale.news": {"category": _STR},
    "stale.notice": {"category": _STR},
    "stale.policy": {"category": _STR},
    "stale.personnel": {"category": _STR},
    "stale.plan": {"category": _STR},
    "blank.column": {"placeholders": _STRLIST},
    "bonus.news": {"category": _STR, "min_items": _INT, "monthly_cap": _INT},
    "bonus.notice": {"category": _STR, "min_items": _INT, "monthly_cap": _INT},
    "consult.unanswered_7d": {"days": _INT, "excused_by_extension": _BOOL, "late_reply": _STR},
    "consult.unanswered_15d": {"days": _INT, "excused_by_extension": _BOOL, "late_reply": _STR},
    "guide.missing_element": {"elements": dict},
    "timeliness.news": {"categories": _STRLIST, "max_delay_days": _INT},
    "timeliness.document": {"categories": _STRLIST, "max_working_days": _INT},
    "error.broken_link": {"template_share": float},
    "error.nonstandard": {"categories": _STRLIST, "doc_number_keywords": _STRLIST, "doc_number_exempt": _STRLIST},
}
_COMMON = {"title": str, "indicator": str, "kind": str, "points": int, "per": str, "needs_review": bool}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expected:
    id: str
    label: str
    keywords: tuple[str, ...]
    months: int
    grace_days: int


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    indicator: str
    kind: str
    points: int
    per: str
    needs_review: bool
    manual: bool = False
    cap: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Rulebook:
    name: str
    title: str
    path: str
    base_score: int
    floor: int
    first_cycle_days: int
    max_list_pages: int
    units: tuple[Unit, ...]
    unknown_year: str
    calendar_days: Mapping[str, str]
    categories: Mapping[str, Category]
    category_order: tuple[str, ...]
    key_area_keywords: tuple[str, ...]
    key_area_default_expected: str
    expected: Mapping[str, Expected]
    rules: Mapping[str, Rule]
    national: Mapping[str, Mapping[str, Any]]
    # [coverage]: when a unit counts as effectively monitored (checks.coverage).
    coverage: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    # [confidence]: judgement -> threshold below which a deduction resting on it goes to review.
    confidence: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    # [classification]: category confidence of an ambiguous or unmatched column name (rulebook.classify).
    classification: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    # 附件4 question key -> how the monitored facts answer it (govwatch.rulebook.survey).
    survey: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def unit_name(self, code: str) -> str | None:
        for unit in self.units:
            if unit.code == code:
                return unit.name
        return None


def resolve_rulebook_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A bundled rulebook name (``district-2017``) or a path to a TOML file."""
    text = str(name_or_path)
    bundled = DATA_DIR / f"{text}.toml"
    if "/" not in text and "\\" not in text and not text.endswith(".toml"):
        return bundled
    path = Path(text)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return path


def load_rulebook(name_or_path: str | Path = DEFAULT_RULEBOOK, relative_to: Path | None = None) -> Rulebook:
    path = resolve_rulebook_path(name_or_path, relative_to)
    if not path.exists():
        bundled = sorted(p.stem for p in DATA_DIR.glob("*.toml") if not p.stem.startswith(("units", "expressions")))
        raise ConfigError(str(path), None, "rulebook", f"规则库不存在（内置规则库：{'、'.join(bundled)}）")
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(path, exc) from None
    return _build(raw, text, path)


class _Checker:
    def __init__(self, text: str, path: Path):
        self.text = text
        self.path = path

    def fail(self, keys: list, message: str):
        line = find_line(self.text, keys)
        raise ConfigError(str(self.path), line, ".".join(str(k) for k in keys), message)

    def get(self, table: Mapping, keys: list, typ: type, required: bool = True, default: Any = None):
        value = table.get(keys[-1], None) if isinstance(table, Mapping) else None
        if value is None:
            if required:
                self.fail(keys, "缺少必填字段")
            return default
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if typ is int and isinstance(value, bool) or not isinstance(value, typ):
            self.fail(keys, f"类型应为 {_type_name(typ)}，实际为 {_type_name(type(value))}")
        return value


def _positive(c: _Checker, table: Mapping, keys: list) -> int:
    value = c.get(table, keys, int)
    if value < 1:
        c.fail(keys, "应为正整数")
    return value


def _type_name(typ: type) -> str:
    return {int: "整数", str: "字符串", bool: "布尔值", list: "数组", dict: "表", float: "数值"}.get(typ, typ.__name__)


def _build(raw: Mapping, text: str, path: Path) -> Rulebook:
    c = _Checker(text, path)
    head = c.get(raw, ["rulebook"], dict)
    units_file = c.get(head, ["rulebook", "units"], str)
    units = _load_units(path.parent / units_file, c)

    cal = raw.get("calendar", {})
    unknown_year = c.get(cal, ["calendar", "unknown_year"], str, required=False, default="weekends")
    if unknown_year not in ("weekends", "error"):
        c.fail(["calendar", "unknown_year"], "只能是 weekends 或 error")
    days = c.get(cal, ["calendar", "days"], dict, required=False, default={})
    for day, value in days.items():
        if value not in ("off", "work"):
            c.fail(["calendar", "days", day], "只能是 off（放假）或 work（调休上班）")
        _parse_iso(day, c, ["calendar", "days", day])

    cats_raw = c.get(raw, ["categories"], dict)
    order = tuple(c.get(cats_raw, ["categories", "order"], list))
    categories: dict[str, Category] = {}
    for cid, body in cats_raw.items():
        if cid == "order":
            continue
        if cid not in CATEGORY_IDS:
            c.fail(["categories", cid], f"未知的栏目类别（可用：{', '.join(CATEGORY_IDS)}）")
        categories[cid] = Category(
            id=cid,
            label=c.get(body, ["categories", cid, "label"], str),
            keywords=tuple(c.get(body, ["categories", cid, "keywords"], list)),
            exclude=tuple(c.get(body, ["categories", cid, "exclude"], list, required=False, default=[])),
        )
    for cid in order:
        if cid not in categories:
            c.fail(["categories", "order"], f"类别 {cid} 未定义")

    ka = c.get(raw, ["key_area"], dict)
    expected_raw = c.get(raw, ["expected"], dict)
    expected: dict[str, Expected] = {}
    for fid, body in expected_raw.items():
        if fid not in FREQUENCIES:
            c.fail(["expected", fid], f"未知的更新频率（可用：{', '.join(FREQUENCIES)}）")
        expected[fid] = Expected(
            id=fid,
            label=c.get(body, ["expected", fid, "label"], str),
            keywords=tuple(c.get(body, ["expected", fid, "keywords"], list)),
            months=c.get(body, ["expected", fid, "months"], int),
            grace_days=c.get(body, ["expected", fid, "grace_days"], int),
        )
    default_expected = c.get(ka, ["key_area", "default_expected"], str)
    if default_expected not in expected:
        c.fail(["key_area", "default_expected"], f"未定义的更新频率 {default_expected}")

    rules_raw = c.get(raw, ["rules"], dict)
    rules: dict[str, Rule] = {}
    for rid in RULE_IDS:
        if rid not in rules_raw:
            c.fail(["rules"], f"缺少规则 {rid}")
    for rid, body in rules_raw.items():
        if rid not in RULE_IDS:
            c.fail(["rules", rid], "未知的规则编号（见 INDICATORS.md）")
        common = {k: c.get(body, ["rules", rid, k], t) for k, t in _COMMON.items()}
        if common["kind"] not in RULE_KINDS:
            c.fail(["rules", rid, "kind"], f"只能是 {' / '.join(RULE_KINDS)}")
        params = {}
        for k, t in _RULE_PARAMS.get(rid, {}).items():
            params[k] = c.get(body, ["rules", rid, k], t)
        for k, v in body.items():
            if k not in _COMMON and k not in ("manual", "cap"):
                params.setdefault(k, v)
        if rid.startswith("stale.") and rid in _RULE_PARAMS:
            if "max_age_days" not in body and "max_age_months" not in body:
                c.fail(["rules", rid], "需要 max_age_days 或 max_age_months")
            if params["category"] not in categories:
                c.fail(["rules", rid, "category"], f"未定义的类别 {params['category']}")
        if rid.startswith("consult.") and params["late_reply"] not in ("cycle", "always"):
            c.fail(["rules", rid, "late_reply"], "只能是 cycle 或 always")
        if rid == "error.typo" and "confidence_floor" in body:
            floor = c.get(body, ["rules", rid, "confidence_floor"], float)
            if not 0.0 <= floor <= 1.0:
                c.fail(["rules", rid, "confidence_floor"], "应在 0 到 1 之间")
            params["confidence_floor"] = floor
        rules[rid] = Rule(
            id=rid,
            manual=bool(body.get("manual", False)),
            cap=c.get(body, ["rules", rid, "cap"], int, required=False),
            params=MappingProxyType(params),
            **common,
        )

    national = {k: MappingProxyType(dict(v)) for k, v in raw.get("national", {}).items() if isinstance(v, dict)}

    cov_raw = c.get(raw, ["coverage"], dict)
    coverage = {}
    for key in COVERAGE_KEYS:
        value = c.get(cov_raw, ["coverage", key], float)
        if value < 0 or (key != "min_columns_read" and value > 1):
            c.fail(["coverage", key], "应为 0 到 1 之间的比例" if key != "min_columns_read" else "不能为负数")
        coverage[key] = value
    conf_raw = c.get(raw, ["confidence"], dict)
    confidence = {}
    for key in CONFIDENCE_KEYS:
        value = c.get(conf_raw, ["confidence", key], float)
        if not 0 <= value <= 1:
            c.fail(["confidence", key], "应为 0 到 1 之间的数值")
        confidence[key] = value
    cls_raw = c.get(raw, ["classification"], dict, required=False, default={})
    classification = {}
    for key in CLASSIFICATION_KEYS:
        value = c.get(cls_raw, ["classification", key], float, required=False, default=1.0)
        if not 0 <= value <= 1:
            c.fail(["classification", key], "应为 0 到 1 之间的数值")
        classification[key] = value

    return Rulebook(
        name=c.get(head, ["rulebook", "name"], str),
        title=c.get(head, ["rulebook", "title"], str),
        path=str(path),
        base_score=c.get(head, ["rulebook", "base_score"], int),
        floor=c.get(head, ["rulebook", "floor"], int),
        first_cycle_days=c.get(head, ["rulebook", "first_cycle_days"], int),
        max_list_pages=_positive(c, head, ["rulebook", "max_list_pages"]),
        units=units,
        unknown_year=unknown_year,
        calendar_days=MappingProxyType(dict(days)),
        categories=MappingProxyType(categories),
        category_order=order,
        key_area_keywords=tuple(c.get(ka, ["key_area", "keywords"], list)),
        key_area_default_expected=default_expected,
        expected=MappingProxyType(expected),
        rules=MappingProxyType(rules),
        national=MappingProxyType(national),
        coverage=MappingProxyType(coverage),
        confidence=MappingProxyType(confidence),
        classification=MappingProxyType(classification),
        survey=parse_survey(raw, c, RULE_IDS, categories),
    )


def _parse_iso(day: str, c: _Checker, keys: list):
    import datetime as _dt

    try:
        return _dt.date.fromisoformat(day)
    except ValueError:
        c.fail(keys, "日期格式应为 YYYY-MM-DD")


def _load_units(path: Path, c: _Checker) -> tuple[Unit, ...]:
    if not path.exists():
        c.fail(["rulebook", "units"], f"单位表文件不存在：{path}")
    text = path.read_text(encoding="utf-8")
    uc = _Checker(text, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(str(path), exc) from None
    units = []
    seen = set()
    for i, row in enumerate(uc.get(raw, ["units"], list)):
        code = uc.get(row, ["units", i, "code"], str)
        if not (len(code) == 4 and code.isdigit()):
            uc.fail(["units", i, "code"], "机关编码应为4位数字字符串，如 \"0107\"")
        if code in seen:
            uc.fail(["units", i, "code"], f"机关编码重复：{code}")
        seen.add(code)
        units.append(Unit(code=code, name=uc.get(row, ["units", i, "name"], str).strip()))
    return tuple(units)
