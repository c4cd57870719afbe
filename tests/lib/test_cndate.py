"""Chinese dates and numerals as official documents write them."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch.lib.cndate import find_dates, last_date, parse_date, parse_day, url_date
from govwatch.lib.cnnum import cn_to_int, halfwidth_digits


@pytest.mark.parametrize(
    "text, expected",
    [
        ("二〇二六年十月九日", dt.date(2026, 10, 9)),
        ("二〇一九年一月二十七日", dt.date(2019, 1, 27)),
        ("二○一九年十二月三十一日", dt.date(2019, 12, 31)),
        ("二零一九年十一月二十日", dt.date(2019, 11, 20)),
        ("二O一九年一月二日", dt.date(2019, 1, 2)),
        ("一九九六年二月六日", dt.date(1996, 2, 6)),
        ("2019年1月27日", dt.date(2019, 1, 27)),
        ("2019年01月27日", dt.date(2019, 1, 27)),
        ("２０１９年１月２７日", dt.date(2019, 1, 27)),
        ("2019 年 1 月 27 日", dt.date(2019, 1, 27)),
        ("2019-01-27", dt.date(2019, 1, 27)),
        ("2019/1/27", dt.date(2019, 1, 27)),
        ("2019.01.27", dt.date(2019, 1, 27)),
    ],
)
def test_parse_day_written_forms(text, expected):
    assert parse_day(text) == expected


def test_parse_date_keeps_time_when_written():
    assert parse_date("发布时间：2019-01-27 09:30:15") == dt.datetime(2019, 1, 27, 9, 30, 15)
    assert parse_date("2019年1月27日 9:05") == dt.datetime(2019, 1, 27, 9, 5)


@pytest.mark.parametrize("text", ["2019年13月1日", "2019-02-30", "版本 2.1.3", "电话 0731-8888888", "", "二〇一九年"])
def test_parse_date_invalid_or_absent_is_none(text):
    assert parse_date(text) is None


def test_find_dates_yearless_resolves_against_reference_year():
    (match,) = find_dates("11月20日上午，区政府召开常务会议")
    assert match.year is None
    assert match.resolve(dt.date(2026, 11, 27)) == dt.date(2026, 11, 20)


def test_find_dates_yearless_after_reference_takes_previous_year():
    (match,) = find_dates("十二月三十一日")
    assert (match.month, match.day) == (12, 31)
    assert match.resolve(dt.date(2027, 1, 3)) == dt.date(2026, 12, 31)


def test_find_dates_full_date_not_reported_twice_as_yearless():
    matches = find_dates("2026年11月20日")
    assert len(matches) == 1 and matches[0].year == 2026


def test_last_date_is_the_signature_date():
    text = "会议于2019年1月3日召开。\n国务院\n2019年1月27日"
    assert last_date(text).date() == dt.date(2019, 1, 27)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://www.example.gov.cn/czj/tzgg/202611/t20261120_123.html", dt.date(2026, 11, 20)),
        ("http://www.example.gov.cn/art/2017/10/10/art_12_345.html", dt.date(2017, 10, 10)),
        ("http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm", dt.date(2019, 2, 15)),
        ("http://www.example.gov.cn/content_20171010_1.html", dt.date(2017, 10, 10)),
        ("http://www.example.gov.cn/zwgk/index.html", None),
    ],
)
def test_url_date_cms_patterns(url, expected):
    assert url_date(url) == expected


@pytest.mark.parametrize("text, value", [("二十七", 27), ("十二", 12), ("十", 10), ("三十一", 31), ("一百零五", 105), ("二〇二六", 2026), ("２７", 27), ("O", 0)])
def test_cn_to_int_counted_and_positional(text, value):
    assert cn_to_int(text) == value


def test_cn_to_int_not_a_number_is_none():
    assert cn_to_int("年") is None
    assert cn_to_int("") is None


def test_halfwidth_digits_keeps_length():
    assert halfwidth_digits("国发〔２０１９〕５号") == "国发〔2019〕5号"


def test_parse_date_us_order_with_pm():
    assert parse_date("发布日期：9/17/2004 5:54:13 PM") == dt.datetime(2004, 9, 17, 17, 54, 13)


def test_parse_date_slash_day_first_when_month_impossible():
    assert parse_day("25/12/2019") == dt.date(2019, 12, 25)
