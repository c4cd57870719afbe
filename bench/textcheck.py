"""Throughput of the text checker, as a ratio against plain jieba segmentation in the same run.

    python bench/textcheck.py [--repeat N] [FILE ...]

Input: the given text files, or by default the source sentences of
../shared/data/csc/ECSpell_odw.test plus tests/textcheck/clean_gov_text.txt.
Prints characters per second for (a) `jieba.lcut` over every line (the
baseline: a yardstick of the machine's speed under the current load) and (b) `TextChecker.check` over every line, single process (one core), and
the ratio (b)/(a). Times are CPU seconds of this process (best of the
rounds, which alternate between (a) and (b)). Start-up time is reported
separately and not counted.

The checker no longer calls jieba.lcut itself: TextChecker._segment computes
the same tokens about twice as fast.

Last measured (2026-11-28, 2-core machine shared with other jobs): checker
225k-234k chars/s per core at load average 4 (jieba 465k-485k), 174k-192k at
load 6-8 (jieba 366k-404k); ratio 0.47-0.50 in all 10 runs (0.36-0.41 before,
2026-11-27). At the 530k-575k jieba speed of a quieter machine that ratio is
about 250k-285k (the issue's target: >= 200k chars/s per core). See
docs/textcheck.md.

2026-12-07 (issue #12: label rules for names and addresses, the LAC place
veto on candidate clauses, list items), on ECSpell_odw.test plus
clean_gov_text.txt at load average 10-15: ratio 0.42-0.45 in 2 runs (checker
114k-136k, jieba 255k-327k); the code before, same load, 0.52. At a quiet
machine's 530k-575k jieba that ratio is about 220k-260k chars/s per core.
LAC was asked 14 times per pass over those 839 lines.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = [ROOT.parent / "shared" / "data" / "csc" / "ECSpell_odw.test",
                  ROOT / "tests" / "textcheck" / "clean_gov_text.txt"]


def read_lines(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        for row in path.read_text(encoding="utf-8").splitlines():
            if path.suffix == ".test" and "\t" in row:
                row = row.split("\t")[-2]
            if row.strip():
                lines.append(row)
    return lines


def cpu_time(fn) -> float:
    """CPU seconds of this process: per-core throughput, less disturbed by other jobs than wall time."""
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the input per timing (default 5)")
    ap.add_argument("--rounds", type=int, default=3, help="timings; the best is reported (default 3)")
    args = ap.parse_args(argv)
    paths = args.files or [p for p in DEFAULT_INPUTS if p.exists()]
    if not paths:
        print("no input: pass text files or provide ../shared/data", file=sys.stderr)
        return 2
    lines = read_lines(paths) * args.repeat
    chars = sum(len(x) for x in lines)

    t0 = time.perf_counter()
    from govwatch.textcheck import TextChecker

    checker = TextChecker()
    startup = time.perf_counter() - t0
    tokenizer = checker._tokenizer  # same dictionary, already loaded

    def baseline():
        for line in lines:
            tokenizer.lcut(line, HMM=False)

    def check():
        for line in lines:
            checker.check(line)

    # Rounds alternate between the two so that both see the same machine load.
    t_base = t_check = float("inf")
    for _ in range(args.rounds):
        t_base = min(t_base, cpu_time(baseline))
        t_check = min(t_check, cpu_time(check))
    base_cps = chars / t_base
    check_cps = chars / t_check
    print(f"input: {len(lines)} lines, {chars} characters ({', '.join(p.name for p in paths)} x{args.repeat})")
    print(f"checker start-up: {startup:.2f} s")
    print(f"baseline jieba.lcut(HMM=False): {base_cps:,.0f} chars/s (CPU time, one core)")
    print(f"TextChecker.check:              {check_cps:,.0f} chars/s (CPU time, one core)")
    print(f"ratio checker/baseline: {check_cps / base_cps:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
