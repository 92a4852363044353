"""Two BGPAdvertisements would announce the same prefix with different LOCAL_PREFs.

When two advertisements apply to the same pool, MetalLB requires them to agree on
`localPref` unless they cannot produce the same BGP update: they use different aggregation
lengths for every address family the pool has, they name disjoint, non-empty `peers` lists,
or they select disjoint sets of Nodes. Otherwise the configuration is rejected ("local
preference ... was already set for the same type of BGP update"). Advertisements with
`serviceSelectors` are exempt. The node test uses the Node objects in the input, as MetalLB
uses the cluster's Nodes: without Nodes in the input this check cannot fire (add the output of
`kubectl get nodes -o yaml` to enable it). Give the advertisements the same `localPref`, or
separate their peers or nodes.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgpadv import localpref_compatible
from gitops_lb.rules._base import Rule

ID = "bgpadv-localpref-conflict"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    order = {id(adv): i for i, adv in enumerate(cfg.bgpadvs)}
    conflicts: dict[tuple[int, int], list[str]] = {}
    pairs: dict[tuple[int, int], tuple[Item[Any], Item[Any]]] = {}
    for pool in cfg.pools:
        advs = [a for a in cfg.sem.pool_bgpadvs[id(pool)] if not a.model.spec.serviceSelectors]
        for i, later in enumerate(advs):
            for earlier in advs[:i]:
                if localpref_compatible(cfg, later, earlier, pool):
                    continue
                key = (order[id(later)], order[id(earlier)])
                pairs[key] = (later, earlier)
                conflicts.setdefault(key, []).append(pool.name)
    for key in sorted(pairs):
        later, earlier = pairs[key]
        names = conflicts[key]
        pools = ("pools " if len(names) > 1 else "pool ") + ", ".join(repr(n) for n in names)
        yield Finding(
            f"BGPAdvertisement {later.name!r} localPref {later.model.spec.localPref} conflicts "
            f"with {earlier.name!r} localPref {earlier.model.spec.localPref} for {pools}",
            later,
            ("spec", "localPref"),
            related=(
                Rel(f"BGPAdvertisement {earlier.name!r} is here", earlier, ("spec", "localPref")),
            ),
        )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
