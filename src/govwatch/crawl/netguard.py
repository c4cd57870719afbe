"""SSRF guard: link targets come from pages we do not control.

A target whose host is, or resolves to, a loopback/private/link-local/reserved
address is never requested unless the site configuration allows it.
"""

from __future__ import annotations

import ipaddress
import socket

PRIVATE_REASON = "私有地址，未检查"
DNS_REASON = "DNS 解析失败"
NOT_HTTP_REASON = "不是 http(s) 地址"


def address_is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified)


def literal_address(host: str) -> str | None:
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return host
    except ValueError:
        return None


def resolve(host: str) -> list[str]:
    """Blocking DNS lookup (run it in a thread). Raises socket.gaierror when the name does not resolve."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def host_is_private(host: str, addresses: list[str] | None = None) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    literal = literal_address(host)
    if literal is not None:
        return address_is_private(literal)
    return any(address_is_private(a) for a in (addresses or []))


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, int] | None:
    """(lower-case host, port) of an http(s) URL, the port made explicit; None for anything else."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number or out of range
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


class FetchGuard:
    """The one SSRF rule for every request we send: the crawler, re-check and any probe.

    A target on (or resolving to) a private address is refused, except the site's own origins
    when its configuration sets `allow_private_addresses`: an intranet portal must be reachable,
    but not another port on its host (a port scanner) nor any other private address.

    Own origins are the (host, port) pairs of the home page, section roots and pinned columns; an
    `allowed_hosts` entry adds its explicit port (`host:port`) or, without one, the default ports,
    unless that host already appears in those URLs with its ports.
    """

    def __init__(self, *, allow_private: bool = False, own_urls=(), own_hosts=()):
        origins = {o for o in (origin(u) for u in own_urls if u) if o}
        seen_hosts = {host for host, _ in origins}
        for entry in own_hosts:
            entry = (entry or "").strip().lower()
            if not entry:
                continue
            with_port = origin(f"http://{entry}/")
            if with_port is None:
                continue
            if ":" in entry.rsplit("]", 1)[-1]:
                origins.add(with_port)
            elif with_port[0] not in seen_hosts:
                origins |= {(with_port[0], p) for p in DEFAULT_PORTS.values()}
        self.allow_private = allow_private
        self.own_origins = frozenset(origins)

    @classmethod
    def for_site(cls, site, *, allow_private: bool | None = None) -> FetchGuard:
        """From a SiteConfig (or anything with its attribute names); `allow_private` overrides
        the site's own `allow_private_addresses`."""
        if allow_private is None:
            allow_private = bool(getattr(site, "allow_private_addresses", False))
        urls = [getattr(site, "home", "")]
        urls += [r for u in getattr(site, "units", ()) or () for r in u.sections]
        urls += [c.url for c in getattr(site, "columns", ()) or ()]
        return cls(allow_private=allow_private, own_urls=urls,
                   own_hosts=getattr(site, "allowed_hosts", ()) or ())

    def exempt(self, url: str) -> bool:
        """True when the private-address rule does not apply: the site's own origin, allowed."""
        return self.allow_private and origin(url) in self.own_origins

    def refusal(self, url: str, resolver=None) -> str | None:
        """Why `url` must not be requested (a Chinese reason), or None. Blocking DNS: call it off
        an event loop. A name that does not resolve is DNS_REASON."""
        target = origin(url)
        if target is None:
            return NOT_HTTP_REASON
        if self.exempt(url):
            return None
        host = target[0]
        if literal_address(host) is not None or host == "localhost" or host.endswith(".localhost"):
            return PRIVATE_REASON if host_is_private(host) else None
        try:
            addresses = (resolver or resolve)(host)
        except OSError:
            return DNS_REASON
        return PRIVATE_REASON if host_is_private(host, addresses) else None
