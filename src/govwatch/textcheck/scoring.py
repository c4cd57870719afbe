"""Context scoring: how much a correction improves the text around it.

The word model is jieba's unigram dictionary (the best segmentation of a few
characters around the window, with and without the correction); the
character bigram model (charlm.py) rescues candidates just short of the
margin when the correction fits its neighbours much better.
"""

from __future__ import annotations

import math

from govwatch.textcheck.params import CONTEXT_CHARS, GAIN_THRESHOLD, LM_MARGIN, MAX_WORD


class ContextScoring:
    """Mixin of TextChecker: needs `self.freq`, `self.log_total`, `self.misspellings` and `self.charlm`."""

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
