"""Links and decoding."""

from __future__ import annotations

from govwatch.extract import decode_html, extract_links


def test_extract_links_kinds_absolute_and_filtered():
    html = """<html><body><a href="/a/b.html#top">文章</a><a href="javascript:void(0)">打印</a>
    <a href="mailto:x@y.cn">邮件</a><a href="#">顶部</a><a href="tel:123">电话</a>
    <img src="../img/logo.png" alt="标志"><a href="files/附件1.docx">附件1</a></body></html>"""
    links = extract_links("http://www.example.gov.cn/x/y/index.html", html)
    assert [(l.url, l.kind) for l in links] == [
        ("http://www.example.gov.cn/a/b.html", "a"),
        ("http://www.example.gov.cn/x/img/logo.png", "img"),
        ("http://www.example.gov.cn/x/y/files/附件1.docx", "attachment"),
    ]


def test_decode_html_gb2312_label_means_gb18030():
    text = "镕" + "𠀀"  # GBK-only and GB18030-only characters under a gb2312 label
    body = f'<meta charset="gb2312"><p>{text}</p>'.encode("gb18030")
    assert text in decode_html(body)


def test_decode_html_header_beats_meta():
    body = '<meta charset="gbk"><p>政务公开</p>'.encode("utf-8")
    assert "政务公开" in decode_html(body, "text/html; charset=UTF-8")


def test_decode_html_unlabelled_gbk_detected():
    assert "政务公开" in decode_html("<p>政务公开信息</p>".encode("gbk"))


def test_decode_html_bom_wins():
    assert decode_html(b"\xef\xbb\xbf<p>\xe6\x94\xbf</p>", "text/html; charset=gbk") == "<p>政</p>"


def test_decode_html_bad_bytes_replaced_not_raised():
    assert "\ufffd" in decode_html(b'<meta charset="utf-8">\xff\xfe\xfa ok')


def test_decode_html_utf8_label_on_gbk_bytes_is_corrected():
    body = '<meta charset="utf-8"><p>关于做好政务公开工作的通知</p>\n'.encode("gbk")
    assert "政务公开" in decode_html(body)


def test_decode_html_gbk_label_on_utf8_bytes_is_corrected():
    body = '<meta charset="gbk"><p>关于做好政务公开工作的通知</p>\n'.encode("utf-8")
    assert "政务公开" in decode_html(body)
