"""Finding and parsing dates in Chinese text.

Covers what government pages actually write: ``2019年1月27日``,
``2019-01-27 09:30``, ``2019/1/27``, ``2019.01.27``, Chinese numerals with any
zero look-alike (``二〇二六年十月九日``, ``二○一九年一月二十七日``, ``二零一九``,
``二O一九``), full-width digits, spaces between the parts, and dates without a
year (``11月20日``) that a caller resolves against a reference date. Pure, no
I/O, never raises on any input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from govwatch.lib.cnnum import NUMERAL_CHARS, cn_to_int, halfwidth_digits

MIN_YEAR = 1949
MAX_YEAR = 2100

_CN = f"[{NUMERAL_CHARS}〇○零OＯ◯]"
_CN_YEAR_DIGIT = "[〇○零OＯ◯0一二三四五六七八九]"
_SP = r"[ \t\u3000\xa0]*"

# Time of day after a date: 09:30, 9时30分, 09:30:15.
_TIME = rf"(?:{_SP}(?:[T ]|{_SP})(?P<hh>[01]?\d|2[0-3]){_SP}[:：时]{_SP}(?P<mi>[0-5]\d){_SP}(?:(?:[:：]{_SP}(?P<ss>[0-5]\d))|分)?(?:{_SP}(?P<ap>AM|PM|am|pm))?)?"

# Patterns by kind, most specific first. Each has groups y/m/d (y optional).
ARABIC_FULL = re.compile(
    rf"(?<!\d)(?<!\d\.)(?P<y>(?:19|20)\d\d){_SP}(?P<sep>[-/.年]){_SP}(?P<m>\d{{1,2}}){_SP}[-/.月]{_SP}(?P<d>\d{{1,2}})(?!\d){_SP}[日号]?{_TIME}"
)
# US order as ASP.NET pages print it: 9/17/2004 5:54:13 AM (month first unless it cannot be).
ARABIC_MDY = re.compile(
    rf"(?<![\d/])(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>(?:19|20)\d\d)(?![\d/]){_TIME}"
)
CHINESE_FULL = re.compile(
    rf"(?P<y>{_CN_YEAR_DIGIT}{{4}}){_SP}年{_SP}(?P<m>{_CN}{{1,3}}|\d{{1,2}}){_SP}月{_SP}(?P<d>{_CN}{{1,4}}|\d{{1,2}}){_SP}[日号]"
)
ARABIC_NOYEAR = re.compile(rf"(?<![\d年/.\-])(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}[日号]")
CHINESE_NOYEAR = re.compile(rf"(?<![年{NUMERAL_CHARS}])(?P<m>[十一二三四五六七八九]{{1,2}}){_SP}月{_SP}(?P<d>{_CN}{{1,4}}){_SP}[日号]")
# Compact forms only used on URLs and attributes: 20171010.
COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    year: int | None
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    second: int | None = None

    @property
    def has_year(self) -> bool:
        return self.year is not None

    def value(self) -> dt.date | dt.datetime | None:
        """The date (with time when known); None for a yearless match."""
        if self.year is None:
            return None
        day = make_date(self.year, self.month, self.day)
        if day is None:
            return None
        if self.hour is not None and self.minute is not None:
            return dt.datetime(day.year, day.month, day.day, self.hour, self.minute, self.second or 0)
        return day

    def date(self) -> dt.date | None:
        value = self.value()
        return value.date() if isinstance(value, dt.datetime) else value

    def resolve(self, reference: dt.date) -> dt.date | None:
        """The date, taking a missing year from `reference` (or the year before when
        that would put it after `reference`)."""
        if self.year is not None:
            return self.date()
        day = make_date(reference.year, self.month, self.day)
        if day is not None and day > reference:
            day = make_date(reference.year - 1, self.month, self.day)
        return day


def make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None:
        return None
    if not (MIN_YEAR <= year <= MAX_YEAR):
        return None
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _int(text: str | None) -> int | None:
    return cn_to_int(text) if text else None


def find_dates(text: str | None, *, yearless: bool = True) -> list[DateMatch]:
    """Every valid date in `text`, in order of position, without overlaps."""
    if not text:
        return []
    try:
        text = halfwidth_digits(str(text))
    except Exception:
        return []
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    tables = [ARABIC_FULL, CHINESE_FULL, ARABIC_MDY]
    if yearless:
        tables += [ARABIC_NOYEAR, CHINESE_NOYEAR]
    for pattern in tables:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            groups = m.groupdict()
            year = _int(groups.get("y"))
            month, day = _int(groups.get("m")), _int(groups.get("d"))
            if month is None or day is None:
                continue
            if pattern is ARABIC_MDY and month > 12 >= day:
                month, day = day, month
            if groups.get("y") is not None:
                if year is None or make_date(year, month, day) is None:
                    continue
                # 2019.1.27 is a date; a dotted version number like 2.1.3 never gets here (4-digit year).
                if groups.get("sep") == "年" and "年" not in m.group(0):
                    continue
            elif make_date(2000, month, day) is None:  # 2000 is a leap year: accepts 2月29日
                continue
            hh, mi, ss = groups.get("hh"), groups.get("mi"), groups.get("ss")
            if hh is not None and groups.get("ap"):
                hour = int(hh) % 12 + (12 if groups["ap"].lower() == "pm" else 0)
                hh = str(hour)
            found.append(
                DateMatch(
                    m.start(), m.end(), year, month, day,
                    int(hh) if hh is not None and mi is not None else None,
                    int(mi) if mi is not None else None,
                    int(ss) if ss is not None else None,
                )
            )
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str | None) -> dt.date | dt.datetime | None:
    """The first full date (with year) in `text`, with its time when written; else None."""
    for match in find_dates(text, yearless=False):
        value = match.value()
        if value is not None:
            return value
    return None


def parse_day(text: str | None) -> dt.date | None:
    """Like `parse_date` but always a plain date."""
    value = parse_date(text)
    return value.date() if isinstance(value, dt.datetime) else value


def last_date(text: str | None) -> DateMatch | None:
    """The last full date in `text` (the 落款 date sits at the end of a body)."""
    matches = [m for m in find_dates(text, yearless=False) if m.value() is not None]
    return matches[-1] if matches else None


def url_date(url: str | None) -> dt.date | None:
    """The publish date many CMSs write into article URLs:
    t20171010_123.html (TRS), /art/2017/10/10/ (Hanweb), /2017-10/10/content_ (gov.cn),
    /201710/10/, content_20171010."""
    if not url:
        return None
    for pattern in URL_DATE_PATTERNS:
        m = pattern.search(url)
        if m:
            day = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if day is not None:
                return day
    return None


URL_DATE_PATTERNS = (
    re.compile(r"/t(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)_"),
    re.compile(r"/art/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/"),
    re.compile(r"(?:content|art|info|detail|t)_?(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d{3})"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)/"),
)
