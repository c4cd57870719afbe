"""The text checker: typos (错别字) and wrong official expressions, offline and precision first.

Three detectors run over each line, on top of one jieba segmentation
(dictionary only, HMM off, so that a typo shows up as single-character tokens):

1. curated misspellings (data/misspellings.tsv, 按装 -> 安装): reported when the
   wrong form starts and ends on token boundaries (so 组建全区 never matches 建全);
2. official expressions (rulebook/data/expressions-official.toml): explicit
   wrong forms (习总书记) and one-character near misses of official names
   (中华人民共合国) where the wrong character sounds or looks like the right one;
3. generated confusions: at a single-character token, a homophone, near
   homophone or look-alike substitution (hand-made and pycorrector shape
   groups, glyph neighbours from data/glyphs.tsv) that turns a 2-4 character
   window which is not a word into a frequent dictionary word, kept only when
   the best segmentation of the surrounding text under jieba's unigram word
   model gains a clear margin from the substitution. A candidate just short of
   that margin is kept when a character bigram model of official text
   (charlm.py) says the correction fits its neighbours much better. Rare
   characters (outside data/charclasses.tsv) are judged too, a run of
   single-character tokens may be read as a whole-word homophone (苞户 -> 保护)
   at a stricter prior, and a rare two-character word may be read as a frequent
   word of the same reading (怜恤 -> 连续) when both models agree strongly.

Text that is not prose is skipped: URLs and e-mail addresses, footer lines
(备案号, 公网安备, 网站标识码 ...), 文号 such as 君政办发〔2026〕12号, personal
names next to a title (区委书记张建全), and for typos quoted titles of other
documents (《...》), whose wording is not the page's to fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from govwatch.facts import TypoHit
from govwatch.textcheck.charlm import CharBigramLM

DATA_DIR = Path(__file__).with_name("data")
EXPRESSIONS_FILE = Path(__file__).resolve().parent.parent / "rulebook" / "data" / "expressions-official.toml"

# ---------------------------------------------------------------------------
# Heuristics as data.

HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
# jieba's blocks (re_han_default) and the characters it joins into one token when single (re_eng).
JIEBA_BLOCK_RE = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
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
# Short coined terms in quotes (“放管服”, “凡提必审”): their wording is deliberate.
SHORT_QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{1,8})[”\"」』]")
# Date and number units right after a digit (1日起, 3月份): never a typo, never part of one.
UNIT_AFTER_DIGIT_RE = re.compile(r"(?<=[0-9０-９])[年月日号时分秒个元万亿项条款次批]")
CN_NUMERALS = set("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
# Characters never judged as typos by the generated detector: numerals and very
# frequent function characters, whose confusions need more context than a
# unigram word model has.
NEVER_WRONG = CN_NUMERALS | set("的地得了着过在是和与及或而之其于以为把被对从向将由等")
# Characters that usually stand alone as words (adverbs, modals, pronouns,
# localisers): a window that holds one of them beside the judged character most
# likely runs across a word boundary (如|需, 该|委, 将|视, 部|要, 款|中).
STANDALONE = NEVER_WRONG | set("要将该如中有不这那也都就还又再可能会应须均各每并即且则但使让给向往从自至到上下内外后前里间时已未很更最所此其本")
STANDALONE_PENALTY = 3.0
# A window that begins with a surname, or right after one, is likely part of
# a personal name (魏|志明, 刘星, 胡丽华).
NAME_PENALTY = 3.0

# Near misses of official terms: in a term this long, any one inner character may be
# the wrong one (中华人民共合国), except level and organ characters, which make other
# real names (全省人民代表大会, 自然资源局), and except function characters.
LONG_TERM = 5
LEVEL_CHARS = set("国省市县区州盟旗乡镇村街道部局厅委办署室处科所站院会司中心总")

# Generated detector.
TARGET_MIN_FREQ = 20  # a correction must be a dictionary word at least this frequent
WINDOW_MAX_FREQ = 3  # a window that is a word more frequent than this is not judged
GAIN_THRESHOLD = 6.0  # log-probability margin the substitution must win by
PRIOR_SAME_TONE = 0.0  # same main reading, tone included
PRIOR_SAME = -1.0  # same reading up to the tone, or through a second reading
PRIOR_FUZZY = -3.0  # near reading (z/zh, n/l, in/ing ...)
PRIOR_SHAPE = -2.5  # look-alike characters (hand-made groups, pycorrector's same_stroke groups)
SHAPE_GROUP_FILES = ("shape_groups.txt", "shape_groups_pycorrector.txt")
USE_FOUR_CORNER = False  # True: four-corner codes differing in one corner are look-alikes too (+3% recall, 20-35% slower; docs)
PRIOR_FOUR_CORNER = -3.5
USE_GLYPHS = True  # look-alikes from rendered glyphs (data/glyphs.tsv, build_glyphs.py)
PRIOR_GLYPH = -3.0  # look-alike characters by glyph similarity
GLYPH_NEIGHBOURS = 3  # look-alikes tried per character, most similar first
WORD_HOMOPHONES = True  # a non-word run of 2-3 single characters read as a frequent word, 2+ characters changed
WORD_HOMOPHONE_CANDIDATES = 3  # most frequent words kept per reading
PRIOR_WORD_SAME_TONE = -2.5  # per changed character of a whole-word homophone, same tone
PRIOR_WORD_TONE = -3.5  # per changed character of a whole-word homophone, other tone
JUDGE_RARE = True  # characters outside charclasses.tsv may be judged (never proposed) when glyphs.tsv knows them
CONTEXT_CHARS = 2  # characters of context on each side when scoring
# Context: the character bigram model (charlm.py, data/charlm.tsv) says how well a
# correction fits the characters around it, which the unigram word model cannot.
USE_CHARLM = True
LM_WEIGHT = 0.5  # nats of gain per nat of character-model log-probability gained
LM_REACH = 3.0  # candidates up to this far below GAIN_THRESHOLD are rescored with the character model
LM_MARGIN = 3.0  # ... and must first gain this many nats under it: the model only rescues clear cases
LM_WORD_WEIGHT = 0.0  # the same weight for whole-word homophones (0: not used; it raised false alarms)
# Real-word homophones: a rare two-character word (a real word, so the window detector
# never judges it) read as a frequent word of the same toneless reading (怜恤 -> 连续),
# a typical pinyin input slip. Both models must agree strongly.
RARE_WORD_HOMOPHONES = True  # needs USE_CHARLM
RARE_WORD_MAX_FREQ = 50  # only words at most this frequent in jieba's dictionary are judged
RARE_WORD_RATIO = 10  # the correction must be at least this many times more frequent
RARE_WORD_MIN_CHANGED = 2  # characters that must differ (both, in a two-character word)
RARE_WORD_LM_WEIGHT = 0.5  # nats of gain per nat of character-model log-probability gained
RARE_WORD_THRESHOLD = 10.0  # nats the word model, the character model and the priors must add up to
MAX_JUDGED_TOKEN = 1  # tokens up to this length are judged; 2 also tries real words (主观部门 -> 主管部门): +0.5% recall for -25% speed
REALWORD_PENALTY = 2.0  # the wrong character is part of a real two-character word
PREFIX_PENALTY = 3.0  # the window begins a longer dictionary word (jieba's prefix dict): likely a real term
MAX_WORD = 6
CONTAINING_WORD_MAX_FREQ = 5  # a dictionary token holding a curated misspelling is itself one when this rare
GOVTERM_FREQ = 2000  # frequency given to the added government vocabulary

FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"))
FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"), ("iang", "ian"), ("uang", "uan"))


def fuzzy(reading: str) -> str:
    for a, b in FUZZY_INITIALS:
        if reading.startswith(a):
            reading = b + reading[len(a):]
            break
    for a, b in FUZZY_FINALS:
        if reading.endswith(a):
            reading = reading[: -len(a)] + b
            break
    return reading


def _read_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        wrong, right = line.split("\t")[:2]
        if wrong != right:
            pairs[wrong] = right
    return pairs


def _char_class_re(chars: set[str]) -> re.Pattern:
    return re.compile("[" + "".join(sorted(re.escape(c) for c in chars)) + "]" if chars else "(?!)")


class Whitelist:
    """Dismissed typos of one site: plain wrong strings, or (wrong, context) pairs.

    A (wrong, None) pair or a plain string suppresses that wrong form anywhere;
    (wrong, context) suppresses it only where `context` occurs around the hit.
    """

    def __init__(self, entries: Iterable[str | tuple[str, str | None]] | None = None):
        self.anywhere: set[str] = set()
        self.in_context: dict[str, list[str]] = {}
        for entry in entries or ():
            if isinstance(entry, str):
                self.anywhere.add(entry)
            else:
                wrong, context = entry
                if context:
                    self.in_context.setdefault(wrong, []).append(context)
                else:
                    self.anywhere.add(wrong)

    def __bool__(self) -> bool:
        return bool(self.anywhere or self.in_context)

    def allows(self, hit: TypoHit, text: str) -> bool:
        """True when the hit was dismissed before."""
        if hit.wrong in self.anywhere:
            return True
        for context in self.in_context.get(hit.wrong, ()):
            lo = max(0, hit.start - len(context))
            if context in text[lo: hit.end + len(context)]:
                return True
        return False


class TextChecker:
    """Loads the dictionaries once; `check` is then pure and fast."""

    def __init__(self, expressions_file: Path | None = None, extra_terms: Iterable[str] = ()):
        import jieba

        jieba.setLogLevel(60)
        # Our own tokenizer (same dictionary and cache file as jieba's default
        # one), so that adding government vocabulary never changes how other
        # code in the process segments text.
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        self.govterms = [w.strip() for w in (DATA_DIR / "govterms.txt").read_text(encoding="utf-8").splitlines()
                         if w.strip() and not w.startswith("#") and HAN_RUN_RE.fullmatch(w.strip())]
        for word in self.govterms:
            if tokenizer.FREQ.get(word, 0) < GOVTERM_FREQ:
                tokenizer.add_word(word, GOVTERM_FREQ)
        self._tokenizer = tokenizer
        self.freq: dict[str, int] = tokenizer.FREQ
        self.log_total = math.log(tokenizer.total)

        self.misspellings = _read_pairs(DATA_DIR / "misspellings.tsv")
        self.readings: dict[str, tuple[str, ...]] = {}
        self.fourcorner: dict[str, str] = {}
        for line in (DATA_DIR / "charclasses.tsv").read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            ch, readings, *rest = line.split("\t")
            self.readings[ch] = tuple(readings.split(","))
            if rest and rest[0] and USE_FOUR_CORNER:
                self.fourcorner[ch] = rest[0]
        # Glyph look-alikes (common characters only), and readings of rare characters.
        self.glyph_neigh: dict[str, str] = {}
        rare_readings: dict[str, tuple[str, ...]] = {}
        if USE_GLYPHS or JUDGE_RARE:
            for line in (DATA_DIR / "glyphs.tsv").read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                ch, neigh, readings = line.split("\t")
                if neigh and USE_GLYPHS:
                    self.glyph_neigh[ch] = neigh[:GLYPH_NEIGHBOURS]
                if readings and JUDGE_RARE and ch not in self.readings:
                    rare_readings[ch] = tuple(readings.split(","))
        self.shape_group: dict[str, list[int]] = {}
        groups = [line.strip() for name in SHAPE_GROUP_FILES
                  for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
        for gid, group in enumerate(groups):
            for ch in group:
                self.shape_group.setdefault(ch, []).append(gid)
        # Class markers of each character: fuzzy readings and shape groups.
        self.classes: dict[str, tuple[str, ...]] = {}
        # Four-corner look-alike marks, used for two-character windows only (cost).
        self.corner_marks: dict[str, tuple[str, ...]] = {}
        for ch, readings in self.readings.items():
            marks = {f"\x01{fuzzy(r.rstrip('012345'))}\x02" for r in readings}
            marks.update(f"\x01#{g}\x02" for g in self.shape_group.get(ch, ()))
            self.classes[ch] = tuple(sorted(marks))
            code = self.fourcorner.get(ch)
            if code:  # one mark per corner left out: codes that differ in one corner share a mark
                self.corner_marks[ch] = tuple(f"\x01@{code[:i]}?{code[i + 1:]}\x02" for i in range(4))
        # Reading marks alone, where a character also has shape marks.
        self.sound_marks = {ch: tuple(m for m in marks if not m.startswith("\x01#"))
                            for ch, marks in self.classes.items() if any(m.startswith("\x01#") for m in marks)}
        # Rare characters: judged (as the wrong character only) through their readings and glyphs.
        self.rare_classes: dict[str, tuple[str, ...]] = {}
        for ch, readings in rare_readings.items():
            self.readings[ch] = readings
            marks = {f"\x01{fuzzy(r.rstrip('012345'))}\x02" for r in readings}
            marks.update(f"\x01#{g}\x02" for g in self.shape_group.get(ch, ()))
            self.rare_classes[ch] = tuple(sorted(marks))
        if not JUDGE_RARE:
            self.glyph_neigh = {ch: v for ch, v in self.glyph_neigh.items() if ch in self.classes}
        self._related_memo: dict[str, float | None] = {}
        # Without the counts file (an office may remove it, docs/decisions.md) the word rules still run.
        self.charlm = CharBigramLM.load(DATA_DIR / "charlm.tsv") if USE_CHARLM and (DATA_DIR / "charlm.tsv").exists() else None
        self._build_index()
        self._load_expressions(expressions_file or EXPRESSIONS_FILE, extra_terms)
        self._typo_prefix = {w[:2] for w in self.misspellings}
        self._explicit_first = _char_class_re({w[0] for w in self.misspellings} | {w[0] for w in self.expression_wrongs})
        self._not_common = re.compile("[^" + "".join(sorted(re.escape(c) for c in self.classes)) + "]")
        self._typo_lengths = sorted({len(w) for w in self.misspellings})

    # -- data ---------------------------------------------------------------

    def _build_index(self) -> None:
        index: dict[str, list[str]] = {}
        classes = self.classes
        wrong_forms = set(self.misspellings) | set(self.govterms)
        self._wrong_forms = wrong_forms
        # Whole-word homophones: toneless main readings of a word -> words.
        pinyin_index: dict[str, list[str]] = {}
        syllable = {ch: r[0].rstrip("012345") for ch, r in self.readings.items()}
        for word, f in self.freq.items():
            if f < TARGET_MIN_FREQ or not 2 <= len(word) <= 4 or word in wrong_forms:
                continue
            if not all(ch in classes for ch in word):
                continue
            for i, ch in enumerate(word):
                head, tail = word[:i], word[i + 1:]
                marks = classes[ch]
                if len(word) == 2:
                    marks = marks + self.corner_marks.get(ch, ())
                for mark in marks:
                    index.setdefault(head + mark + tail, []).append(word)
            if WORD_HOMOPHONES:
                pinyin_index.setdefault(" ".join(map(syllable.__getitem__, word)), []).append(word)
        self.index = index
        # Only the most frequent words of a reading are proposed (an input method lists them first).
        freq = self.freq
        for words in pinyin_index.values():
            if len(words) > WORD_HOMOPHONE_CANDIDATES:
                words.sort(key=lambda w: -freq[w])
                del words[WORD_HOMOPHONE_CANDIDATES:]
        self.pinyin_index = pinyin_index
        self._syllable = syllable

    def _load_expressions(self, path: Path, extra_terms: Iterable[str]) -> None:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        terms: set[str] = set(extra_terms)
        for values in raw.get("terms", {}).values():
            terms.update(values)
        self.terms = terms
        self.expression_wrongs = {w["wrong"]: w["right"] for w in raw.get("wrong", []) if w["wrong"] != w["right"]}
        self._expr_prefix = {w[:2] for w in self.expression_wrongs}
        self._expr_lengths = sorted({len(w) for w in self.expression_wrongs})
        # Anchors for near misses: an exact bigram of the term that does not
        # cover the substituted character; 3-character terms are keyed by
        # their outer characters for a middle substitution.
        anchors: dict[str, list[tuple[str, int]]] = {}
        outer: dict[tuple[str, str], list[str]] = {}
        for term in terms:
            if len(term) < 3:
                continue
            # The first and the last bigram: one substituted character leaves at
            # least one of them intact (the middle of a 3-character term is
            # found through its outer characters below).
            for off in {0, len(term) - 2}:
                anchors.setdefault(term[off: off + 2], []).append((term, off))
            if len(term) == 3:
                outer.setdefault((term[0], term[2]), []).append(term)
        self._anchors = anchors
        self._outer = outer
        self._anchor_first = _char_class_re({a[0] for a in anchors})
        self._outer_first = _char_class_re({k[0] for k in outer})

    # -- public API ---------------------------------------------------------

    def check(self, text: str, whitelist=None) -> list[TypoHit]:
        """All issues of `text` (may span lines), offsets into `text`, sorted."""
        wl = whitelist if isinstance(whitelist, Whitelist) else Whitelist(whitelist)
        hits: list[TypoHit] = []
        offset = 0
        for line in text.split("\n"):
            for hit in self._check_line(line):
                if wl and wl.allows(hit, line):
                    continue
                if offset:
                    hit = TypoHit(hit.start + offset, hit.end + offset, hit.wrong, hit.right, hit.kind,
                                  hit.confidence, hit.context)
                hits.append(hit)
            offset += len(line) + 1
        return hits

    def check_lines(self, lines: Iterable[str], whitelist=None) -> list[list[TypoHit]]:
        """One list of issues per input line (offsets into that line)."""
        wl = whitelist if isinstance(whitelist, Whitelist) else Whitelist(whitelist)
        return [self.check(line.rstrip("\r\n"), wl) for line in lines]

    # -- one line -----------------------------------------------------------

    def _masks(self, line: str) -> tuple[bytearray, bytearray, bytearray]:
        """(skip_all, skip_typo, skip_generated): 1 where a character must not be judged."""
        n = len(line)
        skip_all = bytearray(n)
        skip_typo = bytearray(n)
        if FOOTER_RE.search(line):
            return bytearray(b"\x01" * n), bytearray(b"\x01" * n), bytearray(b"\x01" * n)
        for rx in (URL_RE, DOC_NO_RE, INDEX_NO_RE):
            for m in rx.finditer(line):
                skip_all[m.start(): m.end()] = b"\x01" * (m.end() - m.start())
        self._mark(skip_typo, BOOK_TITLE_RE, line)
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
        self._mark(gen, PLACE_RE, line)
        self._mark(gen, SHORT_QUOTE_RE, line)
        self._mark(gen, UNIT_AFTER_DIGIT_RE, line)
        return skip_all, skip_typo, gen

    @staticmethod
    def _mark(mask: bytearray, rx: re.Pattern, line: str) -> None:
        for m in rx.finditer(line):
            mask[m.start(): m.end()] = b"\x01" * (m.end() - m.start())

    def _check_line(self, line: str) -> list[TypoHit]:
        if not line or not HAN_RUN_RE.search(line):
            return []
        skip_all, skip_typo, skip_gen = self._masks(line)
        spans = self._segment(line)
        token_at: list[tuple[int, int]] = []  # per character: (start, end) of its token
        for span in spans:
            token_at.extend([span] * (span[1] - span[0]))
        bounds = {0, *(e for _, e in spans)}
        found: dict[tuple[int, int], TypoHit] = {}
        taken = bytearray(len(line))

        def add(hit: TypoHit) -> None:
            if any(taken[hit.start: hit.end]):
                return
            taken[hit.start: hit.end] = b"\x01" * (hit.end - hit.start)
            found[(hit.start, hit.end)] = hit

        for hit in self._explicit(line, token_at, skip_all, skip_typo):
            add(hit)
        for hit in self._near_terms(line, bounds, skip_all):
            add(hit)
        for hit in sorted(self._generated(line, spans, skip_gen), key=lambda h: -h.confidence):
            add(hit)
        return sorted(found.values(), key=lambda h: h.start)

    def _segment(self, line: str) -> list[tuple[int, int]]:
        """The (start, end) of each token of `self._tokenizer.lcut(line, HMM=False)`, computed faster.

        The same segmentation as jieba's dictionary-only mode, token for token:
        blocks of Han characters, ASCII letters and digits and +#&._%- are cut
        along the most probable route through the words of the dictionary
        (ties going to the longer word), single ASCII letters and digits in a
        row are joined, and every other character is a token of its own.
        One backward pass per block, with no DAG and no generators.
        """
        spans: list[tuple[int, int]] = []
        append = spans.append
        freq = self.freq
        log = math.log
        log_total = self.log_total
        pos = 0
        for m in JIEBA_BLOCK_RE.finditer(line):
            bs, be = m.span()
            for i in range(pos, bs):
                append((i, i + 1))
            pos = be
            n = be - bs
            block = m.group()
            score = [0.0] * (n + 1)
            nxt = [0] * (n + 1)
            for i in range(n - 1, -1, -1):
                best = None
                end = i + 1
                frag = block[i]
                f = freq.get(frag)
                j = i + 1
                while f is not None:
                    if f:
                        sc = log(f) - log_total + score[j]
                        if best is None or sc >= best:
                            best, end = sc, j
                    if j == n:
                        break
                    j += 1
                    f = freq.get(block[i:j])
                if best is None:
                    best = -log_total + score[i + 1]
                score[i] = best
                nxt[i] = end
            i = 0
            run = -1  # start of a run of single ASCII letters and digits
            while i < n:
                j = nxt[i]
                if j == i + 1 and block[i] in ASCII_ALNUM:
                    if run < 0:
                        run = i
                else:
                    if run >= 0:
                        append((bs + run, bs + i))
                        run = -1
                    append((bs + i, bs + j))
                i = j
            if run >= 0:
                append((bs + run, bs + n))
        for i in range(pos, len(line)):
            append((i, i + 1))
        return spans

    def _context(self, line: str, start: int, end: int) -> str:
        return line[max(0, start - 8): end + 8]

    def _explicit(self, line, tokens, skip_all, skip_typo):
        """Curated misspellings and explicit wrong expressions that segmentation does not read otherwise."""
        n = len(line)
        expr_prefix, typo_prefix = self._expr_prefix, self._typo_prefix
        for m in self._explicit_first.finditer(line):
            start = m.start()
            pair = line[start: start + 2]
            if pair in expr_prefix and not skip_all[start]:
                for length in self._expr_lengths:
                    end = start + length
                    if end > n:
                        break
                    wrong = line[start:end]
                    if (wrong in self.expression_wrongs and not any(skip_all[start:end])
                            and self._fits_tokens(line, tokens, start, end)):
                        yield TypoHit(start, end, wrong, self.expression_wrongs[wrong], "expression", 0.95,
                                      self._context(line, start, end))
            if pair in typo_prefix and not skip_typo[start]:
                for length in self._typo_lengths:
                    end = start + length
                    if end > n:
                        break
                    wrong = line[start:end]
                    if (wrong in self.misspellings and not any(skip_typo[start:end])
                            and self._fits_tokens(line, tokens, start, end)):
                        if wrong == "既使" and "又" in line[end: end + 20]:
                            continue  # 既使…又… is a correct construction
                        yield TypoHit(start, end, wrong, self.misspellings[wrong], "typo", 0.93,
                                      self._context(line, start, end))

    def _fits_tokens(self, line: str, tokens: list[tuple[int, int]], start: int, end: int) -> bool:
        """False when a token straddles an edge of [start, end): 组建|全区 is not 建全.

        A token that holds the whole span and begins or ends with it is fine
        when it is a rare dictionary entry (jieba's dictionary has 座落在, freq 3,
        which holds the misspelling 座落), but not when it is a real word (不能自已
        holds 自已 and is right).
        """
        ts, te = tokens[start]
        start_ok = ts == start or (te == end and self._rare(line[ts:te]))
        ts, te = tokens[end - 1]
        end_ok = te == end or (ts == start and self._rare(line[ts:te]))
        return start_ok and end_ok

    def _rare(self, word: str) -> bool:
        return self.freq.get(word, 0) <= CONTAINING_WORD_MAX_FREQ

    def _related(self, wrong: str, right: str) -> float | None:
        """The prior of confusing `right` with `wrong`, or None when unrelated (memoised)."""
        key = wrong + right
        try:
            return self._related_memo[key]
        except KeyError:
            if len(self._related_memo) > 500_000:
                self._related_memo.clear()
            prior = self._related_memo[key] = self._related_uncached(wrong, right)
            return prior

    def _related_uncached(self, wrong: str, right: str) -> float | None:
        rw = self.readings.get(wrong)
        rr = self.readings.get(right)
        if rw and rr:
            if rw[0] == rr[0]:
                return PRIOR_SAME_TONE
            bare_w = {r.rstrip("012345") for r in rw}
            bare_r = {r.rstrip("012345") for r in rr}
            if bare_w & bare_r:
                return PRIOR_SAME
            if {fuzzy(r) for r in bare_w} & {fuzzy(r) for r in bare_r}:
                return PRIOR_FUZZY
        if set(self.shape_group.get(wrong, ())) & set(self.shape_group.get(right, ())):
            return PRIOR_SHAPE
        if right in self.glyph_neigh.get(wrong, ""):
            return PRIOR_GLYPH
        cw, cr = self.fourcorner.get(wrong), self.fourcorner.get(right)
        if cw and cr and sum(a != b for a, b in zip(cw, cr)) <= 1:
            return PRIOR_FOUR_CORNER
        return None

    def _near_terms(self, line, bounds, skip_all):
        """One-character near misses of official terms."""
        n = len(line)
        seen = set()
        for m in self._anchor_first.finditer(line):
            k = m.start()
            cands = self._anchors.get(line[k: k + 2])
            if not cands:
                continue
            for term, off in cands:
                s = k - off
                e = s + len(term)
                if s < 0 or e > n or (s, e) in seen:
                    continue
                hit = self._near_one(line, s, e, term, bounds, skip_all)
                if hit:
                    seen.add((s, e))
                    yield hit
        if self._outer:
            for m in self._outer_first.finditer(line):
                k = m.start()
                terms = self._outer.get((line[k], line[k + 2: k + 3]))
                if terms and (k, k + 3) not in seen:
                    for term in terms:
                        hit = self._near_one(line, k, k + 3, term, bounds, skip_all)
                        if hit:
                            seen.add((k, k + 3))
                            yield hit
                            break

    def _near_one(self, line, s, e, term, bounds, skip_all):
        if s not in bounds or e not in bounds:
            return None  # 湖南生产 is not a near miss of 湖南省 (the cheapest test, so first)
        window = line[s:e]
        if window == term or window in self.terms:
            return None
        diff = [i for i in range(len(term)) if window[i] != term[i]]
        if len(diff) != 1:
            return None
        i = diff[0]
        if not "\u4e00" <= window[i] <= "\u9fff" or any(skip_all[s:e]):
            return None
        if self.freq.get(window, 0) > WINDOW_MAX_FREQ:
            return None
        if self._related(window[i], term[i]) is None and not (
                len(term) >= LONG_TERM and 0 < i < len(term) - 1 and window[i] not in STANDALONE
                and window[i] not in LEVEL_CHARS and term[i] not in LEVEL_CHARS):
            return None
        return TypoHit(s, e, window, term, "expression", 0.9, self._context(line, s, e))

    # -- generated confusions ------------------------------------------------

    def _best(self, text: str) -> float:
        """Log-probability of the best segmentation of `text` under jieba's unigram word model.

        Forward over start positions, as jieba builds its DAG: the dictionary
        holds every prefix of every word (frequency 0), so a substring that is
        not in it ends the search for longer words from that start.
        """
        freq = self.freq
        misspellings = self.misspellings
        log = math.log
        log_total = self.log_total
        n = len(text)
        neg = -math.inf
        best = [0.0] + [neg] * n
        for i in range(n):
            b = best[i]
            if b == neg:
                continue
            for j in range(i + 1, min(n, i + MAX_WORD) + 1):
                word = text[i:j]
                f = freq.get(word)
                if f is None:
                    if j == i + 1 and b - log_total > best[j]:
                        best[j] = b - log_total
                    break
                if f and word not in misspellings:
                    lp = log(f) - log_total
                elif j == i + 1:
                    lp = -log_total
                else:
                    continue
                if b + lp > best[j]:
                    best[j] = b + lp
        return best[n]

    def _generated(self, line, spans, skip):
        """Generated confusions; `spans` are the (start, end) of the tokens, in order."""
        index = self.index
        classes = self.classes
        freq = self.freq
        misspellings = self.misspellings
        wrong_forms = self._wrong_forms
        # 1 where a character may not take part in a window: skipped, or not a common Han character.
        bad = bytearray(skip)
        rare_ok = None  # positions of rare characters that may be judged
        for m in self._not_common.finditer(line):
            p = m.start()
            bad[p] = 1
            if not skip[p] and m.group() in self.rare_classes:
                if rare_ok is None:
                    rare_ok = set()
                rare_ok.add(p)
        glyph_neigh = self.glyph_neigh
        rare_classes = self.rare_classes
        sound_marks = self.sound_marks
        corner_marks = self.corner_marks
        count = len(spans)
        floor = GAIN_THRESHOLD - LM_REACH if self.charlm else GAIN_THRESHOLD
        rare_words = RARE_WORD_HOMOPHONES and self.charlm is not None
        seen_windows: set[tuple[int, int]] = set()
        memo: dict[str, float] = {}  # best segmentation score of the scored regions of this line
        for k, (ts, te) in enumerate(spans):
            if te - ts > MAX_JUDGED_TOKEN:
                if (te - ts == 2 and rare_words and freq.get(line[ts:te], 0) <= RARE_WORD_MAX_FREQ
                        and bad.find(1, ts, te) == -1):
                    hit = self._rare_word_homophone(line, ts, te, memo)
                    if hit:
                        yield hit
                continue
            if bad.find(1, ts, te) != -1 and not (rare_ok and te - ts == 1 and ts in rare_ok):
                continue
            in_word = te - ts > 1  # a real word that may be a typo of a longer one (主观部门 -> 主管部门)
            # Windows made of whole tokens around token k, 2 to 4 characters long.
            windows = []
            i = k
            while i >= 0 and te - spans[i][0] <= 4 and bad.find(1, spans[i][0], ts) == -1:
                j = k
                while j < count and spans[j][1] - spans[i][0] <= 4 and bad.find(1, te, spans[j][1]) == -1:
                    s, e = spans[i][0], spans[j][1]
                    if e - s >= (3 if in_word else 2):
                        window = line[s:e]
                        wf = freq.get(window)
                        if wf is None or wf <= WINDOW_MAX_FREQ or window in misspellings:
                            windows.append((s, e, wf is not None, e - s == j - i + 1))
                    j += 1
                i -= 1
            if not windows:
                continue
            if self.pinyin_index and te - ts == 1:
                hit = self._word_homophone(line, windows, seen_windows, bad, memo)
                if hit:
                    yield hit
            for p in range(ts, te):
                ch = line[p]
                if ch in NEVER_WRONG:
                    continue
                marks = classes.get(ch) or rare_classes[ch]
                marks2 = marks + corner_marks[ch] if ch in corner_marks else marks
                marks4 = sound_marks.get(ch, marks)  # 4-character windows: readings only (speed)
                neigh = glyph_neigh.get(ch, "")
                pool = []  # (gain, s, e, word): candidates within reach of the threshold
                for s, e, is_prefix, _ in windows:
                    head, tail = line[s:p], line[p + 1:e]
                    cands = []
                    for mark in (marks2 if e - s == 2 else marks if e - s == 3 else marks4):
                        words = index.get(head + mark + tail)
                        if words:
                            cands.extend(words)
                    for r in (neigh if e - s < 4 else ""):
                        word = head + r + tail
                        if freq.get(word, 0) >= TARGET_MIN_FREQ and word not in wrong_forms:
                            cands.append(word)
                    if not cands:
                        continue
                    # Penalties of the window, the same for every candidate.
                    penalty = 0.0
                    if is_prefix:
                        penalty += PREFIX_PENALTY  # the window begins a longer word
                    if in_word:
                        penalty += REALWORD_PENALTY
                    if not STANDALONE.isdisjoint(head + tail):
                        penalty += STANDALONE_PENALTY
                    if line[s] in SURNAME_SET or (s > 0 and line[s - 1] in SURNAME_SET):
                        penalty += NAME_PENALTY
                    lo, hi = self._region(line, s, e)
                    region = line[lo:hi]
                    base = memo.get(region)
                    if base is None:
                        base = memo[region] = self._best(region)
                    tried = set()
                    for word in cands:
                        right = word[p - s]
                        if right == ch or right in tried:
                            continue
                        tried.add(right)
                        prior = self._related(ch, right)
                        if prior is None:
                            continue
                        fixed = region[: p - lo] + right + region[p - lo + 1:]
                        score = memo.get(fixed)
                        if score is None:
                            score = memo[fixed] = self._best(fixed)
                        gain = score - base + prior - penalty
                        if gain >= floor:
                            pool.append((gain, s, e, word))
                best = self._pick(line, pool, LM_WEIGHT) if pool else None
                if best:
                    gain, s, e, word = best
                    yield TypoHit(s, e, line[s:e], word, "typo", self._confidence(gain), self._context(line, s, e))

    def _word_homophone(self, line, windows, seen, bad, memo):
        """The best whole-word homophone (2+ characters changed) of the windows, or None.

        苞户 -> 保护: a pinyin input method picked the wrong word.
        Every character of the window must be a common character; the changed
        ones must not be function characters.
        """
        readings = self.readings
        syllable = self._syllable
        floor = GAIN_THRESHOLD - LM_REACH if self.charlm and LM_WORD_WEIGHT else GAIN_THRESHOLD
        pool = []
        for s, e, is_prefix, singles in windows:
            if not singles or e - s > 3 or (s, e) in seen:
                continue  # only runs of single-character tokens: where segmentation found no word
            seen.add((s, e))
            if bad.find(1, s, e) != -1:
                continue
            window = line[s:e]
            words = self.pinyin_index.get(" ".join(map(syllable.__getitem__, window)))
            if not words:
                continue
            for word in words:
                changed = [i for i in range(e - s) if word[i] != window[i]]
                if len(changed) < 2 or any(window[i] in NEVER_WRONG for i in changed):
                    continue
                prior = sum(PRIOR_WORD_SAME_TONE if readings[window[i]][0] == readings[word[i]][0] else PRIOR_WORD_TONE
                            for i in changed)
                gain = self._gain_span(line, s, e, word, memo) + prior
                if is_prefix:
                    gain -= PREFIX_PENALTY
                if any(window[i] in STANDALONE for i in range(e - s) if i not in changed):
                    gain -= STANDALONE_PENALTY
                if line[s] in SURNAME_SET or (s > 0 and line[s - 1] in SURNAME_SET):
                    gain -= NAME_PENALTY
                if gain >= floor:
                    pool.append((gain, s, e, word))
        best = self._pick(line, pool, LM_WORD_WEIGHT)
        if best:
            gain, s, e, word = best
            return TypoHit(s, e, line[s:e], word, "typo", self._confidence(gain), self._context(line, s, e))
        return None

    def _rare_word_homophone(self, line, s, e, memo):
        """A rare two-character word read as a frequent word of the same reading (怜恤 -> 连续).

        The caller has checked that the word is rare (RARE_WORD_MAX_FREQ) and may be
        judged. The word is real, so only strong evidence counts: the word model and
        the character model together must gain RARE_WORD_THRESHOLD nats, priors included.
        """
        window = line[s:e]
        f = self.freq.get(window, 0)
        if window in self._wrong_forms or window in self.terms:
            return None
        syllable = self._syllable
        try:
            key = syllable[window[0]] + " " + syllable[window[1]]
        except KeyError:
            return None
        words = self.pinyin_index.get(key)
        if not words:
            return None
        readings = self.readings
        best = None
        for word in words:
            changed = [i for i in range(2) if word[i] != window[i]]
            if len(changed) < RARE_WORD_MIN_CHANGED or any(window[i] in NEVER_WRONG for i in changed):
                continue
            if self.freq[word] < RARE_WORD_RATIO * max(f, 1):
                continue
            prior = sum(PRIOR_WORD_SAME_TONE if readings[window[i]][0] == readings[word[i]][0] else PRIOR_WORD_TONE
                        for i in changed)
            gain = self._gain_span(line, s, e, word, memo) + prior
            gain += RARE_WORD_LM_WEIGHT * self.charlm.delta(line, s, e, word)
            if line[s] in SURNAME_SET or (s > 0 and line[s - 1] in SURNAME_SET):
                gain -= NAME_PENALTY
            if gain >= RARE_WORD_THRESHOLD and (best is None or gain > best[0]):
                best = (gain, word)
        if best is None:
            return None
        gain, word = best
        return TypoHit(s, e, window, word, "typo", self._confidence(gain - RARE_WORD_THRESHOLD + GAIN_THRESHOLD),
                       self._context(line, s, e))

    def _pick(self, line: str, pool: list, weight: float) -> tuple | None:
        """The best candidate of `pool` that reaches GAIN_THRESHOLD once `weight` x the character model's
        delta is added; a candidate that was below the threshold must first pay LM_MARGIN of that delta."""
        best = None
        lm = self.charlm
        for cand in pool:
            gain, s, e, word = cand
            if lm is not None and weight:
                d = lm.delta(line, s, e, word)
                if gain < GAIN_THRESHOLD:
                    d -= LM_MARGIN
                gain += weight * d
            if gain >= GAIN_THRESHOLD and (best is None or gain > best[0]):
                best = (gain, s, e, word)
        return best

    @staticmethod
    def _confidence(gain: float) -> float:
        """Map the log-probability margin to (0.6, 0.95), monotonically."""
        return round(0.6 + 0.35 * (1 - math.exp(-max(0.0, gain - GAIN_THRESHOLD + 1) / 6)), 3)

    def _gain_span(self, line: str, s: int, e: int, word: str, memo: dict | None = None) -> float:
        """Log-probability gain of the best segmentation when line[s:e] reads `word` instead."""
        lo, hi = self._region(line, s, e)
        region = line[lo:hi]
        fixed = region[: s - lo] + word + region[e - lo:]
        if memo is None:
            return self._best(fixed) - self._best(region)
        a = memo.get(fixed)
        if a is None:
            a = memo[fixed] = self._best(fixed)
        b = memo.get(region)
        if b is None:
            b = memo[region] = self._best(region)
        return a - b

    @staticmethod
    def _region(line: str, s: int, e: int) -> tuple[int, int]:
        """The scored region around line[s:e]: CONTEXT_CHARS each side, within the run of Han characters."""
        lo = max(0, s - CONTEXT_CHARS)
        hi = min(len(line), e + CONTEXT_CHARS)
        while lo < s and not "\u4e00" <= line[lo] <= "\u9fff":
            lo += 1
        while hi > e and not "\u4e00" <= line[hi - 1] <= "\u9fff":
            hi -= 1
        for i in range(s - 1, lo - 1, -1):
            if not "\u4e00" <= line[i] <= "\u9fff":
                lo = i + 1
                break
        for i in range(e, hi):
            if not "\u4e00" <= line[i] <= "\u9fff":
                hi = i
                break
        return lo, hi
