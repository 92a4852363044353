"""A pool includes the address of its own cluster's API server (`server:`).

`server` is the URL Argo CD, and usually every client, reaches the cluster's Kubernetes API
at. When its host is an IP address inside one of the cluster's pools, MetalLB may hand that
address to a Service, which then answers for it (ARP/NDP in layer 2 mode, a route in BGP
mode): the API becomes unreachable, and with it MetalLB's own configuration and Argo CD's
syncs. A host name is not resolved, and is not checked. Only the cluster's own pools are
checked: a cluster may well serve another cluster's API server address (a hosted control
plane). An API server address that is also a node address, a gateway or a reserved entry is
reported by site-pool-reserved instead. Shrink the pool or split it around the address.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import site_item, url_ip
from gitops_lb.site.reserved import Blocked, held_by_pools, single
from gitops_lb.site.target import ClusterTarget

ID = "site-pool-api-server"


def check(target: ClusterTarget) -> Iterator[Finding]:
    ip = url_ip(target.cluster.server)
    if ip is None:
        return
    what = f"the address of the cluster's API server ({target.cluster.server})"
    server = Blocked(single(*ip), what, (*target.cluster_path, "server"))
    item = site_item(target)
    for pool, i, entry, _ in held_by_pools(target, [server]):
        yield Finding(
            f"{entry.text} in pool {pool.name!r} of cluster {target.cluster.name!r} includes "
            f"{what}",
            pool,
            ("spec", "addresses", i),
            related=(Rel("the API server's address (server)", item, server.path),),
        )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
