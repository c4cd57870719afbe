"""The archived page of a finding, made safe to show and marked where the problem is.

Archived pages come from sites we do not control. They are served on their own
path with a CSP that forbids scripts and inside a sandboxed iframe; on top of
that the HTML is rewritten here so that nothing in it can execute or load:
scripts, frames, objects, event handlers, <base>, meta refresh and
javascript:/data: URLs in links are removed. The problem is then highlighted in
place: a typo wrapped in red with its correction, a broken link outlined.

The party who benefits from a hidden finding controls the archived page, so in
the marked view it has no say over presentation either (strip_presentation):
its stylesheets, style attributes, presentational attributes, `hidden`, its own
<mark> elements and ids that copy ours are gone before our banner and mark go
in. The finding page shows our banner and the review state outside the frame.
The raw view (render_raw) keeps the page's own look, unmarked, and is labelled
原始页面 where it is offered.
"""

from __future__ import annotations

import html as htmlmod
from pathlib import Path
from urllib.parse import urljoin

import re

from lxml import etree
from lxml import html as lhtml

from govwatch.extract.dom import drop_element, strip_control

# Response headers of the evidence view. `sandbox` in the CSP makes even a
# top-level visit to /evidence/<id>/ a sandboxed, script-less document.
EVIDENCE_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
                "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox")

_DROP_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
                  "noscript", "template", "portal")
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "srcset")
_MARK_TYPO = ("background:#ffe3e3;color:#c00000;font-weight:bold;text-decoration:underline wavy #c00000;"
              "outline:2px solid #c00000;scroll-margin-top:80px")
_MARK_LINK = "outline:3px solid #c00000;outline-offset:2px;background:#ffe3e3;scroll-margin-top:80px"


# Attributes that change how archived content looks (HTML presentational and SVG presentation
# attributes); with them a page could hide our mark or dress text up as our banner.
_PRESENTATION_ATTRS = frozenset((
    "style", "class", "hidden", "bgcolor", "color", "background", "text", "link", "vlink", "alink", "face",
    "opacity", "visibility", "display", "transform", "clip-path", "mask", "filter", "fill-opacity",
))
_OUR_IDS = ("gw-problem", "gw-banner")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class EvidenceMissing(Exception):
    """The finding has no archived page, or the archive is gone."""


def load_archived(run_dir: str, pointer: str) -> tuple[str, str]:
    """(page URL, decoded HTML) of the WARC record a pointer names."""
    from w3lib.encoding import html_to_unicode

    from govwatch.crawl.warc import read_warc_record

    if not run_dir or not pointer:
        raise EvidenceMissing("没有存档快照")
    headers = body = None
    error: Exception | None = None
    # Pointers are relative to the run directory ("warc/…"); exports may also write them
    # relative to the runs directory ("run-12/warc/…"). Both roots stay inside the archive.
    for root in (Path(run_dir), Path(run_dir).parent):
        try:
            headers, body = read_warc_record(root, pointer)
            break
        except (OSError, ValueError) as exc:
            error = exc
    if headers is None:
        # The reader sees a sentence, not an errno or a path on our server.
        if isinstance(error, FileNotFoundError):
            raise EvidenceMissing("存档文件不存在（可能已按保存期限清理），无法显示快照")
        raise EvidenceMissing("存档文件无法读取（文件损坏或不是存档格式），无法显示快照")
    content_type = ""
    for name, value in headers.get("http_headers", []) or []:
        if name.lower() == "content-type":
            content_type = value
    url = headers.get("WARC-Target-URI", "")
    return url, html_to_unicode(content_type, body)[1]


def archive_pointer(finding) -> str:
    """The WARC record showing a finding: its own evidence pointer, else the archived copy
    of its page (PageFact) or of its column's list page (ColumnState) from the same run."""
    from govwatch.monitoring.models import ColumnState, PageFact

    pointer = (finding.evidence or {}).get("warc")
    if pointer:
        return pointer
    pointer = (PageFact.objects.filter(run_id=finding.run_id, url=finding.url).exclude(warc="")
               .values_list("warc", flat=True).first())
    if pointer:
        return pointer
    return (ColumnState.objects.filter(run_id=finding.run_id, url__in=[finding.url, finding.column_url])
            .exclude(warc="").values_list("warc", flat=True).first()) or ""


def archived_urls(run_id: int, urls) -> set[str]:
    """Which of these URLs have an archived copy in the run (two queries for a whole page)."""
    from govwatch.monitoring.models import ColumnState, PageFact

    urls = list(set(urls))
    found = set(PageFact.objects.filter(run_id=run_id, url__in=urls).exclude(warc="").values_list("url", flat=True))
    found |= set(ColumnState.objects.filter(run_id=run_id, url__in=urls).exclude(warc="").values_list("url", flat=True))
    return found


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def sanitize(doc) -> None:
    for el in list(doc.iter(*_DROP_ELEMENTS)):
        # Keeps the page after an unclosed or (to lxml) non-void <object>/<embed>: a unit could
        # otherwise hide everything below one from the evidence.
        drop_element(el)
    for el in list(doc.iter("meta")):
        if (el.get("http-equiv") or "").lower() in ("refresh", "set-cookie", "content-security-policy"):
            _drop(el)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            low = attr.lower()
            value = el.get(attr) or ""
            if _NOT_XML.search(value):
                # `&#1;` decodes to a character lxml then refuses to write back (ValueError).
                el.set(attr, _xml_safe(value))
            if low.startswith("on") or low in ("formaction", "srcdoc", "ping"):
                del el.attrib[attr]
            elif low in _URL_ATTRS:
                value = (el.get(attr) or "").strip().lower().replace("\t", "").replace("\n", "")
                if value.startswith(("javascript:", "vbscript:", "data:text", "data:application")):
                    del el.attrib[attr]
    for form in doc.iter("form"):
        form.attrib.pop("action", None)
    for el in doc.iter("a", "area"):
        # Navigation out of the frame is not what evidence is for; keep the address visible.
        if el.get("href"):
            el.set("title", _xml_safe(el.get("href")))
            el.set("target", "_blank")
            el.set("rel", "noopener noreferrer")


def strip_presentation(doc) -> None:
    """Remove everything the archived page could use to restyle our banner and mark."""
    for el in list(doc.iter("style", "link")):
        _drop(el)
    for el in list(doc.iter("font", "mark", "marquee", "blink")):
        if el.getparent() is not None:
            el.drop_tag()  # the text stays; only the styling element goes
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            if attr.lower() in _PRESENTATION_ATTRS:
                del el.attrib[attr]
        if el.get("id") in _OUR_IDS:
            del el.attrib["id"]
        if el.tag in ("details", "dialog"):
            el.set("open", "")  # closed, they would hide what they contain


def _drop(el) -> None:
    # drop_tree keeps the element's tail text (the page text after it) in place.
    if el.getparent() is not None:
        el.drop_tree()


def highlight_typo(doc, wrong: str, right: str, context: str = "", *, title: str | None = None,
                   badge: str | None = None) -> bool:
    """Wrap the first occurrence of `wrong` (the one inside `context` when given) in a red mark.

    Also marks other text a finding is about (a blank column's 暂无信息) with its own title and badge.
    """
    if not wrong:
        return False
    candidates = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("style", "title", "head", "textarea"):
            continue
        for slot in ("text", "tail"):
            if slot == "tail" and (el.getparent() is None or el.getparent().tag in ("style", "head")):
                continue
            value = getattr(el, slot)
            if value and wrong in value:
                candidates.append((el, slot, value))
    if not candidates:
        return False
    chosen = next((c for c in candidates if context and context in c[2]), candidates[0])
    el, slot, value = chosen
    i = value.index(wrong)
    mark = lhtml.Element("mark")
    mark.set("style", _MARK_TYPO)
    mark.set("title", title or f"疑似错别字“{wrong}”，应为“{right}”")
    mark.set("id", "gw-problem")
    mark.text = wrong
    fix = lhtml.Element("span")
    fix.set("style", "color:#fff;background:#c00000;font-size:12px;padding:0 4px;margin-left:2px;border-radius:3px")
    fix.text = badge or (f"→ {right}" if right else "错别字")
    mark.append(fix)
    mark.tail = value[i + len(wrong):]
    if slot == "text":
        el.text = value[:i]
        el.insert(0, mark)
    else:
        el.tail = value[:i]
        parent = el.getparent()
        parent.insert(parent.index(el) + 1, mark)
    return True


def highlight_link(doc, page_url: str, target: str) -> int:
    """Outline every link, image or attachment on the page that points at the broken target."""
    found = 0
    for el in doc.iter("a", "img", "area", "source", "embed"):
        ref = el.get("href") or el.get("src")
        if ref and urljoin(page_url, ref.strip()) == target:
            for size in ("width", "height"):  # a zero-sized image would hide the outline
                el.attrib.pop(size, None)
            el.set("style", (el.get("style") or "") + ";" + _MARK_LINK)
            el.set("title", f"错链接：{target}")
            if not found:
                el.set("id", "gw-problem")
            found += 1
    return found


def banner(doc, text: str) -> None:
    body = doc.find(".//body")
    if body is None:
        body = doc
    bar = lhtml.Element("div")
    bar.set("id", "gw-banner")
    bar.set("style", "position:sticky;top:0;z-index:2147483647;background:#fff8e1;border-bottom:2px solid #c00000;"
                     "padding:6px 10px;font:14px/1.5 sans-serif;color:#333")
    bar.text = text
    body.insert(0, bar)
    bar.tail = body.text
    body.text = None


def _parse(page_html: str):
    page_html = strip_control(page_html)
    try:
        return lhtml.document_fromstring(page_html or "<p></p>")
    except (etree.ParserError, ValueError):
        return lhtml.document_fromstring(f"<pre>{htmlmod.escape(page_html)}</pre>")


def _serialize(doc) -> str:
    head = doc.find("head")
    if head is None:
        head = lhtml.Element("head")
        doc.insert(0, head)
    meta = lhtml.Element("meta")
    meta.set("charset", "utf-8")
    head.insert(0, meta)
    return "<!DOCTYPE html>\n" + lhtml.tostring(doc, encoding="unicode", method="html")


def render_raw(page_html: str) -> str:
    """The archived page with its own look (scripts and the like still removed), unmarked."""
    doc = _parse(page_html)
    sanitize(doc)
    return _serialize(doc)


def render_evidence(page_html: str, page_url: str, evidence: dict, caption: str) -> str:
    """Safe, highlighted HTML of an archived page, in our presentation only."""
    doc = _parse(page_html)
    sanitize(doc)
    strip_presentation(doc)
    marked = False
    if evidence.get("target"):
        marked = highlight_link(doc, page_url, evidence["target"]) > 0
    elif evidence.get("wrong"):
        marked = highlight_typo(doc, str(evidence["wrong"]), str(evidence.get("right", "")),
                                str(evidence.get("context", "")))
    elif evidence.get("placeholder"):
        # A blank column: the browser scrolls to the placeholder it shows instead of items.
        shown = str(evidence["placeholder"])
        marked = highlight_typo(doc, shown, "", title=f"空白栏目：页面只显示“{shown}”", badge="空白栏目")
    located = evidence.get("target") or evidence.get("wrong") or evidence.get("placeholder")
    note = "" if marked or not located else "（未能在页面中定位问题位置）"
    banner(doc, caption + note)
    return _serialize(doc)
