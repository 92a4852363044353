"""IP addresses, CIDRs and ranges with the semantics of Go's `net` package as MetalLB uses it.

Differences from Python's `ipaddress` that matter here: zones (`%eth0`) are rejected; host bits
of a CIDR are masked, not rejected; the prefix length must be decimal digits (no netmask form);
an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is IPv4 for MetalLB, and a CIDR written that way
keeps its 128-bit mask length (so `::ffff:1.2.3.0/120` covers 1.2.3.0/24 but counts as /120).
Ranges `start-end` are split at the first `-`, trimmed, and summarised to aligned CIDRs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_MAPPED_PREFIX = 0xFFFF << 32
_MAPPED_MASK = ((1 << 96) - 1) << 32


@dataclass(frozen=True, slots=True, order=True)
class Net:
    """An aligned block in MetalLB's family space (IPv4-mapped IPv6 counts as IPv4)."""

    family: int  # 4 or 6
    first: int
    last: int
    prefixlen: int  # the mask length MetalLB sees (120 for ::ffff:1.2.3.0/120)

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def __str__(self) -> str:
        if self.family == 4:
            return f"{ipaddress.IPv4Address(self.first)}/{self.prefixlen}"
        return f"{ipaddress.IPv6Address(self.first)}/{self.prefixlen}"

    def contains(self, family: int, value: int) -> bool:
        return family == self.family and self.first <= value <= self.last

    def overlaps(self, other: Net) -> bool:
        return self.family == other.family and self.first <= other.last and other.first <= self.last


@lru_cache(maxsize=65536)
def parse_ip(text: str) -> IPAddress | None:
    """Go net.ParseIP: dotted quad without leading zeros or any IPv6 text form, no zone."""
    if not text or "%" in text or text.strip() != text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def family_value(ip: IPAddress) -> tuple[int, int]:
    """(family, integer) with IPv4-mapped IPv6 folded into IPv4, as MetalLB does."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped
        if mapped is not None:
            return 4, int(mapped)
        return 6, int(ip)
    return 4, int(ip)


def ip_family(ip: IPAddress) -> int:
    return family_value(ip)[0]


def is_mapped(ip: IPAddress) -> bool:
    return isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None


@lru_cache(maxsize=65536)
def parse_cidr(text: str) -> Net | None:
    """Go net.ParseCIDR followed by MetalLB's family view; None when Go would reject it."""
    addr, sep, mask = text.partition("/")
    if not sep or not mask or not mask.isascii() or not mask.isdigit():
        return None
    ip = parse_ip(addr)
    if ip is None:
        return None
    bits = 32 if isinstance(ip, ipaddress.IPv4Address) else 128
    plen = int(mask)
    if plen > bits:
        return None
    value = int(ip)
    host = (1 << (bits - plen)) - 1
    network = value & ~host & ((1 << bits) - 1)
    if bits == 32:
        return Net(4, network, network | host, plen)
    if network & _MAPPED_MASK == _MAPPED_PREFIX:
        # still IPv4-mapped after masking (prefix >= 96): MetalLB treats it as IPv4
        v4host = (1 << (128 - plen)) - 1
        first = network & 0xFFFFFFFF
        return Net(4, first, first | v4host, plen)
    return Net(6, network, network | host, plen)


class RangeError(ValueError):
    pass


def summarize(start: IPAddress, end: IPAddress) -> list[Net]:
    """Minimal aligned CIDRs covering start..end; empty for mixed families (as MetalLB)."""
    sf, sv = family_value(start)
    ef, ev = family_value(end)
    if sf != ef:
        return []
    nets: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]
    if sf == 4:
        nets = ipaddress.summarize_address_range(
            ipaddress.IPv4Address(sv), ipaddress.IPv4Address(ev)
        )
    else:
        nets = ipaddress.summarize_address_range(
            ipaddress.IPv6Address(sv), ipaddress.IPv6Address(ev)
        )
    return [Net(sf, int(n.network_address), int(n.broadcast_address), n.prefixlen) for n in nets]


def _as16(ip: IPAddress) -> bytes:
    if isinstance(ip, ipaddress.IPv4Address):
        return b"\x00" * 10 + b"\xff\xff" + ip.packed
    return ip.packed


@lru_cache(maxsize=65536)
def parse_range(text: str) -> list[Net]:
    """`start-end` as MetalLB's parseIPRange; raises RangeError with MetalLB's reason."""
    start_text, _, end_text = text.partition("-")
    start = parse_ip(start_text.strip())
    if start is None:
        raise RangeError(f"invalid start IP {start_text.strip()!r}")
    end = parse_ip(end_text.strip())
    if end is None:
        raise RangeError(f"invalid end IP {end_text.strip()!r}")
    if _as16(start) > _as16(end):
        raise RangeError("start IP is after the end IP")
    return summarize(start, end)


@dataclass(frozen=True, slots=True)
class Entry:
    """One string of IPAddressPool.spec.addresses, parsed."""

    text: str
    nets: tuple[Net, ...]
    error: str | None = None
    is_range: bool = False
    mixed_family: bool = False  # a range whose ends differ in family: contributes nothing
    mapped: bool = False  # written with IPv4-mapped IPv6 notation

    @property
    def family(self) -> int | None:
        return self.nets[0].family if self.nets else None

    @property
    def widest(self) -> int:
        """Smallest mask length among the entry's CIDRs (MetalLB's aggregation check)."""
        return min(n.prefixlen for n in self.nets)


@lru_cache(maxsize=65536)
def parse_entry(text: str) -> Entry:
    if "-" in text:
        try:
            nets = parse_range(text)
        except RangeError as exc:
            return Entry(text, (), f"invalid IP range {text!r}: {exc}", is_range=True)
        start_text, _, end_text = text.partition("-")
        start = parse_ip(start_text.strip())
        end = parse_ip(end_text.strip())
        assert start is not None and end is not None
        mixed = ip_family(start) != ip_family(end)
        return Entry(
            text,
            tuple(nets),
            is_range=True,
            mixed_family=mixed,
            mapped=is_mapped(start) or is_mapped(end),
        )
    net = parse_cidr(text)
    if net is None:
        return Entry(text, (), f"invalid CIDR {text!r}")
    ip = parse_ip(text.partition("/")[0])
    return Entry(text, (net,), mapped=ip is not None and is_mapped(ip))
