"""A record's stored form and back: what the fact store holds (JSON rows) and the `facts` dataclasses.

Rows hold the final JSON shape of a record (`jsonable` facts, ISO dates); the readers here turn
them back into `facts` dataclasses.
"""

from __future__ import annotations

from govwatch import facts as F


def page_row(*, url, column_url, unit, kind, status, list_date, first_seen, facts, text_changed, warc,
             reason=None, list_row="", etag=None, last_modified=None, text_hash=None, links=(),
             page_type=None, page_type_signal=None, page_type_confidence=1.0) -> dict:
    """One page as stored: what `Page` needs plus what the next run needs (`PreviousPage`)."""
    return {
        "url": url, "column_url": column_url, "unit": unit, "kind": kind, "status": status,
        "list_date": F.jsonable(list_date), "first_seen": F.jsonable(first_seen),
        "facts": F.jsonable(facts) if facts is not None else None, "text_changed": bool(text_changed),
        "warc": warc, "reason": reason, "list_row": list_row or "", "etag": etag, "last_modified": last_modified,
        "text_hash": text_hash, "page_type": page_type, "page_type_signal": page_type_signal,
        "page_type_confidence": page_type_confidence, "links": [{"url": l["url"], "kind": l["kind"], "text": l.get("text", "")}
                                          if isinstance(l, dict) else F.jsonable(l) for l in links],
    }


def page_from_row(row: dict) -> F.Page:
    facts = row.get("facts")
    status = row["status"]
    return F.Page(
        url=row["url"], column_url=row["column_url"], unit=row.get("unit"), kind=row["kind"], status=status,
        facts=F.from_jsonable(F.PAGE_FACT_TYPES[row["kind"]], facts) if facts and status == F.OK else None,
        list_date=_date(row.get("list_date")), first_seen=_date(row.get("first_seen")),
        text_changed=bool(row.get("text_changed")), warc=row.get("warc"), reason=row.get("reason"),
        page_type=row.get("page_type"), page_type_signal=row.get("page_type_signal"),
        page_type_confidence=_confidence(row.get("page_type_confidence")),
    )


def state_from_row(row: dict) -> F.PreviousPage:
    return F.PreviousPage(
        url=row["url"], kind=row["kind"], column_url=row["column_url"], list_row=row.get("list_row") or "",
        etag=row.get("etag"), last_modified=row.get("last_modified"), text_hash=row.get("text_hash"),
        first_seen=_date(row.get("first_seen")), facts=row.get("facts") or {},
        links=tuple(F.Link(url=l["url"], kind=l["kind"], text=l.get("text", "")) for l in row.get("links") or ()),
        warc=row.get("warc"),
    )


def column_from_record(rec: dict) -> F.Column:
    return F.Column(url=rec["url"], unit=rec["unit"], name=rec["name"], category=rec["category"],
                    key_area=bool(rec["key_area"]), expected=rec["expected"], status=rec["status"],
                    items=tuple(F.from_jsonable(F.ListItem, i) for i in rec["items"]),
                    placeholder=rec.get("placeholder"), reason=rec.get("reason"), warc=rec.get("warc"),
                    read_via=rec.get("read_via") or "static",
                    list_confidence=_confidence(rec.get("list_confidence")),
                    category_confidence=_confidence(rec.get("category_confidence")),
                    unit_confidence=_confidence(rec.get("unit_confidence")))


def _confidence(value) -> float:
    """A stored confidence; records written before readers measured one are as sure as they always were."""
    return 1.0 if value is None else float(value)


def column_record(column: F.Column) -> dict:
    return F.jsonable(column)


def link_from_record(rec: dict) -> F.LinkCheck:
    return F.LinkCheck(target=rec["target"], kind=rec["kind"], outcome=rec["outcome"], reason=rec.get("reason"),
                       http_status=rec.get("http_status"), carriers=tuple(rec.get("carriers") or ()),
                       warc=rec.get("warc"))


def link_state_from_record(rec: dict) -> F.PreviousLink:
    return F.PreviousLink(target=rec["target"], outcome=rec["outcome"], reason=rec.get("reason"),
                          http_status=rec.get("http_status"), checked_on=_date(rec.get("checked_on")))


def _date(value):
    return F._parse_dateish(value) if isinstance(value, str) else value
