"""The run's fact store: records go to disk as they arrive and come back per unit."""

from __future__ import annotations

import datetime as dt

from govwatch import facts as F
from govwatch.crawl.assemble import Assembler
from govwatch.store import FactStore, page_row

AS_OF = dt.date(2026, 11, 27)
BASE = "http://p.test"


def _article(url, title="关于开展安全检查的通知"):
    return F.jsonable(F.ArticleFacts(
        url=url, title=title, published_at=AS_OF, published_source="meta", event_date=None,
        signature=F.Signature("区财政局", AS_OF), written_date=None, doc_number=None, index_number=None,
        publisher=None, attachments=(), mentions_attachment=False, text="正文"))


def _row(url, unit, title="标题"):
    return page_row(url=url, column_url=f"{BASE}/{unit}/", unit=unit, kind="article", status=F.OK, list_date=None,
                    first_seen=AS_OF, facts=_article(url, title), text_changed=True, warc=None)


def test_store_last_write_per_url_wins(tmp_path):
    store = FactStore(tmp_path / "facts.sqlite")
    store.put_page(_row(f"{BASE}/a/1.html", "0107", "旧标题"))
    store.put_page(_row(f"{BASE}/a/1.html", "0107", "新标题"))
    assert [p.facts.title for p in store.pages()] == ["新标题"]


def test_store_reads_pages_per_unit_with_unattributed_first(tmp_path):
    store = FactStore(tmp_path / "facts.sqlite")
    store.put_page(_row(f"{BASE}/b/1.html", "0302"))
    store.put_page(_row(f"{BASE}/x/1.html", None))
    store.put_page(_row(f"{BASE}/a/2.html", "0107"))
    store.put_page(_row(f"{BASE}/a/1.html", "0107"))
    assert store.units() == [None, "0107", "0302"]
    assert [p.url for p in store.pages("0107")] == [f"{BASE}/a/1.html", f"{BASE}/a/2.html"]
    assert [p.url for p in store.pages(None)] == [f"{BASE}/x/1.html"]


def test_store_lookups_work_past_the_sql_parameter_limit(tmp_path):
    store = FactStore(tmp_path / "facts.sqlite")
    urls = [f"{BASE}/a/{n}.html" for n in range(2500)]
    for url in urls:
        store.put_page(_row(url, "0107"))
        store.put_link({"target": url + "#t", "kind": "a", "outcome": "ok", "reason": None, "http_status": 200,
                        "carriers": [url], "warc": None, "checked_on": None})
    assert len(store.page_owners(urls + [f"{BASE}/elsewhere.html"])) == 2500
    assert len(store.links_for(u + "#t" for u in urls)) == 2500


def test_fresh_store_starts_empty_when_a_crawl_restarts(tmp_path):
    path = tmp_path / "facts.sqlite"
    first = FactStore(path)
    first.put_page(_row(f"{BASE}/a/1.html", "0107"))
    first.flush()
    first.close()
    assert FactStore(path).count("pages") == 0


def test_assembler_keeps_no_page_in_memory_and_reuses_previous_facts(tmp_path):
    url = f"{BASE}/a/old.html"
    previous = F.PreviousState(as_of=AS_OF - dt.timedelta(days=7))
    previous.pages[url] = F.PreviousPage(url=url, kind="article", column_url=f"{BASE}/a/", list_row="旧行",
                                         etag='"e1"', last_modified=None, text_hash="h", first_seen=AS_OF - dt.timedelta(days=30),
                                         facts=_article(url, "上周的标题"), links=(F.Link(f"{BASE}/x.doc", "attachment"),),
                                         warc="warc/a.warc.gz#1")
    asm = Assembler(AS_OF, previous, store_path=tmp_path / "facts.sqlite")
    asm.feed({"t": "page", "url": url, "column_url": f"{BASE}/a/", "unit": "0107", "kind": "article",
              "status": F.OK, "reused": True, "row": "旧行", "list_date": None})
    asm.feed({"t": "done", "crawled_pages": 1})
    assert not hasattr(asm, "pages")
    result = asm.result()
    (page,) = list(result.pages)
    assert page.facts.title == "上周的标题" and page.text_changed is False and page.warc == "warc/a.warc.gz#1"
    assert page.first_seen == AS_OF - dt.timedelta(days=30)
    (state,) = list(result.page_states)
    assert state.etag == '"e1"' and [l.url for l in state.links] == [f"{BASE}/x.doc"]
    assert (tmp_path / "facts.sqlite").exists()


def test_reused_page_evidence_points_into_the_previous_runs_directory(tmp_path):
    url = f"{BASE}/a/old.html"
    previous = F.PreviousState(as_of=AS_OF - dt.timedelta(days=7), warc_root="run-3")
    previous.pages[url] = F.PreviousPage(url=url, kind="article", column_url=f"{BASE}/a/", list_row="行", etag=None,
                                         last_modified=None, text_hash="h", first_seen=AS_OF, facts=_article(url),
                                         links=(), warc="warc/crawl-00001.warc.gz#120")
    asm = Assembler(AS_OF, previous, store_path=tmp_path / "facts.sqlite")
    asm.feed({"t": "page", "url": url, "column_url": f"{BASE}/a/", "unit": "0107", "kind": "article",
              "status": F.OK, "reused": True, "row": "行", "list_date": None})
    (page,) = list(asm.result().pages)
    assert page.warc == "run-3/warc/crawl-00001.warc.gz#120"
