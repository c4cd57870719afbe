"""Service guides (办事指南): which of the 8 elements are present, and the forms.

An element counts as present when its label (or a rulebook synonym) is on the
page *with content*: a value cell, the text after "label：", or the block that
follows a heading. A value that is only a placeholder ("无", "暂无", "/", "待定")
does not count: a box filled with "无" tells the citizen nothing, which is
what the 要素缺失 rule is about.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from govwatch.extract.article import title_of
from govwatch.extract.dom import absolute, block_text, clean_ws, drop_noise, inline_text, meta_tags, parse, tag_of
from govwatch.extract.labels import squash
from govwatch.extract.links import is_attachment, link_text
from govwatch.extract.patterns import EMPTY_VALUES, FORM_NAME, FORM_SECTION, LABEL_GAP
from govwatch.facts import FormRef, GuideFacts

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b", "legend", "caption")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])\s*")
_EXT = re.compile(r"\.(?:docx?|xlsx?|pdf|wps|et|zip|rar)$", re.I)


@functools.lru_cache(maxsize=4)
def _default_elements() -> tuple[tuple[str, tuple[str, ...]], ...]:
    try:
        from govwatch.rulebook import load_rulebook

        table = load_rulebook("district-2017").rule("guide.missing_element")["elements"]
        return tuple((k, tuple(v)) for k, v in table.items())
    except Exception:
        return ()


def _is_content(value: str | None) -> bool:
    value = clean_ws(value or "").strip("：:。.；; ")
    return bool(value) and value not in EMPTY_VALUES


def _label_of(text: str, synonyms: Sequence[str]) -> str | None:
    """The synonym a short label text is (numbering and colons ignored)."""
    bare = squash(_NUMBERING.sub("", clean_ws(text)))
    for word in synonyms:
        if bare == word or (bare.startswith(word) and len(bare) <= len(word) + 4):
            return word
    return None


def _next_content(el, all_labels: Sequence[str] = ()) -> str:
    """Text of the siblings after a label/heading, up to the next heading or the next element label."""
    parts = []
    sibling = el.getnext()
    while sibling is not None and len(parts) < 6:
        if isinstance(sibling.tag, str):
            if tag_of(sibling) in _HEADING_TAGS[:6] or tag_of(sibling) == "dt":
                break
            if _label_any(_NUMBERING.sub("", inline_text(sibling)), all_labels):
                break
            parts.append(block_text(sibling))
        sibling = sibling.getnext()
    tail = el.tail or ""
    return clean_ws(tail + " " + " ".join(parts))


def _element_present(root, text: str, synonyms: Sequence[str], all_labels: Sequence[str] = ()) -> bool:
    # 1. label cells / headings / definition terms followed by content.
    for el in root.iter("td", "th", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "div", "span", "label", "li"):
        own = inline_text(el)
        if not own or len(own) > 30:
            continue
        if _label_of(own, synonyms) is None:
            continue
        node = el
        # <td><strong>办理地点</strong></td><td>…</td>: climb to the cell before looking sideways.
        while tag_of(node) in ("strong", "b", "span", "label", "font") and node.getparent() is not None and len(inline_text(node.getparent())) <= len(own) + 2:
            node = node.getparent()
        if _is_content(_next_content(node, all_labels)):
            return True
        # A heading row (<tr><th colspan=2>办理流程</th></tr>) with the content in the next row.
        if tag_of(node) in ("td", "th") and node.getnext() is None and node.getprevious() is None:
            row = node.getparent()
            following = row.getnext() if row is not None else None
            if following is not None and isinstance(following.tag, str):
                text_below = block_text(following)
                if _is_content(text_below) and _label_any(_NUMBERING.sub("", text_below), all_labels) is None:
                    return True
        # Heading alone in a wrapper (<div class=hd><h3>办理流程</h3></div><div>…</div>).
        parent = node.getparent()
        if (parent is not None and node.getnext() is None and tag_of(parent) not in ("tr", "tbody", "table")
                and len(inline_text(parent)) <= len(own) + 2 and _is_content(_next_content(parent, all_labels))):
            return True
    # 2. "label：value" in running text.
    for word in synonyms:
        gapped = LABEL_GAP.join(re.escape(ch) for ch in word)
        for m in re.finditer(rf"{gapped}{LABEL_GAP}[:：][ \t\u3000\xa0]*([^\n]*)", text):
            if _is_content(m.group(1)):
                return True
            # "办理流程：" alone on its line, content below.
            rest = text[m.end():].lstrip("\n").split("\n", 1)[0]
            if not m.group(1).strip() and _is_content(rest) and _label_any(rest, all_labels) is None:
                return True
    return False


def _label_any(line: str, all_labels: Sequence[str]) -> str | None:
    """The element label a line starts with (a following label is not content)."""
    for word in all_labels:
        if squash(line).startswith(word):
            return word
    return None


def forms_of(root, text: str, base: str) -> list[FormRef]:
    links = []
    for a in root.iter("a"):
        url = absolute(base, a.get("href"))
        if url:
            links.append((link_text(a), clean_ws(a.get("title") or ""), url))
    names: list[str] = []
    for m in FORM_NAME.finditer(text):
        name = clean_ws(m.group(1))
        if name and name not in names:
            names.append(name)
    # Entries of a 表格下载 / 附件下载 section: the links that follow its heading.
    section_links = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        own = inline_text(el)
        hit = FORM_SECTION.search(own) if own and len(own) <= 20 else None
        # The heading itself ("表格下载："), not a block that merely contains it.
        if hit and len(squash(own)) <= len(hit.group(0)) + 3:
            container = el
            for _ in range(3):
                if any(True for _ in container.iter("a")) or container.getparent() is None:
                    break
                container = container.getparent()
            for a in container.iter("a"):
                url = absolute(base, a.get("href"))
                if url and (is_attachment(url, link_text(a)) or FORM_NAME.search(link_text(a)) or link_text(a)):
                    section_links.append((link_text(a), url))
            break
    forms: list[FormRef] = []
    used_urls: set[str] = set()
    for name in names:
        url = None
        for shown, title, href in links:
            label = _EXT.sub("", (shown or title).strip("《》 "))
            if (name in shown or name in title or (label and len(label) >= 4 and label in name)) and (is_attachment(href, shown) or "down" in href.lower() or label):
                url = href
                break
        forms.append(FormRef(name=name, url=url))
        if url:
            used_urls.add(url)
    for shown, href in section_links:
        if href in used_urls:
            continue
        name = _EXT.sub("", shown.strip().strip("《》")) or href.rsplit("/", 1)[-1]
        if any(f.name == name for f in forms):
            continue
        used_urls.add(href)
        forms.append(FormRef(name=name, url=href))
    return forms


def extract_guide(url: str, html: str, elements: Mapping[str, Sequence[str]] | None = None) -> GuideFacts:
    try:
        return _extract_guide(url or "", html, elements)
    except Exception:
        return GuideFacts(url=url or "", title=None, elements=(), forms=())


def _extract_guide(url: str, html: str, elements) -> GuideFacts:
    table = tuple((k, tuple(v)) for k, v in elements.items()) if elements else _default_elements()
    all_labels = sorted({w for name, ws in table for w in (name, *ws)}, key=len, reverse=True)
    root = parse(html)
    meta = meta_tags(root)
    drop_noise(root)
    text = block_text(root)
    present = tuple(name for name, synonyms in table if _element_present(root, text, (name, *synonyms), all_labels))
    return GuideFacts(url=url, title=title_of(root, meta, []), elements=present, forms=tuple(forms_of(root, text, url)))
