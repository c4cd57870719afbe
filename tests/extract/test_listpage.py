"""List pages: items, column name, pagination flavours, placeholders."""

from __future__ import annotations

import datetime as dt

from govwatch.extract import extract_list

BASE = "http://www.example.gov.cn"


def test_extract_list_trs_gbk_items_and_truncated_titles(fixture_html):
    page = extract_list(f"{BASE}/bmxxgk/czj/tzgg/", fixture_html("trs_list.html"))
    assert page.column_name == "通知公告"
    assert len(page.items) == 5
    first = page.items[0]
    assert first.title == "关于开展2026年度行政事业单位国有资产清查工作的通知"
    assert first.url == f"{BASE}/bmxxgk/czj/tzgg/202611/t20261120_1234567.html"
    assert first.date == dt.date(2026, 11, 20)
    assert "2026-11-20" in first.row
    assert all(item.date is not None for item in page.items)


def test_extract_list_ignores_nav_and_footer_links(fixture_html):
    page = extract_list(f"{BASE}/bmxxgk/czj/tzgg/", fixture_html("trs_list.html"))
    titles = {item.title for item in page.items}
    assert not titles & {"首页", "政务公开", "网站地图", "工作动态"}


def test_extract_list_trs_create_page_html_with_variables(fixture_html):
    page = extract_list(f"{BASE}/bmxxgk/czj/tzgg/", fixture_html("trs_list.html"))
    assert page.pages == tuple(f"{BASE}/bmxxgk/czj/tzgg/index_{n}.html" for n in (1, 2, 3))


def test_extract_list_trs_literal_call_from_later_page():
    html = """<html><body><ul><li><a href="./t20261101_1.html">关于某事项的通知公告</a> 2026-11-01</li></ul>
    <script>createPageHTML(3, 1, "index", "shtml");</script></body></html>"""
    page = extract_list(f"{BASE}/zwgk/tzgg/index_1.shtml", html)
    assert page.pages == (f"{BASE}/zwgk/tzgg/index.shtml", f"{BASE}/zwgk/tzgg/index_2.shtml")


def test_extract_list_index_n_links_fill_the_range(fixture_html):
    page = extract_list(f"{BASE}/bm/wjj/gzdt/index_2.html", fixture_html("index_n_list.html"))
    assert page.column_name == "工作动态"
    assert [item.date for item in page.items] == [dt.date(2026, 11, 26), dt.date(2026, 11, 24), dt.date(2026, 11, 19)]
    expected = [f"{BASE}/bm/wjj/gzdt/index.html"] + [f"{BASE}/bm/wjj/gzdt/index_{n}.html" for n in (1, 3, 4, 5)]
    assert list(page.pages) == expected


def test_extract_list_page_param_with_total_in_text(fixture_html):
    page = extract_list(f"{BASE}/bm/zjj/zcwj/list.jsp?cid=12&page=2", fixture_html("table_list_paged.html"))
    assert page.column_name == "政策文件"
    assert [item.date for item in page.items] == [dt.date(2026, 11, 2), dt.date(2026, 10, 18), dt.date(2026, 9, 3)]
    expected = [f"{BASE}/bm/zjj/zcwj/list.jsp?cid=12&page={n}" for n in (1, 3, 4, 5, 6, 7)]
    assert list(page.pages) == expected


def test_extract_list_hanweb_records_and_page_num(fixture_html):
    page = extract_list(f"{BASE}/col/col4421/index.html", fixture_html("hanweb_list.html"))
    assert page.column_name == "人事信息"
    assert [item.url for item in page.items] == [
        f"{BASE}/art/2026/11/18/art_4421_99001.html",
        f"{BASE}/art/2026/10/22/art_4421_98800.html",
    ]
    assert list(page.pages) == [f"{BASE}/col/col4421/index.html?uid=9&pageNum={n}" for n in (2, 3)]


def test_extract_list_placeholder_detected(fixture_html):
    page = extract_list(f"{BASE}/bm/wlj/czyjs/", fixture_html("placeholder_list.html"))
    assert page.items == ()
    assert page.placeholder == "暂无信息"
    assert page.column_name == "财政预决算"


def test_extract_list_custom_placeholders():
    html = "<html><body><div class='list'>本栏目内容正在完善</div></body></html>"
    assert extract_list(f"{BASE}/a/", html, placeholders=["正在完善"]).placeholder == "正在完善"
    assert extract_list(f"{BASE}/a/", html).placeholder is None


def test_extract_list_pager_total_is_capped():
    html = "<html><body><script>createPageHTML(99999999, 0, 'index', 'html');</script></body></html>"
    page = extract_list(f"{BASE}/a/", html)
    assert 0 < len(page.pages) <= 2000


def test_extract_list_month_day_rows_take_year_from_item_url():
    html = """<html><body><ul class="list">
    <li><a href="./202611/t20261120_1.html">关于开展冬季安全生产大检查的通知</a><span>11-20</span></li>
    <li><a href="./202611/t20261105_2.html">关于做好秋冬季森林防火工作的通知</a><span>11-05</span></li>
    <li><a href="./202610/t20261030_3.html">关于公布第三季度政务公开考核结果的通报</a><span>10-30</span></li>
    </ul></body></html>"""
    page = extract_list(f"{BASE}/zwgk/tzgg/", html)
    assert [item.date for item in page.items] == [dt.date(2026, 11, 20), dt.date(2026, 11, 5), dt.date(2026, 10, 30)]


def test_extract_list_reply_date_in_row_is_not_the_item_date():
    html = """<html><body><table>
    <tr><td><a href="/q/1.html">关于河长制的咨询</a><span>回复日期：2026年11月26日</span></td><td>[2026年11月24日]</td></tr>
    <tr><td><a href="/q/2.html">关于校园安全的咨询</a><span>回复日期：2026年11月21日</span></td><td>[2026年11月17日]</td></tr>
    </table></body></html>"""
    page = extract_list(f"{BASE}/hdjl/", html)
    assert [item.date for item in page.items] == [dt.date(2026, 11, 24), dt.date(2026, 11, 17)]


def test_extract_list_side_menu_does_not_win_over_a_one_item_page():
    html = """<html><body><div class="main"><div class="leftnav"><ul>
    <li><a href="/a/">部门动态</a></li><li><a href="/b/">公告公示</a></li><li><a href="/c/">政策文件</a></li><li><a href="/d/">人事信息</a></li>
    </ul></div><div class="list"><ul><li><a href="./202507/t20250727_1.html">区供销合作社召开耕地保护座谈会</a><span>2025-07-27</span></li></ul></div></div></body></html>"""
    page = extract_list(f"{BASE}/gxs/bmdt/index_1.html", html)
    assert [item.title for item in page.items] == ["区供销合作社召开耕地保护座谈会"]


def test_dated_items_reads_every_box_of_a_homepage():
    from govwatch.extract.listpage import dated_items

    html = """<html><body><div class="nav"><a href="/a/">机构概况</a><a href="/b/">政务公开</a></div>
    <div class="box"><h2>要闻动态</h2><ul><li><a href="/n/1.html">区政府召开常务会议</a><span>2026-11-10</span></li>
    <li><a href="/n/2.html">区长调研乡村振兴工作</a><span>2026-11-08</span></li></ul></div>
    <div class="box"><h2>通知公告</h2><ul><li><a href="/t/1.html">关于做好冬季安全生产工作的通知</a><span>2026-11-12</span></li>
    </ul></div></body></html>"""
    items = dated_items("http://www.example.gov.cn/", html)
    assert sorted((i.url.rsplit("/", 2)[-2] + "/" + i.url.rsplit("/", 1)[-1], i.date.isoformat()) for i in items) == [
        ("n/1.html", "2026-11-10"), ("n/2.html", "2026-11-08"), ("t/1.html", "2026-11-12")]
