"""Build data/charclasses.tsv: the common characters and their toneless readings.

Run at development time (``python -m govwatch.textcheck.build_charclasses``); the
output is committed so that the checker never calls pypinyin at start-up.

Which characters: every Han character that occurs in a jieba dictionary word,
weighted by the summed frequency of the words it occurs in; the top
``KEEP`` characters are kept (rarer characters are never proposed as a
correction and never judged as a typo). Readings: the first ``READINGS``
readings (with tone digits, most common first) that pypinyin knows for the
character, so that a polyphonic character such as 重 (zhong4, chong2) joins
both homophone classes; pypinyin's rarer readings are left out because they
make false homophones (是 ti2).

Optional third column: the character's four-corner code (四角号码, first four
digits), taken from the data file ``char_fourangle.dict`` of the MIT-licensed
package char-similar (https://github.com/yongzhuo/char-similar), read from an
unpacked wheel given with ``--fourcorner PATH``; the package itself is not a
dependency. Two characters whose codes differ in at most one corner count as
look-alikes (徂/组, 沾/沿, 绡/消).
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

KEEP = 6000
READINGS = 2
OUT = Path(__file__).with_name("data") / "charclasses.tsv"
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def build(fourcorner: dict[str, str] | None = None) -> list[tuple[str, list[str], str]]:
    import jieba
    from pypinyin import Style, pinyin

    jieba.initialize()
    weight: collections.Counter[str] = collections.Counter()
    for word, freq in jieba.dt.FREQ.items():
        if freq and HAN.match(word):
            for ch in set(word):
                weight[ch] += freq
    rows = []
    for ch, _ in weight.most_common(KEEP):
        readings = []
        for r in pinyin(ch, style=Style.TONE3, heteronym=True)[0]:
            if r.isascii() and r.isalnum() and r not in readings:
                readings.append(r)
        readings = readings[:READINGS]
        if readings:
            code = (fourcorner or {}).get(ch, "")[:4]
            rows.append((ch, readings, code if len(code) == 4 and code.isdigit() else ""))
    return rows


def main(argv: list[str] | None = None) -> None:
    import argparse
    import json

    ap = argparse.ArgumentParser(description="build data/charclasses.tsv")
    ap.add_argument("--fourcorner", type=Path, help="char_fourangle.dict from an unpacked char-similar wheel")
    args = ap.parse_args(argv)
    fourcorner = json.loads(args.fourcorner.read_text(encoding="utf-8")) if args.fourcorner else None
    rows = build(fourcorner)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# char<TAB>readings with tone digits, most common first<TAB>four-corner code (char-similar, MIT);"
                 " built by build_charclasses.py\n")
        for ch, readings, code in rows:
            fh.write(f"{ch}\t{','.join(readings)}\t{code}\n")
    print(f"{len(rows)} characters -> {OUT}")


if __name__ == "__main__":
    main()
