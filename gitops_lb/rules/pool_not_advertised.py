"""No L2Advertisement or BGPAdvertisement announces this pool.

MetalLB hands out addresses from every pool, but it only makes them reachable when an
advertisement attaches to the pool: an L2Advertisement (ARP/NDP) or a BGPAdvertisement (routes
to BGP peers). Without one, Services get an external IP that nobody answers for. This is one of
the most common MetalLB mistakes since the move to CRDs. Add an advertisement that names the
pool (or selects it by label, or an advertisement with no pool fields, which covers all pools).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import from_site, title

ID = "pool-not-advertised"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    l2, bgp = sem.pool_l2advs, sem.pool_bgpadvs
    for pool in cfg.pools:
        if l2[id(pool)] or bgp[id(pool)] or sem.may_announce(pool):
            continue
        why = (
            ": it has no l2 or bgp, and no l2Advertisement or bgpAdvertisement selects it;"
            if from_site(pool)
            else " by any L2Advertisement or BGPAdvertisement:"
        )
        yield Finding(
            f"{title(pool, 'pool')} is not announced{why} its addresses are assigned but "
            "unreachable",
            pool,
            ("metadata", "name"),
        )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
