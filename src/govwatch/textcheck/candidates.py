"""Generated candidates: homophone, near-homophone and look-alike corrections that make a word.

At a single-character token, a substitution that turns a 2-4 character window
which is not a word into a frequent dictionary word is kept when the context
scoring (scoring.py) gains a clear margin from it. A run of single-character
tokens may be read as a whole-word homophone (苞户 -> 保护), and a rare
two-character word as a frequent word of the same reading (怜恤 -> 连续).
"""

from __future__ import annotations

from govwatch.facts import TypoHit
from govwatch.textcheck.params import (
    GAIN_THRESHOLD, LM_REACH, LM_WEIGHT, LM_WORD_WEIGHT, MAX_JUDGED_TOKEN, NAME_PENALTY, NEVER_WRONG, PREFIX_PENALTY,
    PRIOR_WORD_SAME_TONE, PRIOR_WORD_TONE, RARE_WORD_HOMOPHONES, RARE_WORD_LM_WEIGHT, RARE_WORD_MAX_FREQ,
    RARE_WORD_MIN_CHANGED, RARE_WORD_RATIO, RARE_WORD_THRESHOLD, REALWORD_PENALTY, STANDALONE, STANDALONE_PENALTY,
    TARGET_MIN_FREQ, WINDOW_MAX_FREQ)
from govwatch.textcheck.skipping import SURNAME_SET


class GeneratedCandidates:
    """Mixin of TextChecker: needs the confusion sets, the context scoring and `self._context`."""

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
            in_word = te - ts > 1  # a real word that may be a typo of a longer one (a real word misread for one of the same reading in a longer term)
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
