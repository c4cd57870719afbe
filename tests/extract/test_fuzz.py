"""No exception escapes a public extract function, whatever the bytes."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govwatch import extract
from govwatch.facts import ArticleFacts, GuideFacts, ListPage, QuestionFacts

FRAGMENTS = [
    "<html>", "</html>", "<body>", "<div class='TRS_Editor'>", "</div>", "<p>", "</p>", "<table>", "<tr>", "<td>",
    "</td>", "</tr>", "<a href='", "'>", "</a>", "<script>createPageHTML(", ");</script>", "<meta name='PubDate' content='",
    "索 引 号：", "发布日期：", "2019年1月27日", "二〇一九年一月二十七日", "国发〔2019〕5号", "附件：", "暂无信息",
    "<![CDATA[", "]]>", "<record>", "<?xml version='1.0'?>", "&#0;", "&#xD800;", "\x00", "\ufeff", "<!--", "-->",
    "javascript:", "index_3.html", "?page=9", "来信时间：", "已申请延期", "办理流程", "《申请表》", "<h1>", "</h1>",
    "<img src=", "\ud7ff", "\r\n", "\u3000",
]

html_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map("".join)
urls = st.one_of(st.just(""), st.just("http://www.example.gov.cn/a/b/index.html"), st.text(max_size=30))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=html_text, url=urls)
def test_extractors_never_raise_on_mangled_html(html, url):
    assert isinstance(extract.extract_article(url, html), ArticleFacts)
    assert isinstance(extract.extract_list(url, html), ListPage)
    assert isinstance(extract.extract_question(url, html), QuestionFacts)
    assert isinstance(extract.extract_guide(url, html, {"事项名称": ["项目名称"]}), GuideFacts)
    assert isinstance(extract.extract_links(url, html), list)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=400), content_type=st.one_of(st.none(), st.sampled_from(["text/html; charset=gbk", "text/html; charset=bogus", "charset=utf-16", "text/html"])))
def test_decode_html_never_raises_on_random_bytes(body, content_type):
    assert isinstance(extract.decode_html(body, content_type), str)


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(min_value=0, max_value=400), kind=st.sampled_from(["auto", "article", "list", "question", "guide"]))
def test_extract_page_truncated_gbk_bytes(cut, kind):
    page = '<meta charset="gbk"><title>通知公告</title><h1>关于某事的通知</h1><p>发布时间：2026年11月20日</p><p>国务院</p><p>二〇二六年十一月十八日</p>'
    body = page.encode("gbk")[:cut]
    result = extract.extract_page("http://x.gov.cn/a.html", body, kind=kind, list_date=dt.date(2026, 11, 1))
    assert result["kind"] in ("article", "list", "question", "guide")


@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=300))
def test_extract_page_random_bytes(body):
    assert isinstance(extract.extract_page("http://x.gov.cn/a.html", body), dict)


def test_extractors_accept_none_and_empty():
    for html in (None, "", "   ", b"", b"\xff\xfe"):
        extract.extract_article("", html)
        extract.extract_list("", html)
        extract.extract_question("", html)
        extract.extract_guide("", html)
        extract.extract_links("", html)


def test_extractors_survive_deep_nesting_and_huge_attribute():
    html = "<div>" * 5000 + "发布日期：2026-11-20" + "</div>" * 5000 + '<a href="' + "x" * 100000 + '">附件</a>'
    assert extract.extract_article("http://x.gov.cn/a.html", html).url == "http://x.gov.cn/a.html"
    extract.extract_list("http://x.gov.cn/", html)
    extract.extract_guide("http://x.gov.cn/", html)
    extract.extract_question("http://x.gov.cn/", html)
