"""A Service with an allow-shared-ip key is selected by an L2Advertisement's serviceSelectors.

MetalLB's layer 2 speaker refuses to announce a Service that carries the allow-shared-ip
annotation (any value, even empty, under either prefix) when an L2Advertisement that applies
to it has `serviceSelectors`: services sharing one address could otherwise be announced from
two nodes at once. The Service gets its address but nobody answers ARP/NDP for it. Either drop
the sharing key, or announce the pool with an L2Advertisement without serviceSelectors.
Reported when every pool the Service can get its address from has such an advertisement.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import matches
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.metallb.services import ServiceView, services_of
from gitops_lb.rules._base import Rule
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
            "serviceSelectors: MetalLB will not announce it in layer 2",
            view.item,
            view.sharing.path,
            related=(Rel("serviceSelectors defined here", adv, ("spec", "serviceSelectors")),),
        )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
