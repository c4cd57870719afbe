"""The one evidence presenter: every key a check writes has a Chinese label, no raw Python value is shown."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import govwatch
from govwatch.lib.evidence import FIELDS, HIDDEN, cn_date, present, summary
from govwatch.rulebook import load_rulebook

SRC = Path(govwatch.__file__).parent
# Modules that write a finding's evidence: every check family, and the manual findings of the web app.
WRITERS = sorted((SRC / "checks").glob("*.py")) + [SRC / "web" / "services.py"]


def _mentions_evidence(node) -> bool:
    return (isinstance(node, ast.Name) and "evidence" in node.id) or \
        (isinstance(node, ast.Attribute) and "evidence" in node.attr)


def evidence_keys_written(paths) -> dict[str, set[str]]:
    """Keys of evidence dicts as the source builds them: literals, .update(key=...) and evidence["key"] = ..."""
    keys: dict[str, set[str]] = {}

    def add(key, path):
        if isinstance(key, str):
            keys.setdefault(key, set()).add(path.name)

    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            literals = []
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) \
                    and any(_mentions_evidence(t) for t in node.targets):
                literals.append(node.value)
            if isinstance(node, ast.keyword) and node.arg == "evidence" and isinstance(node.value, ast.Dict):
                literals.append(node.value)
            if isinstance(node, ast.FunctionDef) and "evidence" in node.name:
                literals += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and isinstance(r.value, ast.Dict)]
            for literal in literals:
                for key in literal.keys:
                    add(getattr(key, "value", None), path)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
                    and _mentions_evidence(node.func.value):
                for kw in node.keywords:
                    add(kw.arg, path)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and _mentions_evidence(target.value):
                        add(getattr(target.slice, "value", None), path)
    return keys


def test_evidence_every_key_a_check_writes_has_a_label():
    written = evidence_keys_written(WRITERS)
    assert len(written) >= 40  # the walk finds the checks' evidence; a broken walk would find none
    assert {"delay_days", "limit_days", "items", "synonyms", "key_area", "extension", "warc"} <= set(written)
    unlabelled = {k: sorted(v) for k, v in written.items() if k not in FIELDS and k not in HIDDEN}
    assert unlabelled == {}


def test_evidence_labels_are_chinese():
    english = [spec.label for spec in FIELDS.values() if re.search(r"[a-z]", spec.label)]
    assert english == []


def test_evidence_shows_no_python_values_english_keys_or_archive_pointers():
    rulebook = load_rulebook()
    evidence = {"asked": "2026-11-03", "answered": None, "delay_days": 12, "extension": False, "status": "已办结",
                "limit_days": 5, "key_area": True, "category": "notice", "expected": "yearly", "items": 0,
                "kind": "attachment", "synonyms": ["办理地点", "受理地点"], "warc": "warc/run1.warc.gz#offset=123",
                "start": 3, "end": 5}
    fields = present(evidence, rulebook=rulebook)
    text = " ".join(f"{f.label} {f.text}" for f in fields)
    assert len(fields) == len(evidence) - 3
    assert re.findall(r"None|True|False|warc|offset|delay_days|limit_days|items|synonyms|notice|yearly|attachment",
                      text) == []
    got = {f.label: f.text for f in fields}
    assert got["答复日期"] == "未答复"
    assert got["申请延期"] == "否"
    assert got["重点领域"] == "是"
    assert got["栏目类别"] == "通知公告类"
    assert got["应更新频率"] == "按年度"
    assert got["类型"] == "附件"
    assert got["提问日期"] == "2026-11-03"


def test_evidence_summary_writes_chinese_dates_for_documents():
    line = summary({"newest_item_date": "2026-11-17", "days": 40}, date_text=cn_date)
    assert line == "最新信息日期：2026年11月17日；未更新天数：40 天"
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"


def test_evidence_fields_read_in_one_order_whatever_the_stored_key_order():
    # PostgreSQL's jsonb returns keys in its own order; SQLite keeps the checks' order.

    forward = {"newest_item_date": "2026-10-10", "days": 48, "zz_unknown": 1, "category": "news"}
    backward = dict(reversed(list(forward.items())))
    assert [f.key for f in present(forward)] == ["category", "newest_item_date", "days", "zz_unknown"]
    assert [f.key for f in present(backward)] == [f.key for f in present(forward)]
