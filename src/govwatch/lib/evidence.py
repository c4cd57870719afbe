"""Evidence as a person reads it: every field labelled and typed, never a raw programmer value.

A finding's evidence is a dict the checks fill (see `checks/*.py`). The web
pages, the Excel sheets, the Word reports and the mails all render it through
`present`, so a key gets one Chinese label everywhere, a boolean reads 是/否,
a date has one spelling per medium, a category shows its rulebook label, and
internal values (archive pointers, text offsets) never reach a reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping

# How a field's value is written. Each kind is one function below.
TEXT, DATE, BOOL, COUNT, DAYS, WORKDAYS, LIST, URL, URLS, CATEGORY, FREQUENCY, KIND, PERCENT, STATUS = (
    "text", "date", "bool", "count", "days", "workdays", "list", "url", "urls", "category", "frequency", "kind",
    "percent", "status")


@dataclass(frozen=True)
class Spec:
    label: str
    kind: str = TEXT
    none: str = "无"  # what an empty value means for this field


# Every key a check, a manual entry or a re-check writes; tests/lib/test_evidence.py
# walks the checks' source and fails on a key missing here.
FIELDS: dict[str, Spec] = {
    # broken links
    "target": Spec("失效地址", URL),
    "http_status": Spec("HTTP 状态码", STATUS, none="无响应"),
    "reason": Spec("原因"),
    "carriers": Spec("出现页面", URLS),
    "kind": Spec("类型", KIND),
    "template": Spec("门户公共模板", BOOL),
    "share": Spec("出现页面占比", PERCENT),
    # typos and wrong expressions
    "wrong": Spec("错误文字"),
    "right": Spec("应为"),
    "context": Spec("原文"),
    "confidence": Spec("把握程度", PERCENT),
    # non-standard items
    "missing": Spec("缺少", LIST),
    "doc_number": Spec("文号", none="未找到"),
    # service guides
    "element": Spec("缺失要素"),
    "synonyms": Spec("可接受的写法", LIST),
    "form": Spec("表格/附件"),
    "form_url": Spec("下载地址", URL),
    # stale and blank columns
    "category": Spec("栏目类别", CATEGORY, none="未分类"),
    "newest_item_date": Spec("最新信息日期", DATE),
    "days": Spec("未更新天数", DAYS),
    "threshold": Spec("更新要求"),
    "deadline": Spec("应更新截止", DATE),
    "key_area": Spec("重点领域", BOOL),
    "expected": Spec("应更新频率", FREQUENCY, none="未规定"),
    "items": Spec("列表信息条数", COUNT),
    "placeholder": Spec("页面显示"),
    # timeliness
    "published": Spec("发布日期", DATE),
    "published_at": Spec("发布日期", DATE),
    "event_date": Spec("事件日期", DATE, none="未找到"),
    "signature_date": Spec("落款日期", DATE, none="未找到"),
    "signature_source": Spec("日期来源", none="未找到"),
    "working_days": Spec("相隔工作日", WORKDAYS, none="无法计算"),
    "max_working_days": Spec("工作日上限", WORKDAYS),
    "delay_days": Spec("相隔天数", DAYS),
    "max_delay_days": Spec("天数上限", DAYS),
    # consultations
    "asked": Spec("提问日期", DATE),
    "asked_at": Spec("提问日期", DATE),
    "answered": Spec("答复日期", DATE, none="未答复"),
    "answered_at": Spec("答复日期", DATE, none="未答复"),
    "extension": Spec("申请延期", BOOL),
    "status": Spec("办理状态", none="未标明"),
    "limit_days": Spec("答复时限", DAYS),
    # bonuses
    "date": Spec("日期", DATE),
    "count": Spec("数量", COUNT),
    # deductions held for review because a judgement was unsure (checks.confidence)
    "review_reason": Spec("转人工复核原因"),
    # manual findings
    "entered_by": Spec("录入人"),
    "note": Spec("说明"),
    "title": Spec("标题"),
    "url": Spec("地址", URL),
}

# Internal values: an archive pointer is replaced by the page's title and address
# (which the finding carries), offsets into extracted text mean nothing to a reader.
# `low_confidence` is the structured form of `review_reason`, which says the same in Chinese;
# `target_warc` is a broken link target's own record, beside the carrying page's snapshot.
HIDDEN = frozenset({"warc", "target_warc", "start", "end", "low_confidence"})

_ORDER = {key: i for i, key in enumerate(FIELDS)}

KIND_NAMES = {"a": "链接", "img": "图片", "attachment": "附件", "typo": "错别字", "expression": "表述错误"}
MAX_LISTED = 10


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    text: str
    url: str | None = None  # set when the value is one address a reader may open


def iso_date(day: dt.date) -> str:
    return day.isoformat()


def cn_date(day: dt.date) -> str:
    """2026年11月17日: the spelling of documents and mails."""
    return f"{day.year}年{day.month}月{day.day}日"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _label_of(table: Mapping | None, key: Any) -> str | None:
    item = (table or {}).get(key)
    return getattr(item, "label", item) if item is not None else None


def _text(value: Any, spec: Spec, date_text: Callable[[dt.date], str], rulebook: Any) -> str:
    if value is None or value == "" or value == []:
        return spec.none
    kind = spec.kind
    if kind == BOOL or isinstance(value, bool):
        return "是" if value else "否"
    if kind == DATE:
        day = _as_date(value)
        return date_text(day) if day else str(value)
    if kind == DAYS:
        return f"{value} 天"
    if kind == WORKDAYS:
        return f"{value} 个工作日"
    if kind == COUNT:
        return f"{value} 条"
    if kind == PERCENT and isinstance(value, (int, float)):
        return f"{value * 100:.0f}%" if value <= 1 else f"{value:.0f}%"
    if kind == STATUS:
        return f"HTTP {value}"
    if kind == CATEGORY:
        return _label_of(getattr(rulebook, "categories", None), value) or ("其他" if value == "other" else str(value))
    if kind == FREQUENCY:
        return _label_of(getattr(rulebook, "expected", None), value) or str(value)
    if kind == KIND:
        return KIND_NAMES.get(value, str(value))
    if kind == URLS and isinstance(value, (list, tuple)):
        shown = "；".join(str(v) for v in value[:3])
        return f"{len(value)} 个页面：{shown}" + ("……" if len(value) > 3 else "")
    if isinstance(value, (list, tuple)):
        shown = "、".join(_text(v, Spec(spec.label), date_text, rulebook) for v in value[:MAX_LISTED])
        return shown + ("……" if len(value) > MAX_LISTED else "")
    if isinstance(value, dict):
        return "；".join(f"{label_for(k)}：{_text(v, FIELDS.get(k, Spec(k)), date_text, rulebook)}"
                        for k, v in value.items() if k not in HIDDEN)
    return str(value)


def label_for(key: str) -> str:
    spec = FIELDS.get(key)
    return spec.label if spec else key


def present(evidence: Mapping | None, *, rulebook: Any = None,
            date_text: Callable[[dt.date], str] = iso_date) -> list[Field]:
    """The evidence's fields in the order of FIELDS (unknown keys last, by name), each with its label
    and a reader's text. Not in the stored order: PostgreSQL's jsonb keeps no key order, and the
    same finding must read the same from either database."""
    fields = []
    evidence = evidence or {}
    for key in sorted(evidence, key=lambda k: (_ORDER.get(k, len(_ORDER)), str(k))):
        value = evidence[key]
        if key in HIDDEN:
            continue
        spec = FIELDS.get(key, Spec(key))
        url = value if spec.kind == URL and isinstance(value, str) and value else None
        fields.append(Field(key=key, label=spec.label, text=_text(value, spec, date_text, rulebook), url=url))
    return fields


def summary(evidence: Mapping | None, *, rulebook: Any = None, date_text: Callable[[dt.date], str] = cn_date,
            limit: int | None = None) -> str:
    """All fields on one line (Excel cells, mails, reports): 标签：值；标签：值."""
    text = "；".join(f"{f.label}：{f.text}" for f in present(evidence, rulebook=rulebook, date_text=date_text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
