"""Two nodes of the inventory have the same address.

An address belongs to one host on a network: two nodes that answer for it split its traffic
between them, and the checks that keep pools clear of node addresses protect one of them
only. Usually an inventory line was copied and not changed. Two interface addresses (`ip` or
`ip/prefix`; the prefix is not compared) of different nodes are reported when

- the nodes are in the same cluster, unless the two interfaces are on two different declared
  networks (separate segments that may reuse addresses), or
- the nodes are in two clusters of the site and both interfaces are on the same declared
  network (named by `network`, or the network that holds the address).

Nodes in different clusters on undeclared networks may sit on separate segments and are not
compared; nor are sites with each other. The later address is reported, with the first as the
related location. A node listed twice under one name is site-duplicate-name's finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import InterfaceInfo, facts, one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-node-address-duplicate"


def clash(a: InterfaceInfo, b: InterfaceInfo) -> bool:
    """Do two interfaces with the same address of different nodes contradict each other?"""
    net_a = a.network.index if a.network is not None else None
    net_b = b.network.index if b.network is not None else None
    if a.cluster_index == b.cluster_index:
        return a.node.name != b.node.name and (net_a is None or net_b is None or net_a == net_b)
    return net_a is not None and net_a == net_b


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        item = site_item(target)
        clusters = target.site.spec.clusters
        seen: dict[tuple[int, int], list[InterfaceInfo]] = {}
        for info in facts(target.site).interfaces:
            if info.ip is None:
                continue
            earlier = seen.setdefault(info.ip, [])
            first = next((e for e in earlier if clash(e, info)), None)
            earlier.append(info)
            if first is None:
                continue
            where = f"node {first.node.name!r}"
            if first.cluster_index != info.cluster_index:
                where += f" of cluster {clusters[first.cluster_index].name!r}"
            yield Finding(
                f"address {info.iface.address} of interface {info.iface.name!r} on node "
                f"{info.node.name!r} of cluster {clusters[info.cluster_index].name!r} is also "
                f"the address of {where} ({first.iface.name})",
                item,
                (*info.path, info.index, "address"),
                related=(
                    Rel(
                        f"the address of {where} ({first.iface.name})",
                        item,
                        (*first.path, first.index, "address"),
                    ),
                ),
            )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
