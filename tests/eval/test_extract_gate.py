"""Accuracy gate for extraction (after trafilatura's eval_gate): measured on data nobody
on the project wrote, pinned as floors in extract_floors.json. A change that lowers a
figure below its floor fails. Run with `pytest -s` to see the figures.

Data sets (../shared/data):
- govcn-policy-pages: 20 gov.cn policy fragments, truth.json. The 落款 is checked
  against the header table: its date against 成文日期 (by value), its organ against 发文机关.
  doc_number_body measures the 文号 again with the header table removed (body only).
- dates: 69 news/government pages with hand-labelled publish dates. Label handling:
  UNKNOWN (and its misspelling UNKNWON) expects no date (None counts correct);
  partial labels ("2018", "1998-3") are compared at the precision given; labels that
  are not dates at all (a person's name, an empty file) are excluded and counted.

A floor is the measured figure, cut to two decimals (less than one item below it):
measured 2026-12-07, govcn-policy-pages 20/20 for the header fields and 19/20 for
signature_date, signature_organ and doc_number_body; dates 55/67 = 0.821 -> 0.82,
so one more miss on either set fails. Re-measure and raise a floor when a change
improves its figure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from govwatch.extract import decode_html, extract_article
from govwatch.extract.docnumber import normalize_doc_number
from govwatch.lib.cndate import parse_day
from tests.conftest import shared_data

FLOORS = json.loads((Path(__file__).with_name("extract_floors.json")).read_text(encoding="utf-8"))
UNKNOWN_LABELS = {"UNKNOWN", "UNKNWON"}
_LABEL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _squash(text):
    return re.sub(r"\s+", "", text or "")


def measure_govcn() -> dict[str, tuple[int, int]]:
    root = shared_data("govcn-policy-pages")
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    checks = {
        "index_number": lambda f, t: f.index_number == t["index_no"],
        "doc_number": lambda f, t: normalize_doc_number(f.doc_number) == normalize_doc_number(t["doc_no"]),
        "publisher": lambda f, t: _squash(f.publisher) == _squash(t["issuer"]),
        "written_date": lambda f, t: f.written_date == parse_day(t["written_date"]),
        "published_at": lambda f, t: _day(f.published_at) == parse_day(t["pub_date"]),
        "title": lambda f, t: _squash(f.title) == _squash(t["title"]),
        "signature_date": lambda f, t: f.signature.date == parse_day(t["written_date"]),
        "signature_organ": lambda f, t: _squash(f.signature.organ) == _squash(t["issuer"]),
    }
    scores = {name: [0, 0] for name in checks}
    scores["doc_number_body"] = [0, 0]
    for row in truth:
        html = decode_html((root / row["file"]).read_bytes())
        facts = extract_article(row["url"], html)
        for name, check in checks.items():
            scores[name][0] += bool(check(facts, row))
            scores[name][1] += 1
        # Many portals have no header table: the 文号 must then come from the line under the title.
        bare = extract_article(row["url"], without_header_table(html))
        scores["doc_number_body"][0] += normalize_doc_number(bare.doc_number) == normalize_doc_number(row["doc_no"])
        scores["doc_number_body"][1] += 1
    return {k: tuple(v) for k, v in scores.items()}


def without_header_table(html: str) -> str:
    """The page with every table that carries a 索引号 label removed (the body stays)."""
    import lxml.html

    root = lxml.html.fromstring(html)
    for table in root.xpath("//table[not(.//table)]"):
        if "索引号" in _squash(table.text_content()).replace("\u3000", ""):
            table.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _label_matches(label: str, got: dt.date | None) -> bool | None:
    """True/False when the label is usable, None when it is not a date at all."""
    label = label.strip()
    if label.upper() in UNKNOWN_LABELS:
        return got is None
    m = _LABEL.match(label)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if got is None:
        return False
    return got.year == year and (month is None or got.month == month) and (day is None or got.day == day)


def measure_dates() -> tuple[int, int, int]:
    root = shared_data("dates")
    correct = total = excluded = 0
    for page in sorted((root / "original").glob("*.html")):
        label_file = root / "date" / (page.stem + ".txt")
        if not label_file.exists():
            excluded += 1
            continue
        label = label_file.read_text(encoding="utf-8", errors="replace")
        facts = extract_article("http://example.com/" + page.name, decode_html(page.read_bytes()))
        verdict = _label_matches(label, _day(facts.published_at))
        if verdict is None:
            excluded += 1
            continue
        total += 1
        correct += verdict
    return correct, total, excluded


def _report(name: str, scores: dict[str, tuple[int, int]]) -> list[str]:
    lines = []
    for field, (ok, n) in scores.items():
        lines.append(f"{name}:{field} {ok}/{n} = {ok / n:.3f} (floor {FLOORS.get(name, {}).get(field)})")
    return lines


def _check(name: str, scores: dict[str, tuple[int, int]]):
    lines = _report(name, scores)
    print("\n" + "\n".join(lines))
    below = [l for (field, (ok, n)), l in zip(scores.items(), lines) if ok / n < FLOORS[name][field]]
    assert not below, "extraction accuracy fell below its floor:\n" + "\n".join(below) + "\nall figures:\n" + "\n".join(lines)


def test_extract_gate_govcn_policy_pages():
    _check("govcn-policy-pages", measure_govcn())


def test_extract_gate_dates_publish_date():
    correct, total, excluded = measure_dates()
    print(f"\ndates: excluded {excluded} pages whose label is not a date")
    _check("dates", {"published_at": (correct, total)})


def test_extract_gate_floors_cover_every_measured_field():
    assert set(FLOORS["govcn-policy-pages"]) == {
        "index_number", "doc_number", "publisher", "written_date", "published_at", "title", "signature_date", "signature_organ",
        "doc_number_body",
    }
    assert set(FLOORS["dates"]) == {"published_at"}
    assert all(0 < v <= 1 for group in FLOORS.values() for v in group.values())
