"""A Service with an allow-shared-ip key is selected by an L2Advertisement's serviceSelectors.

Services that share one address must be announced from one node. When an L2Advertisement that
applies to such a Service has `serviceSelectors` (MetalLB v0.16.0 and later), each Service of
the address is matched on its own, so the sharing Services can match different advertisements
and be announced from different nodes (two nodes answering ARP for one address). MetalLB's
main branch (after v0.16.1, in no release yet) therefore refuses to announce such a Service in
layer 2 at all: it gets its address but nobody answers ARP/NDP for it. No release rejects the
configuration, so the rule is not enforced (a warning under --metallb-compat). It looks at the
allow-shared-ip annotation (any value, even empty, under either prefix) and reports a Service
when every pool it can get its address from has such an advertisement. Either drop the sharing
key, or announce the pool with an L2Advertisement without serviceSelectors.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import matches
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.metallb.services import ServiceView, services_of
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field, short, title

ID = "l2-shared-ip-service-selectors"


def selecting_ad(cfg: ClusterConfig, pool: Item[Any], view: ServiceView) -> Item[Any] | None:
    sem = semantics_of(cfg)
    for adv in sem.pool_l2advs[id(pool)]:
        sels = adv.model.spec.serviceSelectors
        if sels and selectors_valid(sels) and any(matches(s, view.labels) for s in sels):
            return adv
    return None


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    ss = services_of(cfg)
    for view in ss.views:
        if view.sharing is None:
            continue
        pools = ss.landing(view)
        # any() stops at the first pool without such an advertisement
        if not pools or any(selecting_ad(cfg, p, view) is None for p in pools):
            continue
        pool = pools[0]
        adv = selecting_ad(cfg, pool, view)
        assert adv is not None
        sharing = field(view.item, view.sharing.path, view.sharing.key)
        # a pool's own shorthand advertisement needs no "(pool ...)"
        of_pool = "" if adv.origin is not None and adv.origin.frame else f" (pool {pool.name!r})"
        yield Finding(
            f"{title(view.item)} carries {sharing} and {short(adv)}{of_pool} selects it by "
            "serviceSelectors: the Services sharing its address may be announced from different "
            "nodes (MetalLB after v0.16.1 does not announce it in layer 2)",
            view.item,
            view.sharing.path,
            related=(Rel("serviceSelectors defined here", adv, ("spec", "serviceSelectors")),),
        )


# not enforced: no release refuses it (see the docstring)
RULE = Rule(
    ID,
    Severity.ERROR,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(versions=FEATURES["advertisement_service_selectors"]),
)
