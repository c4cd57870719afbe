"""Article text reaches the typo check as it streams in, and is not kept afterwards."""

import datetime as dt

from govwatch import facts as F
from govwatch.crawl.assemble import Assembler

AS_OF = dt.date(2026, 11, 27)


def _page_record(url, text, text_changed=True):
    facts = F.jsonable(F.ArticleFacts(
        url=url, title="关于开展安全检查的通知", published_at=AS_OF, published_source="meta", event_date=None,
        signature=F.Signature("区财政局", AS_OF), written_date=None, doc_number=None, index_number=None,
        publisher=None, attachments=(), mentions_attachment=False, text=text))
    return {"t": "page", "url": url, "column_url": "http://p.test/czj/tzgg/", "unit": "0107", "kind": "article",
            "status": F.OK, "facts": facts, "row": "关于开展安全检查的通知 2026-11-27", "list_date": None,
            "links": [], "text_changed": text_changed}


def _previous_with(url):
    state = F.PreviousState(as_of=AS_OF - dt.timedelta(days=7))
    state.pages[url] = F.PreviousPage(url=url, kind="article", column_url="http://p.test/czj/tzgg/", list_row="",
                                      etag=None, last_modified=None, text_hash="x", first_seen=AS_OF - dt.timedelta(days=30),
                                      facts={}, links=())
    return state


def test_text_hook_sees_text_then_text_is_dropped():
    seen = []

    def hook(url, unit, text, first_seen, text_changed):
        seen.append((url, unit, text, first_seen, text_changed))
        return [F.TypoHit(0, 2, "按装", "安装", "typo", 0.9)]

    asm = Assembler(AS_OF, None, text_hook=hook)
    asm.feed(_page_record("http://p.test/czj/tzgg/t1.html", "按装调试工作"))
    asm.feed({"t": "done", "crawled_pages": 1})
    result = asm.result()
    assert seen == [("http://p.test/czj/tzgg/t1.html", "0107", "按装调试工作", AS_OF, True)]
    assert [h.wrong for h in result.typos["http://p.test/czj/tzgg/t1.html"]] == ["按装"]
    assert result.pages[0].facts.text == ""
    assert result.page_states[0].facts["text"] == ""


def test_known_page_reports_its_first_seen_date_to_the_hook():
    url = "http://p.test/czj/tzgg/t2.html"
    calls = []
    asm = Assembler(AS_OF, _previous_with(url), text_hook=lambda *a: calls.append(a) or None)
    asm.feed(_page_record(url, "正文", text_changed=False))
    asm.feed({"t": "done"})
    result = asm.result()
    assert calls[0][3] == AS_OF - dt.timedelta(days=30) and calls[0][4] is False
    assert result.typos == {}


def test_without_hook_text_is_kept():
    asm = Assembler(AS_OF, None)
    asm.feed(_page_record("http://p.test/czj/tzgg/t3.html", "保留正文"))
    asm.feed({"t": "done"})
    result = asm.result()
    assert result.pages[0].facts.text == "保留正文"
    assert result.typos is None


def test_hook_settle_sees_all_hits_once_the_crawl_is_over():
    settled = []

    def hook(url, unit, text, first_seen, text_changed):
        return [F.TypoHit(0, 2, "按装", "安装", "typo", 0.9)]

    def settle(typos):
        settled.append(sorted(typos))
        return {url: hits for url, hits in typos.items() if url.endswith("t1.html")}

    hook.settle = settle
    asm = Assembler(AS_OF, None, text_hook=hook)
    for name in ("t1", "t2", "t3"):
        asm.feed(_page_record(f"http://p.test/czj/tzgg/{name}.html", "按装调试工作"))
    asm.feed({"t": "done", "crawled_pages": 3})
    result = asm.result()
    assert settled == [[f"http://p.test/czj/tzgg/{n}.html" for n in ("t1", "t2", "t3")]]
    assert list(result.typos) == ["http://p.test/czj/tzgg/t1.html"]
