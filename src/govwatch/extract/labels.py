"""Finding 'label：value' fields: header-table cells, definition lists, inline text."""

from __future__ import annotations

import functools
import re

from govwatch.extract.dom import block_text, clean_ws, inline_text, tag_of
from govwatch.extract.patterns import INFO_TABLE_MARKERS, LABEL_COLON, LABEL_GAP

_STRIP = re.compile(r"[\s\u3000\xa0:：\[\]【】]+")
# The next "label：" on the same line ends a string value ("来源：区政府 浏览次数：12").
_NEXT_LABEL = re.compile(r"\s+[\u4e00-\u9fff]{2,6}\s*[:：]|\s{2,}|\s[|｜]\s")


def squash(text: str) -> str:
    return _STRIP.sub("", text or "")


@functools.lru_cache(maxsize=512)
def label_regex(label: str) -> re.Pattern:
    gapped = LABEL_GAP.join(re.escape(ch) for ch in label)
    return re.compile(rf"(?<![\u4e00-\u9fff]){gapped}{LABEL_GAP}{LABEL_COLON}[ \t\u3000\xa0]*(?P<value>[^\n]*)")


def info_tables(root) -> list:
    """Tables (or lists) that look like the 信息公开 header: two or more of its labels."""
    found = []
    for el in root.iter("table", "ul", "dl", "div"):
        text = squash(inline_text(el))
        if len(text) > (600 if tag_of(el) == "div" else 1500):
            continue
        if sum(1 for m in INFO_TABLE_MARKERS if m in text) >= 2:
            # Keep the innermost such container: drop its ancestors already found.
            found = [f for f in found if not _contains(f, el)]
            if not any(_contains(el, f) for f in found):
                found.append(el)
    return found


def _contains(outer, inner) -> bool:
    """True when `inner` is a strict descendant of `outer`."""
    node = inner.getparent() if inner is not None else None
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _cell_value(cell) -> str | None:
    """The value of a label cell: the next non-empty sibling cell (td→td, dt→dd, th→td)."""
    sibling = cell.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str):
            text = clean_ws(block_text(sibling).replace("\n", " "))
            return text
        sibling = sibling.getnext()
    return None


_CELL_TAGS = ("td", "th", "dt", "span", "label", "b", "strong", "em", "font", "div", "li", "p")


# Label cells are short; longer elements are never looked at as labels.
MAX_LABEL_CELL = 24


class LabelIndex:
    """Short elements of a page by their squashed text, built in one pass (labels are looked up many times)."""

    def __init__(self, root):
        self.cells: dict[str, list] = {}
        lengths: dict = {}

        def measure(el) -> int:
            total = len(el.text or "")
            for child in el:
                if isinstance(child.tag, str):
                    total += measure(child)
                total += len(child.tail or "")
            lengths[el] = total
            return total

        try:
            measure(root)
        except RecursionError:
            return
        for el in root.iter(*_CELL_TAGS):
            if lengths.get(el, MAX_LABEL_CELL + 1) <= MAX_LABEL_CELL:
                self.cells.setdefault(squash(inline_text(el)), []).append(el)

    def find(self, label: str) -> list:
        return self.cells.get(label, [])


def table_value(root, labels, index: LabelIndex | None = None) -> str | None:
    """Value of the first label found as a cell of its own (label cell, value cell)."""
    wanted = [squash(l) for l in labels]
    index = index or LabelIndex(root)
    for label in wanted:
        for el in index.find(label):
            node = el
            # <td><b>索 引 号：</b></td><td>value</td>: climb from the inline tag to its cell.
            while node is not None and tag_of(node) not in ("td", "th", "dt", "li", "div", "p", "span", "label") and node.getparent() is not None:
                node = node.getparent()
            for candidate in (node, el):
                value = _cell_value(candidate) if candidate is not None else None
                if value is not None and squash(value) != "" and squash(value) not in wanted:
                    return value
                if value is not None:
                    return value if squash(value) not in wanted else ""
    return None


def text_value(text: str, labels, *, until_next_label: bool = True) -> tuple[str, int] | None:
    """Value after 'label：' in block text, with its position; most specific label first."""
    best = None
    for label in labels:
        m = label_regex(label).search(text or "")
        if m:
            value = m.group("value").strip()
            if until_next_label:
                cut = _NEXT_LABEL.search(value)
                if cut:
                    value = value[: cut.start()]
            if best is None:
                best = (value.strip(), m.start())
                break
    return best


def labelled(root, labels, text: str | None = None, index: LabelIndex | None = None) -> tuple[str | None, str | None]:
    """(value, where) for the first of `labels` found: where is 'table' or 'text'."""
    value = table_value(root, labels, index)
    if value:
        return value, "table"
    if text is None:
        text = block_text(root)
    found = text_value(text, labels)
    if found and found[0]:
        return found[0], "text"
    return None, None


def labelled_raw_line(text: str, labels) -> str | None:
    """The whole rest of the line after the label (dates with times need it uncut)."""
    found = text_value(text, labels, until_next_label=False)
    return found[0] if found else None
