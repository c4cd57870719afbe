"""Bytes to text. Order of trust: BOM, HTTP header, <meta>/XML declaration, then
a trial decode (UTF-8 strict, else GB18030). A gb2312/gbk label means GB18030."""

from __future__ import annotations

import codecs

from govwatch.extract.patterns import GB_ALIASES, META_CHARSET, XML_ENCODING

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def normalize_label(label: str | None) -> str | None:
    """A usable Python codec name for a charset label, or None."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in GB_ALIASES:
        return "gb18030"
    if label in ("utf8", "unicode-1-1-utf-8", "x-unicode20utf8"):
        label = "utf-8"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    # Latin-1 labels on Chinese pages are almost always wrong (server default); let trial decoding decide.
    if name in ("latin-1", "iso8859-1", "cp1252", "ascii"):
        return None
    if name in ("gb2312", "gbk"):
        return "gb18030"
    return name


def _header_label(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in str(content_type).split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value
    return None


def sniff_encoding(body: bytes, content_type: str | None = None) -> str:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    for label in (_header_label(content_type),):
        name = normalize_label(label)
        if name:
            return name
    head = body[:8192]
    for pattern in (META_CHARSET, XML_ENCODING):
        m = pattern.search(head)
        if m:
            name = normalize_label(m.group(1).decode("ascii", "replace"))
            if name:
                return name
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A truncated multibyte character at the very end is still UTF-8.
        if exc.start >= len(body) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8"
    return "gb18030"


def _strict_ok(body: bytes, name: str) -> bool:
    try:
        body.decode(name)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def _second_opinion(body: bytes, name: str) -> str:
    """Chinese portals often mislabel: a 'utf-8' page in GBK, or a 'gbk' page in UTF-8.
    Switch only when the label fails strictly and the other one decodes cleanly."""
    sample = body[:65536]
    # Cut at a line end so a multibyte character is not split at the sample's edge.
    cut = sample.rfind(b"\n")
    sample = sample[:cut] if cut > 0 else sample
    if name == "utf-8" and not _strict_ok(sample, "utf-8") and _strict_ok(sample, "gb18030"):
        return "gb18030"
    if name == "gb18030" and any(b > 0x7F for b in sample) and _strict_ok(sample, "utf-8"):
        return "utf-8"
    return name


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode a page; never raises, undecodable bytes become U+FFFD."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    try:
        body = bytes(body)
    except Exception:
        return ""
    try:
        name = sniff_encoding(body, content_type)
        if not any(body.startswith(bom) for bom, _ in _BOMS):
            name = _second_opinion(body, name)
    except Exception:
        name = "utf-8"
    for bom, bom_name in _BOMS:
        if name == bom_name and body.startswith(bom):
            body = body[len(bom):]
    try:
        text = body.decode(name, errors="replace")
    except Exception:
        text = body.decode("utf-8", errors="replace")
    return text.replace("\x00", "")
