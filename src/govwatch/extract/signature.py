"""The 落款: the issuing organ line(s) followed by a date line at the end of a body."""

from __future__ import annotations

import datetime as dt

from govwatch.extract.patterns import ISSUING_NOTICE, LEADER_SIGNATURE, ORGAN_HINT, SENTENCE_PUNCT, SIGNATURE_ORGAN_MAX, SIGNATURE_TRAILERS
from govwatch.facts import Signature
from govwatch.lib.cndate import find_dates

# How far from the end of the body the 落款 date may sit (trailing notes, attachment lists).
MAX_TAIL_LINES = 200
# After the 落款 only short lines or trailer material may follow, unless an attachment starts there.
SHORT_LINE = 40
MAX_ORGAN_LINES = 4


def _date_line(line: str) -> tuple[dt.date, str] | None:
    """(date, text before it) when the line is essentially a date, optionally preceded by an organ."""
    matches = [m for m in find_dates(line, yearless=False) if m.date() is not None]
    if len(matches) != 1:
        return None
    m = matches[0]
    before = line[: m.start].strip()
    after = line[m.end:].strip()
    if after and not SIGNATURE_TRAILERS.match(after) and len(after) > 2:
        return None
    if before and (len(before) > SIGNATURE_ORGAN_MAX or SENTENCE_PUNCT.search(before)):
        return None
    return m.date(), before


def _organ_line(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > SIGNATURE_ORGAN_MAX:
        return False
    if SENTENCE_PUNCT.search(line) or SIGNATURE_TRAILERS.match(line):
        return False
    if find_dates(line, yearless=False):
        return False
    return True


def _tail_ok(after: list[str]) -> bool:
    if not after:
        return True
    if SIGNATURE_TRAILERS.match(after[0]):
        return True
    return all(len(l) <= SHORT_LINE and not l.endswith(("。", "；", "！", "？")) for l in after)


# How many lines before an inner 落款 must carry the issuing wording (现将…印发给你们).
ISSUING_WINDOW = 4


def _organ_before(lines: list[str], i: int) -> list[str]:
    parts: list[str] = []
    j = i - 1
    while j >= 0 and len(parts) < MAX_ORGAN_LINES and _organ_line(lines[j]):
        parts.insert(0, lines[j])
        j -= 1
    if parts and len(parts) > 1 and not ORGAN_HINT.search(parts[-1]):
        parts = parts[-1:]
    return parts


def _issuing_signature(lines: list[str], stop: int) -> Signature | None:
    """The 落款 of an issuing notice (印发/转发/批转/公布), which sits above the document it issues."""
    for i in range(min(stop, len(lines))):
        found = _date_line(lines[i])
        if not found:
            continue
        day, before = found
        parts = [before] if before else _organ_before(lines, i)
        if not parts or not (ORGAN_HINT.search(parts[-1]) or LEADER_SIGNATURE.match(parts[-1])):
            continue
        start = i - len(parts) if not before else i
        context = "\n".join(lines[max(0, start - ISSUING_WINDOW): start])
        if ISSUING_NOTICE.search(context):
            return Signature(organ=" ".join(" ".join(parts).split()), date=day)
    return None


def find_signature(text: str) -> Signature:
    last = _last_signature(text)
    lines = [l.strip() for l in (text or "").split("\n") if l.strip()]
    stop = len(lines) if last.date is None else _line_of(lines, last)
    inner = _issuing_signature(lines, stop)
    return inner or last


def _line_of(lines: list[str], sig: Signature) -> int:
    for i in range(len(lines) - 1, -1, -1):
        found = _date_line(lines[i])
        if found and found[0] == sig.date:
            return i
    return len(lines)


def _last_signature(text: str) -> Signature:
    lines = [l.strip() for l in (text or "").split("\n") if l.strip()]
    tail_start = max(0, len(lines) - MAX_TAIL_LINES)
    for i in range(len(lines) - 1, tail_start - 1, -1):
        found = _date_line(lines[i])
        if not found or not _tail_ok(lines[i + 1:]):
            continue
        # Everything after the date line must be trailer material (notes, 附件 lists, 抄送).
        day, before = found
        organ_parts: list[str] = []
        if before:
            organ_parts.append(before)
        else:
            j = i - 1
            while j >= 0 and len(organ_parts) < MAX_ORGAN_LINES and _organ_line(lines[j]):
                organ_parts.insert(0, lines[j])
                j -= 1
            # A run of short lines is an organ list only if its last line names an organ, or it is a single line.
            if organ_parts and len(organ_parts) > 1 and not ORGAN_HINT.search(organ_parts[-1]):
                organ_parts = organ_parts[-1:]
        organ = " ".join(" ".join(organ_parts).split()) or None
        return Signature(organ=organ, date=day)
    return Signature(organ=_undated_organ(lines), date=None)


def _undated_organ(lines: list[str]) -> str | None:
    """A 落款 without its date: the body's last line (before trailers) naming an organ."""
    for line in reversed(lines[-6:]):
        if SIGNATURE_TRAILERS.match(line):
            continue
        return line if _organ_line(line) and ORGAN_HINT.search(line) else None
    return None
