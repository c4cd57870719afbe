"""Robust parsing (issue #16 items 6 and 7): control characters in links, <embed>, <object> and
unclosed containers never raise and never drop the page after them, in the evidence sanitizer
and in the extractors. Fuzzed with hypothesis; the text after the hostile element must survive."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lhtml

from govwatch.extract.article import _extract_article
from govwatch.extract.dom import block_text, drop_noise, parse
from govwatch.extract.links import links_of
from govwatch.web.evidence import render_evidence, render_raw

SENTINEL = "后文哨兵段落务必保留"
AFTER_LINK = "http://www.example.gov.cn/after.html"
HOSTILE = [
    '<embed src="a.swf">', '<embed src="a.swf"></embed>', '<object data="a.swf">',
    '<object data="a.swf"><param name="movie" value="a.swf">', '<object data="x"></object>',
    '<a href="&#1;x">链接</a>', '<a href="&#0;">零</a>', '<img src="&#2;.png" alt="&#3;">', "&#1;", "&#xFFFE;",
    "\x01", "\x0b", "<button>按钮", "<select><option>选项", "<svg><text>图</text>", "<noscript>无脚本",
    "<div>", "<span>", "<table><tr><td>", "<ul><li>", '<font color="red">', "<applet code=x>",
    '<iframe src="x"></iframe>', "<template></template>", '<p style="display:none">隐藏</p>',
]
WORDS = st.sampled_from(["各科室", "通知如下", "请认真落实", "2026年11月20日", "区财政局", "附件", " ", "。"])


def page_html(before: list[str], hostile: list[str]) -> str:
    return ("<html><head><title>通知</title></head><body><div id=\"content\"><p>" + "".join(before) + "</p>"
            + "".join(hostile) + f'<p>{SENTINEL}<a href="{AFTER_LINK}">后文链接</a></p></div></body></html>')


fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cases = given(st.lists(WORDS, max_size=5), st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4))


@fuzz
@cases
def test_fuzz_evidence_sanitizer_keeps_text_after_hostile_element(before, hostile):
    html = page_html(before, hostile)
    out = render_evidence(html, "http://www.example.gov.cn/a.html", {"target": AFTER_LINK}, "存档快照")
    text = lhtml.document_fromstring(out).text_content()
    assert SENTINEL in text
    assert 'id="gw-problem"' in out  # the link after the element is still there to be marked
    assert SENTINEL in lhtml.document_fromstring(render_raw(html)).text_content()


@fuzz
@cases
def test_fuzz_extractors_keep_text_and_links_after_hostile_element(before, hostile):
    html = page_html(before, hostile)
    facts = _extract_article("http://www.example.gov.cn/a.html", html, None)  # raises, unlike extract_article
    assert SENTINEL in facts.text
    root = parse(html)
    drop_noise(root)
    assert SENTINEL in block_text(root)
    assert AFTER_LINK in [link.url for link in links_of(root, "http://www.example.gov.cn/a.html")]


def test_evidence_control_character_in_link_is_not_an_error():
    out = render_evidence('<p><a href="&#1;x">链接</a>后文</p>', "http://a.gov.cn/", {}, "存档快照")
    assert "后文" in out


def test_embed_keeps_rest_of_page_in_evidence_and_extractors():
    html = page_html([], ['<embed src="a.swf">'])
    assert SENTINEL in lhtml.document_fromstring(render_evidence(html, "http://a.gov.cn/", {}, "c")).text_content()
    assert SENTINEL in _extract_article("http://a.gov.cn/a.html", html, None).text
