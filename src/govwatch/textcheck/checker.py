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
from collections.abc import Iterable
from pathlib import Path

from govwatch.facts import TypoHit
from govwatch.textcheck.candidates import GeneratedCandidates
from govwatch.textcheck.charlm import CharBigramLM
from govwatch.textcheck.confusions import DATA_DIR, ConfusionSets
from govwatch.textcheck.explicit import ListedDetectors, char_class_re, read_pairs
from govwatch.textcheck.names import PlaceNames
from govwatch.textcheck.params import GOVTERM_FREQ, USE_CHARLM
from govwatch.textcheck.scoring import ContextScoring
from govwatch.textcheck.segment import segment
from govwatch.textcheck.skipping import mark_list_items, masks
from govwatch.textcheck.whitelist import Whitelist

__all__ = ["TextChecker", "Whitelist"]

EXPRESSIONS_FILE = Path(__file__).resolve().parent.parent / "rulebook" / "data" / "expressions-official.toml"
HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")


class TextChecker(ListedDetectors, GeneratedCandidates, ContextScoring, ConfusionSets):
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

        self.misspellings = read_pairs(DATA_DIR / "misspellings.tsv")
        self._load_confusions()
        # Without the counts file (an office may remove it, docs/decisions.md) the word rules still run.
        self.charlm = CharBigramLM.load(DATA_DIR / "charlm.tsv") if USE_CHARLM and (DATA_DIR / "charlm.tsv").exists() else None
        self._build_index()
        self._load_expressions(expressions_file or EXPRESSIONS_FILE, extra_terms)
        self._typo_prefix = {w[:2] for w in self.misspellings}
        self._explicit_first = char_class_re({w[0] for w in self.misspellings} | {w[0] for w in self.expression_wrongs})
        self._not_common = re.compile("[^" + "".join(sorted(re.escape(c) for c in self.classes)) + "]")
        self._typo_lengths = sorted({len(w) for w in self.misspellings})
        self.places = PlaceNames()

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

    def _check_line(self, line: str) -> list[TypoHit]:
        if not line or not HAN_RUN_RE.search(line):
            return []
        skip_all, skip_typo, skip_gen = masks(line)
        spans = self._segment(line)
        token_at: list[tuple[int, int]] = []  # per character: (start, end) of its token
        for span in spans:
            token_at.extend([span] * (span[1] - span[0]))
        if "、" in line:
            mark_list_items(skip_gen, line, token_at)
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
            if not any(taken[hit.start: hit.end]) and self.places.covers(line, hit.start, hit.end):
                continue  # inside a place name (临夏市八坊十三巷): names are not the page's typos
            add(hit)
        return sorted(found.values(), key=lambda h: h.start)

    def _segment(self, line: str) -> list[tuple[int, int]]:
        """Token spans of jieba's dictionary-only cut of `line` (segment.py)."""
        return segment(line, self.freq, self.log_total)

    def _context(self, line: str, start: int, end: int) -> str:
        return line[max(0, start - 8): end + 8]
