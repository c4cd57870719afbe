"""Chinese wording for documents: dates as an official document writes them, quarter names."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = "〇一二三四五六七八九"


def cn_small(n: int) -> str:
    """1..99 as Chinese numerals: 十, 十一, 二十, 二十七."""
    if n < 0 or n > 99:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def cn_date(day: dt.date) -> str:
    """The date of a 公文: 二〇二六年十一月二十七日."""
    year = "".join(_DIGITS[int(c)] for c in f"{day.year:04d}")
    return f"{year}年{cn_small(day.month)}月{cn_small(day.day)}日"


def ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def quarter_name(year: int, q: int) -> str:
    return f"{year}年第{'一二三四'[q - 1]}季度"


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# A date written 2026-11-17 inside a sentence (not inside a URL or a file name).
_ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])")
_URL = re.compile(r"https?://[^\s，。；、：）)」”]+")
# A zero-width space is a line-break opportunity in Word and LibreOffice: a long address
# wraps after one of its slashes, never inside a word.
ZWSP = "\u200b"


def breakable_url(url: str) -> str:
    return url.replace("/", "/" + ZWSP)


def document_text(value):
    """What a document prints for a template value: Chinese dates, addresses that wrap at slashes.

    Used as the Jinja `finalize` of every Word report, so an office's own template gets it too.
    Rich text and markup objects pass through untouched.
    """
    if type(value) is not str:
        return value
    text = _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", value)
    return _URL.sub(lambda m: breakable_url(m[0]), text)
