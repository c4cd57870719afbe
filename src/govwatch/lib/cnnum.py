"""Chinese numerals as they appear in official documents and dates.

Two spellings coexist: positional digits (二〇一九, where 〇/○/零/O and even a
Latin O stand for zero) and the counted form (二十七, 十二). Full-width Arabic
digits (２０１９) show up too. Everything here is pure and never raises: a
string that is not a number gives None.
"""

from __future__ import annotations

# Every glyph used for a digit; zero has many look-alikes in real documents.
DIGITS: dict[str, int] = {
    "〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0, "◯": 0, "0": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "两": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

# Characters a regex may use to spot a Chinese numeral.
NUMERAL_CHARS = "".join(k for k in DIGITS if not k.isascii()) + "".join(UNITS)

_FULLWIDTH = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}


def halfwidth_digits(text: str) -> str:
    """Full-width digits (０-９) to ASCII; other characters unchanged."""
    return text.translate(_FULLWIDTH)


def digits_positional(text: str) -> int | None:
    """二〇一九 -> 2019: each character one digit (years, 文号 numbers)."""
    if not text:
        return None
    value = 0
    for ch in text:
        if ch.isdigit() and ch.isascii():
            d = int(ch)
        elif ch in DIGITS:
            d = DIGITS[ch]
        else:
            return None
        value = value * 10 + d
    return value


def cn_to_int(text: str | None) -> int | None:
    """A Chinese or Arabic numeral to int: 二十七 -> 27, 十二 -> 12, 三十一 -> 31,
    一百零五 -> 105, 二〇二六 -> 2026, 27 -> 27, ２７ -> 27. None when not a number."""
    if not text:
        return None
    text = halfwidth_digits(text.strip())
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if not any(ch in UNITS for ch in text):
        return digits_positional(text)
    total = 0
    current = None
    for ch in text:
        if ch in UNITS:
            unit = UNITS[ch]
            total += (1 if current is None else current) * unit
            current = None
        elif ch in DIGITS:
            d = DIGITS[ch]
            # 零 inside a counted number is a placeholder (一百零五), not a digit.
            current = d if d else current
        elif ch.isascii() and ch.isdigit():
            current = int(ch)
        else:
            return None
    if current is not None:
        total += current
    return total
