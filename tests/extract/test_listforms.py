"""List forms: records embedded in scripts and XML, endpoints the page names, iframes."""

from __future__ import annotations

import datetime as dt

from govwatch.extract import extract_endpoint_list, extract_list
from tests.crawl import cmsforms as C

RECS = [(f"/art/2026/11/{i + 1}/art_7_{i}.html", f"第{i}条记录标题", f"2026-11-{i + 1:02d}") for i in range(5)]


def test_listforms_hanweb_records_read_and_dataproxy_pages_named():
    html = C.hanweb_column("人事信息", RECS, "/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=7&unitid=9", 3)
    page = extract_list("http://h/col/col7/index.html", html)
    assert len(page.items) == 5
    assert page.read_via == "script_records"
    assert page.items[0].date == dt.date(2026, 11, 1)
    proxied = [p for p in page.pages if "dataproxy.jsp" in p]
    assert len(proxied) == 3
    assert sorted(p.split("page=")[1][:1] for p in proxied) == ["1", "2", "3"]


def test_listforms_dataproxy_answer_read_with_its_total():
    url = "http://h/module/web/jpage/dataproxy.jsp?page=2&webid=1&columnid=7"
    page = extract_endpoint_list(url, C.dataproxy_answer(RECS, 4))
    assert [i.url for i in page.items] == ["http://h" + u for u, _, _ in RECS]
    assert page.read_via == "endpoint"
    assert len(page.pages) == 3  # pages 1, 3 and 4


def test_listforms_script_data_rows_read():
    page = extract_list("http://h/xxgk/gzdt/", C.script_data_column("工作动态", RECS))
    assert page.read_via == "script_records"
    assert [(i.title, i.date) for i in page.items][:2] == [("第0条记录标题", dt.date(2026, 11, 1)),
                                                          ("第1条记录标题", dt.date(2026, 11, 2))]
    assert len(page.items) == 5


def test_listforms_script_data_with_more_pages_follows_named_endpoint():
    html = C.script_data_column("工作动态", RECS, total_pages=3, endpoint="/api/list?columnId=12&pageNo=1")
    page = extract_list("http://h/xxgk/gzdt/", html)
    assert page.pages == tuple(f"http://h/api/list?columnId=12&pageNo={n}" for n in (1, 2, 3))


def test_listforms_json_endpoint_named_by_script_followed():
    page = extract_list("http://h/xxgk/tzgg/", C.json_endpoint_column("通知公告", "/api/content/list?channelId=3&pageNum=1"))
    assert page.items == ()
    assert page.pages == ("http://h/api/content/list?channelId=3&pageNum=1",)
    assert page.read_via == "endpoint"


def test_listforms_json_answer_read_with_other_pages():
    url = "http://h/api/content/list?channelId=3&pageNum=1"
    page = extract_endpoint_list(url, C.json_answer(RECS, 2))
    assert len(page.items) == 5
    assert page.items[4].date == dt.date(2026, 11, 5)
    assert page.pages == ("http://h/api/content/list?channelId=3&pageNum=2",)


def test_listforms_json_without_records_is_not_a_list():
    assert extract_endpoint_list("http://h/api/x", '{"code": 200, "data": {"name": "x"}}') is None


def test_listforms_iframe_catalogue_followed():
    html = C.frame("信息公开目录", '<div class="t">信息公开目录</div><iframe src="/xxgk/catalog/list.html" width="100%"></iframe>')
    page = extract_list("http://h/xxgk/", html)
    assert page.pages == ("http://h/xxgk/catalog/list.html",)


def test_listforms_catalogue_table_date_from_publication_column():
    rows = "".join(f'<tr><td>{i + 1}</td><td>11430600MB0000{i}/2026-000{i}</td><td><a href="/xxgk/c{i}.html">关于第{i}项工作的通知</a></td>'
                   f'<td>君政发〔2026〕{i + 1}号</td><td>2026-0{i + 1}-01</td><td>2026-0{i + 1}-15</td></tr>' for i in range(4))
    html = C.frame("信息公开目录", '<table class="t"><tr><th>序号</th><th>索引号</th><th>名称</th><th>文号</th><th>成文日期</th>'
                                   f"<th>发布日期</th></tr>{rows}</table>")
    page = extract_list("http://h/xxgk/ml/", html)
    assert len(page.items) == 4
    assert [i.date for i in page.items] == [dt.date(2026, m, 15) for m in (1, 2, 3, 4)]


def test_listforms_computed_endpoint_not_followed():
    html = C.frame("警务动态", "<div id=\"list\"></div><script>var p = 'api'; fetch('/' + p + '/42').then(function (r) { return r.json(); });</script>")
    page = extract_list("http://h/bm/gaj/jwdt/", html)
    assert (page.items, page.pages) == ((), ())
