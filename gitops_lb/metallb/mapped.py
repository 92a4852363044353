"""IPv4-mapped IPv6 notation (`::ffff:a.b.c.d`) in addresses, CIDRs and ranges.

MetalLB counts such an address as IPv4, so it "works", but the same address then has two
spellings (Git says `::ffff:192.0.2.1`, the Service status says `192.0.2.1`) and a CIDR keeps
its 128-bit prefix length. The rules ask for the plain IPv4 form, which `plain_form` gives.
"""

from __future__ import annotations

import ipaddress

from gitops_lb.metallb.ipnet import is_mapped, parse_ip


def _plain_ip(text: str) -> str | None:
    ip = parse_ip(text.strip())
    if ip is None or not is_mapped(ip):
        return None
    assert isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None
    return str(ip.ipv4_mapped)


def plain_form(text: str) -> str | None:
    """`text` (an IP, ip/prefix or start-end) in IPv4 notation, when it uses mapped notation.

    None when nothing in it is written in IPv4-mapped IPv6 notation (or it does not parse).
    """
    if "-" in text:
        start, _, end = text.partition("-")
        a, b = _plain_ip(start), _plain_ip(end)
        if a is None and b is None:
            return None
        return f"{a or start.strip()}-{b or end.strip()}"
    addr, sep, length = text.partition("/")
    plain = _plain_ip(addr)
    if plain is None:
        return None
    if not sep:
        return plain
    try:
        bits = int(length)
    except ValueError:
        return plain
    return f"{plain}/{bits - 96}" if 96 <= bits <= 128 else plain
