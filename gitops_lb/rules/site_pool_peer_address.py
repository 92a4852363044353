"""A pool includes the address of a BGP peer (`bgpPeers[].peerAddress`).

The peer's address belongs to a router. A pool that holds it may hand it to a Service: in
layer 2 mode the node that wins it answers ARP/NDP for the router's own address and takes
its traffic; in BGP mode the cluster advertises a route for the address of the router it
peers with, and the sessions or the router's own reachability break. Every pool of a cluster
is checked against the peer addresses of every cluster of the site. A peer address that is
also a network's gateway, a reserved entry or a node address is reported by
site-pool-reserved instead. Shrink the pool or split it around the address.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import cluster_index, ip_value, site_item
from gitops_lb.site.reserved import Blocked, held_by_pools, single
from gitops_lb.site.target import ClusterTarget

ID = "site-pool-peer-address"
SHOWN = 3


def peers(target: ClusterTarget) -> list[Blocked]:
    """The peer addresses of every cluster of the site."""
    own = cluster_index(target)
    out: list[Blocked] = []
    for ci, cluster in enumerate(target.site.spec.clusters):
        for j, peer in enumerate(cluster.bgpPeers):
            ip = ip_value(peer.peerAddress)
            if ip is None or "/" in peer.peerAddress:
                continue  # not an address: peer-invalid-ip
            what = f"the address {peer.peerAddress} of BGP peer {peer.name!r}"
            if ci != own:
                what += f" of cluster {cluster.name!r}"
            path = ("spec", "clusters", ci, "bgpPeers", j, "peerAddress")
            out.append(Blocked(single(*ip), what, path))
    return out


def check(target: ClusterTarget) -> Iterator[Finding]:
    item = site_item(target)
    for pool, i, entry, held in held_by_pools(target, peers(target)):
        listed = ", ".join(b.what for b in held[:SHOWN])
        more = f" and {len(held) - SHOWN} more" if len(held) > SHOWN else ""
        yield Finding(
            f"{entry.text} in pool {pool.name!r} of cluster {target.cluster.name!r} includes "
            f"{listed}{more}",
            pool,
            ("spec", "addresses", i),
            related=tuple(Rel(b.what, item, b.path) for b in held),
        )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
