"""Question pages (政务咨询, 领导信箱): asked and answered times, status, extension."""

from __future__ import annotations

from govwatch.extract.article import labelled_date, title_of
from govwatch.extract.dom import block_text, drop_noise, meta_tags, parse
from govwatch.extract.labels import labelled, squash, text_value
from govwatch.extract.patterns import (
    ANSWERED_LABELS, ASKED_LABELS, EXTENSION_NEGATION, EXTENSION_WORDS, REPLY_TEXT_LABELS, STATUS_LABELS, STATUS_WORDS,
)
from govwatch.facts import QuestionFacts
from govwatch.lib.cndate import parse_date


def _labelled_date(root, text: str, labels):
    value, _ = labelled(root, labels, text)
    day = parse_date(value) if value else None
    return day or labelled_date(text, labels)


def status_of(root, text: str) -> str | None:
    value, _ = labelled(root, STATUS_LABELS, text)
    if value:
        for word in STATUS_WORDS:
            if word in value:
                return word
        if len(value) <= 8:
            return value
    for word in STATUS_WORDS:
        if word in text:
            return word
    return None


def has_extension(text: str) -> bool:
    """A 申请延期 mark, ignoring negated forms (未申请延期, 无延期办理)."""
    for m in EXTENSION_WORDS.finditer(text or ""):
        before = text[max(0, m.start() - 4): m.start()]
        if EXTENSION_NEGATION.search(before):
            continue
        after = text[m.end(): m.end() + 4]
        # "是否申请延期：否" is a form field answered no.
        if after.lstrip("：: ").startswith(("否", "无", "未")):
            continue
        return True
    return False


def reply_text_of(root, text: str) -> str | None:
    value, where = labelled(root, REPLY_TEXT_LABELS, text)
    if value and squash(value):
        return value
    found = text_value(text, REPLY_TEXT_LABELS, until_next_label=False)
    if found and found[0]:
        return found[0]
    # Label on its own line, content on the next lines.
    for label in REPLY_TEXT_LABELS:
        idx = text.find(label)
        if idx >= 0:
            rest = text[idx + len(label):].lstrip("：: \n")
            para = rest.split("\n")[0].strip()
            if para:
                return para
    return None


def extract_question(url: str, html: str) -> QuestionFacts:
    try:
        return _extract_question(url or "", html)
    except Exception:
        return QuestionFacts(url=url or "", title=None, asked_at=None, answered_at=None, status=None, extension=False)


def _extract_question(url: str, html: str) -> QuestionFacts:
    root = parse(html)
    meta = meta_tags(root)
    drop_noise(root)
    text = block_text(root)
    asked = _labelled_date(root, text, ASKED_LABELS)
    answered = _labelled_date(root, text, ANSWERED_LABELS)
    status = status_of(root, text)
    reply = reply_text_of(root, text)
    # A page that shows a reply time but no status has been answered.
    if status is None and answered is not None:
        status = "已回复"
    return QuestionFacts(
        url=url,
        title=title_of(root, meta, []),
        asked_at=asked,
        answered_at=answered,
        status=status,
        extension=has_extension(text),
        reply_text=reply,
    )
