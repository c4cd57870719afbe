"""Parsing and text helpers on lxml trees. Every function tolerates any input."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urldefrag, urlsplit

import lxml.html
from lxml import etree

from govwatch.extract.patterns import BLOCK_TAGS, BOILERPLATE_ATTR, BOILERPLATE_TAGS, DROP_TAGS, HANWEB_RECORD

_WS = re.compile(r"[ \t\r\f\v\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _ref_is_control(match: re.Match) -> bool:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return code > 0x10FFFF or bool(_CONTROL.match(chr(code)))


def strip_control(html: str) -> str:
    """Remove control characters, raw or as references (&#1;): lxml parses them into the tree
    but refuses them in any later edit or serialisation (ValueError)."""
    html = _CONTROL.sub("", html or "")
    if "&#" in html:
        html = _CHAR_REF.sub(lambda m: "" if _ref_is_control(m) else m.group(0), html)
    return html


def parse(html: str | bytes | None) -> etree._Element:
    """An lxml tree for any input; an empty <html> when nothing parses."""
    if isinstance(html, bytes):
        from govwatch.extract.encoding import decode_html

        html = decode_html(html)
    html = strip_control(html)
    html = _XML_DECL.sub("", html)
    if html.strip():
        try:
            root = lxml.html.document_fromstring(html)
            if root is not None:
                return root
        except Exception:
            pass
        try:
            root = lxml.html.fromstring("<html><body>" + html + "</body></html>")
            if root is not None:
                return root
        except Exception:
            pass
    return lxml.html.document_fromstring("<html><body></body></html>")


def with_records(html: str) -> str:
    """Hanweb pages keep their list items as CDATA records inside a script: splice them in."""
    try:
        records = HANWEB_RECORD.findall(html or "")
    except Exception:
        return html
    if not records:
        return html
    block = "<div class=\"govwatch-records\"><ul>" + "".join(records) + "</ul></div>"
    # Inside <body>: lxml drops what follows </html>.
    cut = html.lower().rfind("</body")
    return html[:cut] + block + html[cut:] if cut >= 0 else html + block


def clean_ws(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def tag_of(el) -> str:
    tag = getattr(el, "tag", None)
    return tag.lower() if isinstance(tag, str) else ""


# Void in HTML, but lxml's parser (libxml2, HTML 4) makes <embed> and friends containers of
# whatever follows them: their "children" are the rest of the page.
VOID_TAGS = frozenset(("embed", "param", "source", "track", "wbr", "keygen"))
# Parsed as raw text, in browsers too: nothing inside them is page content.
RAW_TEXT_TAGS = frozenset(("script", "style", "textarea", "iframe", "title", "xmp", "plaintext", "noembed"))


# Blocks that no <button>, <select> or plugin fallback is written to hold: found inside one,
# they are the page the parser swallowed.
SWALLOWED_BLOCKS = frozenset(
    "p div table ul ol dl h1 h2 h3 h4 h5 h6 section article blockquote pre form center address figure "
    "header footer nav aside main".split())


def _hoist_blocks(el) -> None:
    """Move the top-most swallowed blocks inside `el` (with their tails) to just after it, in order."""
    blocks = []
    stack = [iter(el)]  # iterative: swallowed pages can be deeply nested
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif tag_of(child) in SWALLOWED_BLOCKS:
            blocks.append(child)
        elif tag_of(child) not in RAW_TEXT_TAGS:
            stack.append(iter(child))
    anchor = el
    for block in blocks:
        anchor.addnext(block)  # lxml moves the tail text along with the element
        anchor = block


def drop_element(el) -> None:
    """Remove an element whose own content nobody reads, without losing the page after it.

    An unclosed container (<object>, <button>, <svg>, <select>…) swallows the rest of the page
    into itself; the blocks in it are page content and stay, after it. A void element's
    parsed-in content stays as it is."""
    if el.getparent() is None:
        return
    tag = tag_of(el)
    if tag in VOID_TAGS:
        el.drop_tag()
        return
    if tag and tag not in RAW_TEXT_TAGS:
        _hoist_blocks(el)
    el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)


def drop_noise(root) -> None:
    """Remove scripts, styles, comments: content nobody reads (but never the page after them)."""
    for el in list(root.iter()):
        if el.getparent() is None:
            continue
        if not isinstance(el.tag, str) or tag_of(el) in DROP_TAGS:
            drop_element(el)


def is_boilerplate(el) -> bool:
    if tag_of(el) in BOILERPLATE_TAGS:
        return True
    attrs = " ".join(str(el.get(a) or "") for a in ("id", "class", "role"))
    if attrs and BOILERPLATE_ATTR.search(attrs):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def drop_boilerplate(root) -> None:
    for el in list(root.iter()):
        if el is root or el.getparent() is None or not isinstance(el.tag, str):
            continue
        if tag_of(el) in ("html", "body"):
            continue
        if is_boilerplate(el):
            el.drop_tree()


def block_text(el) -> str:
    """Text of an element with line breaks at block boundaries, spaces collapsed per line."""
    parts: list[str] = []

    def walk(node):
        tag = tag_of(node)
        if not tag:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag in ("td", "th"):
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node is not el and node.tail:
            parts.append(node.tail)

    try:
        walk(el)
    except Exception:
        try:
            return clean_ws(el.text_content())
        except Exception:
            return ""
    lines = (clean_ws(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def inline_text(el) -> str:
    try:
        return clean_ws(el.text_content())
    except Exception:
        return ""


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for javascript:, mailto:, '#'..."""
    if href is None:
        return None
    href = clean_ws(str(href)).replace("\\", "/")
    if not href or href.startswith("#"):
        return None
    low = href.lower()
    if low.startswith(("javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "vbscript:")):
        return None
    try:
        url = urldefrag(urljoin(base or "", href))[0]
        parts = urlsplit(url)
    except Exception:
        return None
    if parts.scheme and parts.scheme not in ("http", "https", "ftp", "file"):
        return None
    return url or None


def meta_tags(root) -> dict[str, str]:
    """All <meta name|property|http-equiv=... content=...>, keys as written."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("name") or el.get("property") or el.get("itemprop")
        value = el.get("content")
        if key and value is not None and key not in found:
            found[key.strip()] = value.strip()
    return found


def meta_lookup(meta: dict[str, str], names) -> str | None:
    lowered = {k.lower(): v for k, v in meta.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value:
            return value
    return None


def page_title(root) -> str | None:
    for el in root.iter("title"):
        text = inline_text(el)
        if text:
            return text
    return None
