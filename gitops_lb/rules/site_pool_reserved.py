"""A pool includes addresses that are already taken: gateway, reserved, node or cluster ranges.

MetalLB hands out every address of a pool. If the pool includes a network's gateway, an entry
of its `reserved` list, the network or broadcast address of an IPv4 network (/30 and wider), a
node's interface address (of any cluster of the site), or overlaps the cluster's pod
(`clusterCIDRs`) or service (`serviceCIDRs`) ranges, a Service may get that address and take it
over from its owner: ARP conflicts, a dead gateway, unreachable nodes, broken cluster routing.
With `avoidBuggyIPs` the .0 and .255 addresses are never handed out and are not reported.
Shrink the pool or split it around the taken addresses.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import site_item
from gitops_lb.site.reserved import Blocked, ReservedIndex
from gitops_lb.site.target import ClusterTarget
from gitops_lb.words import title

ID = "site-pool-reserved"
SHOWN = 3


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    sem = semantics_of(cfg)
    index = ReservedIndex(target)
    item = site_item(target)
    for pool in cfg.pools:
        # an avoidBuggyIPs not read as written: judge only what it cannot change
        avoid = pool.model.spec.avoidBuggyIPs or not pool.sure(("spec", "avoidBuggyIPs"))
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            hits: dict[tuple[object, ...], Blocked] = {}
            for net in entry.nets:
                for b in index.hits(net, avoid_buggy=avoid):
                    hits.setdefault(b.path, b)
            if not hits:
                continue
            found = list(hits.values())
            listed = ", ".join(b.what for b in found[:SHOWN])
            more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
            yield Finding(
                f"{entry.text} in {title(pool, 'pool')} includes {listed}{more}",
                pool,
                ("spec", "addresses", i),
                related=tuple(Rel(b.what, item, b.path) for b in found),
            )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
