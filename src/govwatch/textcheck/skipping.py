"""Text the checker never judges: footers, URLs, 文号, names, places, quoted titles and terms.

`masks(line)` returns three per-character masks (1 = not judged): one for
every detector, one for typos (adds personal names next to a title and
quoted titles of other documents, whose wording is not the page's to fix),
and one for the generated detector (adds places, short quoted coinages and
units after digits).

Names and places introduced by a label (联系人：…, 地址：…) and street
addresses (…路12号) are read from the rulebook's textcheck.toml.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from govwatch.textcheck.params import STANDALONE

LEXICON_FILE = Path(__file__).resolve().parent.parent / "rulebook" / "data" / "textcheck.toml"
LEXICON = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))


def _alternation(words: list[str]) -> str:
    """A regex alternation of `words`, longest first (主要负责人 before 负责人)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

URL_RE = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[A-Za-z0-9.\-]+[!-~]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
FOOTER_RE = re.compile(r"备案号|备案序号|公网安备|网站标识码|ICP备|ICP证|版权所有|技术支持|主办单位|承办单位|网站地图|Copyright|©")
BOOK_TITLE_RE = re.compile(r"《[^《》\n]{0,120}》")
DOC_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,14}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
INDEX_NO_RE = re.compile(r"索\s*引\s*号[：:]\s*\S+")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤易常"
)
NAME_TITLES = (
    "书记|副书记|区长|副区长|县长|副县长|市长|副市长|省长|副省长|镇长|副镇长|主任|副主任|局长|副局长|部长|副部长|"
    "主席|副主席|委员|常委|同志|代表|记者|通讯员|组长|队长|站长|所长|科长|校长|院长|厂长|经理|董事长|主任科员|调研员|"
    "干部|村民|居民|党员|老人|先生|女士|老师|医生|总理|副总理|委员长|处长|秘书长|主任委员|监察员|专员|巡视员"
)
SURNAME_SET = frozenset(SURNAMES)
NAME_BEFORE_RE = re.compile(rf"(?:{NAME_TITLES})[：:\s]?([{SURNAMES}][\u4e00-\u9fff]{{1,2}})")
# A name may be followed by its organ before the title: 胡丽华区委常委、副区长, 王明局党组书记.
NAME_ORGANS = "区委|县委|市委|省委|党委|党组|局党组|党工委|纪委|区政府|区人大|区政协|镇党委|街道党工委"
NAME_AFTER_RE = re.compile(
    rf"([{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?:{NAME_ORGANS})?(?:{NAME_TITLES}|等同志|等人|表示|指出|强调|说|介绍|带队|出席|主持)")
NAME_LIST_RE = re.compile(rf"(?:^|[、，])([{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=、)")
# Proper names of places: the two characters before an administrative suffix, and the suffix.
PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2}(?:县|镇|乡|村|旗|盟|屯|寨|苗族|社区|街道)")
# A label that introduces names, then up to max_names names (a further name
# must not be the next label: 撰稿：某某  审核：某某 is two labels).
_NAME = r"[\u4e00-\u9fff·]{2,4}"
NAME_CONTEXT_RE = re.compile(
    rf"(?:{_alternation(LEXICON['names']['contexts'])})(?:\s*[：:]\s*|[ \u3000]+)"
    rf"({_NAME}(?:[\s\u3000、，,/]+{_NAME}(?![：:\u4e00-\u9fff·])){{0,{int(LEXICON['names']['max_names']) - 1}}})")
# A label that introduces an address or place: its value up to the next clause punctuation.
PLACE_CONTEXT_RE = re.compile(
    rf"(?:{_alternation(LEXICON['places']['contexts'])})\s*[：:]\s*([^，。；;,、）)\n]{{1,60}})")
# A street name before its suffix when a house number follows (…路12号, …街3号).
STREET_RE = re.compile(
    rf"[\u4e00-\u9fff]{{1,{int(LEXICON['places']['street_name_max'])}}}"
    rf"(?:{_alternation(LEXICON['places']['street_suffixes'])})(?=\s*[0-9０-９一二三四五六七八九十〇零]+\s*号)")
# Short coined terms in quotes (“放管服”, “最多跑一次”): their wording is deliberate.
SHORT_QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{1,8})[”\"」』]")
# Date and number units right after a digit (1日起, 3月份): never a typo, never part of one.
UNIT_AFTER_DIGIT_RE = re.compile(r"(?<=[0-9０-９])[年月日号时分秒个元万亿项条款次批]")


def masks(line: str) -> tuple[bytearray, bytearray, bytearray]:
    """(skip_all, skip_typo, skip_generated): 1 where a character must not be judged."""
    n = len(line)
    skip_all = bytearray(n)
    skip_typo = bytearray(n)
    if FOOTER_RE.search(line):
        return bytearray(b"\x01" * n), bytearray(b"\x01" * n), bytearray(b"\x01" * n)
    for rx in (URL_RE, DOC_NO_RE, INDEX_NO_RE):
        for m in rx.finditer(line):
            skip_all[m.start(): m.end()] = b"\x01" * (m.end() - m.start())
    mark(skip_typo, BOOK_TITLE_RE, line)
    for rx in (NAME_CONTEXT_RE, PLACE_CONTEXT_RE):
        for m in rx.finditer(line):
            s, e = m.span(1)
            skip_typo[s:e] = b"\x01" * (e - s)
    mark(skip_typo, STREET_RE, line)
    if not SURNAME_SET.isdisjoint(line):
        for rx in (NAME_BEFORE_RE, NAME_AFTER_RE, NAME_LIST_RE):
            for m in rx.finditer(line):
                s, e = m.span(1)
                skip_typo[s:e] = b"\x01" * (e - s)
    if skip_all.find(1) != -1:
        for i in range(n):
            if skip_all[i]:
                skip_typo[i] = 1
    gen = bytearray(skip_typo)
    mark(gen, PLACE_RE, line)
    mark(gen, SHORT_QUOTE_RE, line)
    mark(gen, UNIT_AFTER_DIGIT_RE, line)
    return skip_all, skip_typo, gen


def mark(mask: bytearray, rx: re.Pattern, line: str) -> None:
    for m in rx.finditer(line):
        mask[m.start(): m.end()] = b"\x01" * (m.end() - m.start())


def mark_list_items(mask: bytearray, line: str, token_at: list[tuple[int, int]]) -> None:
    """Mark single-character items of an enumeration (水、电、煤): each is a word of its own.

    A single-character token on both sides of 、, the second one followed by the
    end of the list (punctuation, another 、 or a function word such as 有, 等),
    is a list of one-character nouns; read together with its neighbour (煤有)
    it only looks like a word. A longer item (铁、桂藻土) is still judged.
    """
    n = len(line)
    q = line.find("、", 1)
    while 0 < q < n - 1:
        if (token_at[q - 1] == (q - 1, q) and token_at[q + 1] == (q + 1, q + 2)
                and "\u4e00" <= line[q - 1] <= "\u9fff" and "\u4e00" <= line[q + 1] <= "\u9fff"
                and (q + 2 >= n or not "\u4e00" <= line[q + 2] <= "\u9fff" or line[q + 2] in STANDALONE)):
            mask[q - 1] = mask[q + 1] = 1
        q = line.find("、", q + 1)
