"""The listed detectors: curated misspellings, explicit wrong expressions, near misses of official terms."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from govwatch.facts import TypoHit
from govwatch.textcheck.params import CONTAINING_WORD_MAX_FREQ, LEVEL_CHARS, LONG_TERM, STANDALONE, WINDOW_MAX_FREQ


def read_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        wrong, right = line.split("\t")[:2]
        if wrong != right:
            pairs[wrong] = right
    return pairs


def char_class_re(chars: set[str]) -> re.Pattern:
    return re.compile("[" + "".join(sorted(re.escape(c) for c in chars)) + "]" if chars else "(?!)")


class ListedDetectors:
    """Mixin of TextChecker: needs `self.freq`, `self.misspellings`, `self._context` and `self._related`."""

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
        # Longest terms first, then in code-point order: when two terms are near misses of the
        # same span (国务院 and 国务院办公厅), the longer one is reported, whatever the process's
        # string-hash seed (iterating the set made the reported span change between runs,
        # and with it the finding a reviewer may have dismissed).
        for term in sorted(terms, key=lambda t: (-len(t), t)):
            if len(term) < 3:
                continue
            # The first and the last bigram: one substituted character leaves at
            # least one of them intact (the middle of a 3-character term is
            # found through its outer characters below).
            for off in sorted({0, len(term) - 2}):
                anchors.setdefault(term[off: off + 2], []).append((term, off))
            if len(term) == 3:
                outer.setdefault((term[0], term[2]), []).append(term)
        self._anchors = anchors
        self._outer = outer
        self._anchor_first = char_class_re({a[0] for a in anchors})
        self._outer_first = char_class_re({k[0] for k in outer})

    # -- public API ---------------------------------------------------------

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
