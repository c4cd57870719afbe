"""Every link, image and attachment of a page (what the link checker visits)."""

from __future__ import annotations

from govwatch.extract.dom import absolute, clean_ws, inline_text, parse
from govwatch.extract.patterns import ATTACHMENT_TEXT, ATTACHMENT_URL
from govwatch.facts import Attachment, Link


def is_attachment(url: str, text: str = "") -> bool:
    if ATTACHMENT_URL.search(url or ""):
        return True
    # "附件：xxx" links to a download servlet (download.jsp?id=...) carry no extension.
    return bool(text and ATTACHMENT_TEXT.match(text) and ("down" in url.lower() or "file" in url.lower() or "attach" in url.lower()))


def link_text(a) -> str:
    text = inline_text(a)
    return text or clean_ws(a.get("title") or "")


def links_of(root, base: str) -> list[Link]:
    found: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for el in root.iter("a", "area", "img", "embed", "iframe", "source"):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in ("a", "area"):
            url = absolute(base, el.get("href"))
            text = link_text(el) if tag == "a" else clean_ws(el.get("alt") or "")
            kind = "attachment" if url and is_attachment(url, text) else "a"
        else:
            url = absolute(base, el.get("src"))
            text = clean_ws(el.get("alt") or el.get("title") or "")
            kind = "img" if tag == "img" else "a"
            if url and is_attachment(url, text):
                kind = "attachment"
        if not url:
            continue
        key = (url, kind)
        if key in seen:
            continue
        seen.add(key)
        found.append(Link(url=url, kind=kind, text=text))
    return found


def attachments_of(root, base: str) -> list[Attachment]:
    found: list[Attachment] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        url = absolute(base, a.get("href"))
        if not url:
            continue
        text = link_text(a)
        if not is_attachment(url, text) or url in seen:
            continue
        seen.add(url)
        found.append(Attachment(text=text or url.rsplit("/", 1)[-1], url=url))
    return found


def extract_links(url: str, html: str) -> list[Link]:
    try:
        root = parse(html)
        from govwatch.extract.dom import drop_noise

        drop_noise(root)
        return links_of(root, url or "")
    except Exception:
        return []
