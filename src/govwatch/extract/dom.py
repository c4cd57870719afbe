"""Parsing and text helpers on lxml trees. Every function tolerates any input."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urldefrag, urlsplit

import lxml.html
from lxml import etree

from govwatch.extract.patterns import BLOCK_TAGS, BOILERPLATE_ATTR, BOILERPLATE_TAGS, DROP_TAGS, HANWEB_RECORD

_WS = re.compile(r"[ \t\r\f\v\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def parse(html: str | bytes | None) -> etree._Element:
    """An lxml tree for any input; an empty <html> when nothing parses."""
    if isinstance(html, bytes):
        from govwatch.extract.encoding import decode_html

        html = decode_html(html)
    html = _CONTROL.sub("", html or "")
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


def drop_noise(root) -> None:
    """Remove scripts, styles, comments: content nobody reads."""
    for el in list(root.iter()):
        if el.getparent() is None:
            continue
        if not isinstance(el.tag, str) or tag_of(el) in DROP_TAGS:
            el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)


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
