"""Article pages: publish-date cascade, header table, 文号, 落款, attachments."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.extract import extract_article
from govwatch.extract.docnumber import find_doc_numbers, normalize_doc_number
from govwatch.extract.signature import find_signature

URL = "http://www.example.gov.cn/bmxxgk/czj/tzgg/202611/t20261120_1234567.html"


def test_extract_article_trs_notice_reads_meta_and_header_table(fixture_html):
    facts = extract_article(URL, fixture_html("trs_notice_article.html"))
    assert facts.published_at == dt.datetime(2026, 11, 20, 16, 32)
    assert facts.published_source == "meta"
    assert facts.index_number == "11430611MB1234567X/2026-00123"
    assert facts.publisher == "君山区财政局"
    assert facts.written_date == dt.date(2026, 11, 18)
    assert normalize_doc_number(facts.doc_number) == "君财发〔2026〕18号"
    assert facts.title == "君山区财政局关于开展2026年度行政事业单位国有资产清查工作的通知"


def test_extract_article_signature_in_chinese_numerals(fixture_html):
    facts = extract_article(URL, fixture_html("trs_notice_article.html"))
    assert facts.signature.organ == "君山区财政局"
    assert facts.signature.date == dt.date(2026, 11, 18)


def test_extract_article_attachments_and_mention(fixture_html):
    facts = extract_article(URL, fixture_html("trs_notice_article.html"))
    assert facts.mentions_attachment is True
    assert [a.url.rsplit("/", 1)[-1] for a in facts.attachments] == ["P020261120123456.docx", "P020261120123457.xlsx"]


def test_extract_article_body_has_no_boilerplate(fixture_html):
    facts = extract_article(URL, fixture_html("trs_notice_article.html"))
    assert "各乡镇（街道）财政所" in facts.text
    for noise in ("网站地图", "当前位置", "分享到", "索 引 号", "浏览次数"):
        assert noise not in facts.text


def test_extract_article_gov_meta_tags_reported(fixture_html):
    facts = extract_article(URL, fixture_html("trs_notice_article.html"))
    assert facts.meta["SiteIDCode"] == "4306110001"
    assert facts.meta["ColumnName"] == "通知公告"


def test_extract_article_news_label_and_event_date(fixture_html):
    facts = extract_article("http://www.example.gov.cn/wjj/gzdt/1.html", fixture_html("news_article.html"))
    assert facts.published_at == dt.date(2026, 11, 26)
    assert facts.published_source == "label"
    # 11月25日 (no year) is the latest date mentioned not after publication; 12月5日 is a plan.
    assert facts.event_date == dt.date(2026, 11, 25)
    assert facts.publisher == "区卫健局"
    assert facts.signature.date is None


def test_extract_article_list_date_beats_url_date():
    html = "<html><body><h1>某某通知</h1><div><p>正文内容，没有日期标签。</p></div></body></html>"
    facts = extract_article("http://x.gov.cn/a/202611/t20261101_1.html", html, list_date=dt.date(2026, 11, 2))
    assert (facts.published_at, facts.published_source) == (dt.date(2026, 11, 2), "list")


def test_extract_article_url_date_when_nothing_else():
    html = "<html><body><h1>某某通知</h1><div><p>正文内容，没有日期标签。</p></div></body></html>"
    facts = extract_article("http://x.gov.cn/art/2017/10/10/art_1_2.html", html)
    assert (facts.published_at, facts.published_source) == (dt.date(2017, 10, 10), "url")


def test_extract_article_no_date_anywhere_is_none():
    facts = extract_article("http://x.gov.cn/a/b.html", "<html><body><p>没有日期</p></body></html>")
    assert facts.published_at is None and facts.published_source is None


def test_extract_article_spaced_labels_in_text():
    html = """<html><body><div class="info"><p>索 引 号：000014349/2019-00007</p><p>发 布 机 构：君山区教育局</p>
    <p>成 文 日 期：2019 年 1 月 27 日</p></div><div id="zoom"><p>正文。</p></div></body></html>"""
    facts = extract_article("http://x.gov.cn/a.html", html)
    assert facts.index_number == "000014349/2019-00007"
    assert facts.publisher == "君山区教育局"
    assert facts.written_date == dt.date(2019, 1, 27)


@pytest.mark.parametrize(
    "written, normalized",
    [
        ("国发〔2019〕5号", "国发〔2019〕5号"),
        ("国发[2019]5号", "国发〔2019〕5号"),
        ("国发(2019)5号", "国发〔2019〕5号"),
        ("国发（2019）5号", "国发〔2019〕5号"),
        ("国发【2019】5号", "国发〔2019〕5号"),
        ("国发［２０１９］５号", "国发〔2019〕5号"),
        ("君政办发〔2026〕第12号", "君政办发〔2026〕第12号"),
        ("国发 〔2019〕 5 号", "国发〔2019〕5号"),
    ],
)
def test_doc_number_variants_normalize(written, normalized):
    (found,) = find_doc_numbers(f"（{written}）")
    assert normalize_doc_number(found) == normalized


def test_doc_number_in_running_text_drops_leading_words():
    assert find_doc_numbers("根据国发〔2019〕5号文件精神") == ["国发〔2019〕5号"]


def test_doc_number_order_without_brackets():
    assert find_doc_numbers("中华人民共和国国务院令\n国令第707号") == ["国令第707号"]


def test_doc_number_under_title_when_no_table():
    html = """<html><body><div id="zoom"><p>关于做好某项工作的通知</p><p>君政办函（2026）３号</p>
    <p>各乡镇人民政府：</p><p>现将有关事项通知如下。</p></div></body></html>"""
    facts = extract_article("http://x.gov.cn/a.html", html)
    assert normalize_doc_number(facts.doc_number) == "君政办函〔2026〕3号"


def test_signature_organ_and_date_on_one_line():
    sig = find_signature("特此通知。\n君山区人民政府办公室 2026年10月9日\n（此件公开发布）")
    assert (sig.organ, sig.date) == ("君山区人民政府办公室", dt.date(2026, 10, 9))


def test_signature_two_organs_joint_issue():
    sig = find_signature("特此通知。\n君山区财政局\n君山区教育局\n二〇二六年十月九日")
    assert sig.organ == "君山区财政局 君山区教育局"
    assert sig.date == dt.date(2026, 10, 9)


def test_signature_absent_when_body_ends_in_prose():
    sig = find_signature("会议于2026年10月9日召开。\n会议强调，要抓好落实，确保各项工作取得实效。")
    assert sig == type(sig)(organ=None, date=None)


def test_signature_followed_by_attachment_text():
    text = "特此通知。\n君山区财政局\n2026年11月18日\n附件1\n清查工作底稿\n一、填表说明。本表由各单位填写，并于规定时间内报送，逾期不报的将予以通报。"
    sig = find_signature(text)
    assert (sig.organ, sig.date) == ("君山区财政局", dt.date(2026, 11, 18))


def test_signature_of_issuing_notice_precedes_the_issued_document():
    text = (
        "各乡镇人民政府，区直各单位：\n《君山区防汛应急预案》已经区人民政府同意，现印发给你们，请认真贯彻执行。\n"
        "君山区人民政府办公室\n2026年5月8日\n君山区防汛应急预案\n一、总则\n为做好防汛工作，制定本预案。\n"
        "二、附则\n本预案自印发之日起施行。"
    )
    sig = find_signature(text)
    assert (sig.organ, sig.date) == ("君山区人民政府办公室", dt.date(2026, 5, 8))


def test_signature_forwarded_report_keeps_the_forwarding_organ():
    text = (
        "国务院同意国家地震局《关于加强防震减灾工作的报告》，现转发给你们，请认真贯彻执行。\n国务院办公厅\n一九九七年二月四日\n"
        "关于加强防震减灾工作的报告\n国务院：\n以上意见如无不妥，请批转各地区、各部门贯彻执行。\n国家地震局\n一九九七年一月二十日"
    )
    sig = find_signature(text)
    assert (sig.organ, sig.date) == ("国务院办公厅", dt.date(1997, 2, 4))


def test_signature_organ_without_date():
    sig = find_signature("现将有关事项通知如下。\n各单位要认真落实。\n君山区食品药品监督管理局\n（此件公开发布）")
    assert (sig.organ, sig.date) == ("君山区食品药品监督管理局", None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("人社部发﹝2019﹞3号", "人社部发〔2019〕3号"),
        ("国发〖2019〗3号", "国发〔2019〕3号"),
        ("国家税务总局公告2019年第1号", "国家税务总局公告2019年第1号"),
        ("中华人民共和国主席令第二十九号", "中华人民共和国主席令第二十九号"),
    ],
)
def test_doc_number_rarer_brackets_and_orders(text, expected):
    assert [normalize_doc_number(n) for n in find_doc_numbers(text)] == [expected]


def test_extract_article_event_date_from_title_when_body_has_none():
    html = """<html><head><title>区委理论学习中心组举行11月24日集中学习</title></head><body>
    <h1>区委理论学习中心组举行11月24日集中学习</h1><p>发布时间：2026-11-25</p>
    <div id="zoom"><p>会议传达学习了有关精神，并就贯彻落实作出部署。</p></div></body></html>"""
    facts = extract_article("http://x.gov.cn/a.html", html)
    assert facts.event_date == dt.date(2026, 11, 24)
