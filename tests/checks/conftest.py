"""Small factories for RunFacts and friends: every test states only what it is about."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch import facts as F
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import load_rulebook

D = dt.date
AS_OF = D(2026, 11, 27)
SITE = "http://www.example.gov.cn"


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture
def calendar(rulebook):
    return WorkCalendar.from_rulebook(rulebook)


def item(url: str, date: dt.date | None, title: str = "一条信息") -> F.ListItem:
    return F.ListItem(title=title, url=url, date=date)


def column(name: str = "工作动态", *, url: str | None = None, unit: str | None = "0107", category: str = "news",
           key_area: bool = False, expected: str | None = None, status: str = F.OK, items=(),
           placeholder: str | None = None, warc: str | None = None) -> F.Column:
    return F.Column(url=url or f"{SITE}/{unit or 'x'}/{category}/", unit=unit, name=name, category=category,
                    key_area=key_area, expected=expected, status=status, items=tuple(items),
                    placeholder=placeholder, warc=warc)


def article(url: str, *, title: str = "关于开展检查的通知", published: dt.date | None = None,
            event_date: dt.date | None = None, organ: str | None = "区财政局", signed: dt.date | None = None,
            written: dt.date | None = None, doc_number: str | None = "君财发〔2026〕1号",
            attachments=(), mentions_attachment: bool = False, meta: dict | None = None) -> F.ArticleFacts:
    return F.ArticleFacts(
        url=url, title=title, published_at=published, published_source="meta" if published else None,
        event_date=event_date, signature=F.Signature(organ=organ, date=signed), written_date=written,
        doc_number=doc_number, index_number=None, publisher=organ, attachments=tuple(attachments),
        mentions_attachment=mentions_attachment, text="正文", meta=meta or {},
    )


def question(url: str, *, asked: dt.date | None, answered: dt.date | None = None, extension: bool = False,
             title: str = "关于低保申请的咨询") -> F.QuestionFacts:
    return F.QuestionFacts(url=url, title=title, asked_at=asked, answered_at=answered,
                           status="已回复" if answered else "未回复", extension=extension)


def guide(url: str, *, elements=(), forms=(), title: str = "城乡低保申请办事指南") -> F.GuideFacts:
    return F.GuideFacts(url=url, title=title, elements=tuple(elements), forms=tuple(forms))


def page(facts, *, column: F.Column, kind: str | None = None, status: str = F.OK, warc: str | None = None,
         unit: str | None = "same", list_date: dt.date | None = None) -> F.Page:
    if kind is None:
        kind = {F.ArticleFacts: "article", F.QuestionFacts: "question", F.GuideFacts: "guide"}[type(facts)]
    return F.Page(url=facts.url, column_url=column.url, unit=column.unit if unit == "same" else unit, kind=kind,
                  status=status, facts=facts, warc=warc, list_date=list_date)


def link(target: str, carriers, *, outcome: str = "broken", reason: str = "HTTP 404", status: int | None = 404,
         kind: str = "a", warc: str | None = None) -> F.LinkCheck:
    return F.LinkCheck(target=target, kind=kind, outcome=outcome, reason=reason, http_status=status,
                       carriers=tuple(carriers), warc=warc)


def run_facts(*, columns=(), pages=(), links=(), typos=None, as_of: dt.date = AS_OF,
              cycle_start: dt.date | None = None, crawled_pages: int = 100) -> F.RunFacts:
    return F.RunFacts(as_of=as_of, cycle_start=cycle_start or as_of - dt.timedelta(days=7), columns=list(columns),
                      pages=list(pages), links=list(links), crawled_pages=crawled_pages, typos=typos or {})


def findings_of(found, rule: str):
    return [f for f in found if f.rule == rule]
