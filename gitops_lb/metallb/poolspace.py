"""The address space of the pools: which pool holds an IP, and how many addresses a pool has.

Both follow MetalLB's allocator: an IP belongs to the pool with a CIDR containing it, except
that pools with avoidBuggyIPs do not own IPv4 addresses ending in .0 or .255; the capacity is
the count MetalLB's pool status reports. Both are in MetalLB internal/allocator/allocator.go,
v0.15.1 (the status itself is written by internal/k8s/controllers/pool_status_controller.go).
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from gitops_lb.metallb.ipnet import Net

if TYPE_CHECKING:
    from gitops_lb.config import Item
    from gitops_lb.metallb import models as m

IP = tuple[int, int]  # (family, integer value), IPv4-mapped IPv6 folded into IPv4
UNLIMITED = 2**63 - 1  # MetalLB counts a CIDR with >= 62 host bits as MaxInt64


def ip_text(ip: IP) -> str:
    family, value = ip
    return str(ipaddress.IPv4Address(value) if family == 4 else ipaddress.IPv6Address(value))


def is_buggy(ip: IP) -> bool:
    """An IPv4 address ending in .0 or .255, skipped by pools with avoidBuggyIPs."""
    return ip[0] == 4 and ip[1] & 0xFF in (0, 255)


# --- pools ------------------------------------------------------------------------------------


def capacity(nets: Iterable[Net], family: int, avoid_buggy: bool) -> int:
    """Addresses of one family as MetalLB's pool status counts them (MetalLB
    internal/allocator/allocator.go, v0.15.1)."""
    total = 0
    for net in nets:
        if net.family != family:
            continue
        hostbits = (net.size - 1).bit_length()
        if hostbits >= 62:
            return UNLIMITED
        size = net.size
        if avoid_buggy and family == 4:
            if net.prefixlen <= 24:
                size -= 2 ** (24 - net.prefixlen) * 2
            else:
                size -= is_buggy((4, net.first)) + is_buggy((4, net.last))
        total += size
    return total


class PoolIndex:
    """Which pools hold an address: sorted blocks, bisect, then a short walk left."""

    def __init__(self, blocks: Iterable[tuple[Net, int, Item[m.IPAddressPool]]]) -> None:
        rows = sorted(blocks, key=lambda b: (b[0].family, b[0].first, b[1]))
        self.keys = [(net.family, net.first) for net, _, _ in rows]
        self.rows = rows
        # running maximum of `last` within a family, so the walk stops as soon as it can
        self.reach: list[int] = []
        for i, (net, _, _) in enumerate(rows):
            same = i > 0 and rows[i - 1][0].family == net.family
            self.reach.append(max(net.last, self.reach[-1]) if same else net.last)

    def holders(self, ip: IP) -> list[Item[m.IPAddressPool]]:
        """Pools with a block containing ip, in configuration order (ignoring avoidBuggyIPs)."""
        family, value = ip
        i = bisect.bisect_right(self.keys, (family, value)) - 1
        found: dict[int, tuple[int, Item[m.IPAddressPool]]] = {}
        while i >= 0 and self.rows[i][0].family == family and self.reach[i] >= value:
            net, order, pool = self.rows[i]
            if net.first <= value <= net.last:
                found.setdefault(id(pool), (order, pool))
            i -= 1
        return [pool for _, pool in sorted(found.values(), key=lambda t: t[0])]

    def pool_for(self, ips: Sequence[IP]) -> Item[m.IPAddressPool] | None:
        """MetalLB's poolFor: the pool holding every IP; avoidBuggyIPs pools skip .0/.255."""
        if not ips:
            return None
        for pool in self.holders(ips[0]):
            if all(self.admits(pool, ip) for ip in ips):
                return pool
        return None

    def admits(self, pool: Item[m.IPAddressPool], ip: IP) -> bool:
        if pool.model.spec.avoidBuggyIPs and is_buggy(ip):
            return False
        return any(p is pool for p in self.holders(ip))
