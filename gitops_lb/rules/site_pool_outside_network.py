"""An L2 pool holds addresses outside every network the site declares.

In layer 2 mode a node answers ARP/NDP for a service address on its own segment, so the
address must belong to the subnet of that segment; an address from elsewhere is announced but
no router sends traffic for it to that segment. When the site declares `networks`, every
address of a pool announced by an L2 advertisement must lie inside one of them. Only families
the site declares networks for are checked (a site with IPv4 networks only says nothing about
IPv6 pools). Fix the pool's addresses or declare the network.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import facts
from gitops_lb.site.target import NETWORK, ClusterTarget
from gitops_lb.words import title

ID = "site-pool-outside-network"


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    sem = semantics_of(cfg)
    sf = facts(target.site)
    families = sf.network_families()
    if not families or cfg.incomplete(NETWORK):
        return
    declared = ", ".join(f"{n.network.name} {n.network.cidr}" for n in sf.networks[:3])
    for pool in cfg.pools:
        if not sem.pool_l2advs[id(pool)]:
            continue
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            outside = [n for n in entry.nets if n.family in families and not sf.network_holding(n)]
            if outside:
                yield Finding(
                    f"{entry.text} in L2 {title(pool)} is not inside any network of site "
                    f"{target.site.metadata.name!r} ({declared}"
                    + (", ...)" if len(sf.networks) > 3 else ")"),
                    pool,
                    ("spec", "addresses", i),
                )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
