"""Addresses a pool of a cluster must stay clear of (site-pool-reserved).

Single addresses (gateways, network and broadcast addresses, node addresses) sit in a sorted
list searched by bisection, so a pool is checked in O(log n) per address block however large
the inventory; the few ranges (reserved entries, cluster and service CIDRs) are scanned.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.diagnostics import FieldPath
from gitops_lb.memo import per_object
from gitops_lb.metallb.ipnet import Entry, Net, parse_cidr
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.site.facts import address_net, cluster_index, facts

if TYPE_CHECKING:
    from gitops_lb.config import Item
    from gitops_lb.metallb import models as m
    from gitops_lb.site.target import ClusterTarget


@dataclass(frozen=True, slots=True)
class Blocked:
    net: Net  # a single address is a block of size 1
    what: str  # "the gateway of network vlan10"
    path: FieldPath  # in the site document

    @property
    def buggy_only(self) -> bool:
        """An IPv4 .0/.255 address: never handed out by a pool with avoidBuggyIPs."""
        return self.net.family == 4 and self.net.size == 1 and self.net.first & 0xFF in (0, 255)


class ReservedIndex:
    def __init__(self, target: ClusterTarget) -> None:
        points: list[Blocked] = []
        self.ranges: list[Blocked] = []
        sf = facts(target.site)
        for info in sf.networks:
            name, net = info.network.name, info.net
            if net is None:
                continue
            gw = info.network.gateway
            gw_net = address_net(gw) if gw and "/" not in gw else None
            if gw_net is not None:
                points.append(
                    Blocked(gw_net, f"the gateway of network {name!r}", (*info.path, "gateway"))
                )
            if net.family == 4 and net.prefixlen <= 30:
                at = (*info.path, "cidr")
                points.append(Blocked(_one(4, net.first), f"the network address of {name!r}", at))
                points.append(Blocked(_one(4, net.last), f"the broadcast address of {name!r}", at))
            for j, text in enumerate(info.network.reserved):
                blocked = address_net(text)
                if blocked is not None:
                    what = f"reserved {text} of network {name!r}"
                    self.ranges.append(Blocked(blocked, what, (*info.path, "reserved", j)))
        for iface in sf.interfaces:
            if iface.ip is not None:
                cluster = target.site.spec.clusters[iface.cluster_index].name
                what = f"the address of node {iface.node.name!r} ({iface.iface.name}, {cluster})"
                path = (*iface.path, iface.index, "address")
                points.append(Blocked(_one(*iface.ip), what, path))
        ci = cluster_index(target)
        for key, label in (("clusterCIDRs", "pod"), ("serviceCIDRs", "service")):
            for j, text in enumerate(getattr(target.cluster, key)):
                cidr = parse_cidr(text)
                if cidr is not None:
                    what = f"the cluster's {label} CIDR {text}"
                    self.ranges.append(Blocked(cidr, what, ("spec", "clusters", ci, key, j)))
        points.sort(key=lambda b: (b.net.family, b.net.first))
        self.points = points
        self.keys = [(b.net.family, b.net.first) for b in points]

    def hits(self, net: Net, *, avoid_buggy: bool) -> list[Blocked]:
        lo = bisect_left(self.keys, (net.family, net.first))
        hi = bisect_right(self.keys, (net.family, net.last))
        found = [b for b in self.points[lo:hi] if not (avoid_buggy and b.buggy_only)]
        found.extend(b for b in self.ranges if b.net.overlaps(net))
        return found


@per_object
def reserved_index(target: ClusterTarget) -> ReservedIndex:
    """The ReservedIndex of a cluster, built once for the rules that consult it."""
    return ReservedIndex(target)


def held_by_pools(
    target: ClusterTarget, taken: Sequence[Blocked]
) -> Iterator[tuple[Item[m.IPAddressPool], int, Entry, list[Blocked]]]:
    """(pool, entry index, entry, the addresses of `taken` it holds) of each pool entry of the
    cluster that holds some of the single addresses `taken`, leaving out the addresses
    site-pool-reserved already reports for that pool, and those a pool with avoidBuggyIPs
    never hands out."""
    if not taken:
        return
    sem = semantics_of(target.config)
    index = reserved_index(target)
    kept = {
        avoid: [
            b
            for b in taken
            if not (avoid and b.buggy_only) and not index.hits(b.net, avoid_buggy=avoid)
        ]
        for avoid in (False, True)
    }
    for pool in target.config.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            held = [
                b
                for b in kept[pool.model.spec.avoidBuggyIPs]
                if any(n.overlaps(b.net) for n in entry.nets)
            ]
            if held:
                yield pool, i, entry, held


def single(family: int, value: int) -> Net:
    """A single address as a block of size 1."""
    return _one(family, value)


def _one(family: int, value: int) -> Net:
    return Net(family, value, value, 32 if family == 4 else 128)
