"""SSRF guard: link targets come from pages we do not control.

A target whose host is, or resolves to, a loopback/private/link-local/reserved
address is never requested unless the site configuration allows it.
"""

from __future__ import annotations

import ipaddress
import socket

PRIVATE_REASON = "私有地址，未检查"


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
