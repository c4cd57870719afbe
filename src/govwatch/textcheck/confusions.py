"""Which characters are confused with which: readings, look-alike groups, glyph neighbours.

`ConfusionSets` loads them (data/charclasses.tsv, data/glyphs.tsv, the shape
groups), builds the index from a word with one character replaced by a class
mark to the dictionary words it may be a typo of, and gives the prior of
confusing two characters (`_related`).
"""

from __future__ import annotations

from pathlib import Path

from govwatch.textcheck.params import (
    FUZZY_FINALS, FUZZY_INITIALS, GLYPH_NEIGHBOURS, JUDGE_RARE, PRIOR_FOUR_CORNER, PRIOR_FUZZY, PRIOR_GLYPH,
    PRIOR_SAME, PRIOR_SAME_TONE, PRIOR_SHAPE, SHAPE_GROUP_FILES, TARGET_MIN_FREQ, USE_FOUR_CORNER, USE_GLYPHS,
    WORD_HOMOPHONE_CANDIDATES, WORD_HOMOPHONES)

DATA_DIR = Path(__file__).with_name("data")


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


class ConfusionSets:
    """Mixin of TextChecker: needs `self.freq`, `self.misspellings` and `self.govterms`."""

    def _load_confusions(self) -> None:
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
