"""Question and service-guide pages."""

from __future__ import annotations

import datetime as dt

from govwatch.extract import extract_guide, extract_question
from govwatch.extract.question import has_extension

URL = "http://www.example.gov.cn/hdjl/zxzx/1.html"
ELEMENTS = {
    "事项名称": ["项目名称"], "设定依据": ["法律依据"], "申请条件": ["受理条件"], "办理材料": ["申请材料"],
    "办理地点": ["受理地点"], "办理时间": ["受理时间"], "联系电话": ["咨询电话"], "办理流程": ["办理程序"],
}


def test_extract_question_table_layout(fixture_html):
    facts = extract_question(URL, fixture_html("question_page.html"))
    assert facts.asked_at == dt.datetime(2026, 11, 3, 10, 21)
    assert facts.answered_at == dt.date(2026, 11, 12)
    assert facts.status == "已办结"
    assert facts.extension is False  # 是否申请延期：否
    assert facts.reply_text.startswith("您好！")


def test_extract_question_extension_and_pending(fixture_html):
    facts = extract_question(URL, fixture_html("question_extended.html"))
    assert facts.asked_at == dt.date(2026, 10, 28)
    assert facts.answered_at is None
    assert facts.status == "办理中"
    assert facts.extension is True


def test_has_extension_negations_are_not_extensions():
    assert has_extension("该件未申请延期") is False
    assert has_extension("无延期办理") is False
    assert has_extension("是否申请延期：否") is False
    assert has_extension("已申请延期，延期至12月10日") is True


def test_extract_guide_elements_with_content_only(fixture_html):
    facts = extract_guide("http://www.example.gov.cn/bsfw/1.html", fixture_html("guide_page.html"), ELEMENTS)
    # 办理时间 says only "无"; 办理流程 is absent.
    assert facts.elements == ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "联系电话")


def test_extract_guide_forms_matched_to_downloads(fixture_html):
    facts = extract_guide("http://www.example.gov.cn/bsfw/1.html", fixture_html("guide_page.html"), ELEMENTS)
    forms = {f.name: f.url for f in facts.forms}
    assert forms == {
        "最低生活保障申请书": "http://www.example.gov.cn/bsfw/files/zdshbzsqs.doc",
        "家庭经济状况核对授权书": None,
    }


def test_extract_guide_headings_and_colon_paragraphs():
    html = """<html><body><h1>某某许可办事指南</h1>
    <h3>一、项目名称</h3><p>某某许可</p>
    <h3>二、办理程序</h3><p>申请、受理、审查、决定。</p>
    <p>受理时间：工作日上午9:00-12:00</p><p>咨询电话：</p><p>法律依据：暂无</p></body></html>"""
    facts = extract_guide("http://x.gov.cn/g.html", html, ELEMENTS)
    assert facts.elements == ("事项名称", "办理时间", "办理流程")


def test_extract_guide_default_rulebook_synonyms(fixture_html):
    facts = extract_guide("http://www.example.gov.cn/bsfw/1.html", fixture_html("guide_page.html"))
    assert "办理地点" in facts.elements  # 受理地点 is a district-2017 synonym


def test_extract_guide_heading_rows_with_content_below():
    html = """<html><body><table>
    <tr><th colspan="2">办理流程</th></tr><tr><td colspan="2">1.申请；2.受理；3.审核；4.办结。</td></tr>
    <tr><th colspan="2">受理地点</th></tr><tr><th colspan="2">受理时间</th></tr>
    <tr><td colspan="2">工作日 9:00-17:00</td></tr></table></body></html>"""
    facts = extract_guide("http://x.gov.cn/g.html", html, ELEMENTS)
    assert facts.elements == ("办理时间", "办理流程")
