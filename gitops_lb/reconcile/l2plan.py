"""Plan facts reconcile needs: which pool holds an address (MetalLB's poolFor, through
gitops_lb.metallb.services), and which nodes may announce a pool's services in L2, on which
interfaces (facts §12).

The speaker plan of `gitops-lb plan` answers the same question for the compiled output; this
module keeps reconcile independent of it (the two should share one implementation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import family_value, parse_ip
from gitops_lb.metallb.selectors import any_matches
from gitops_lb.metallb.semantics import selectors_valid
from gitops_lb.metallb.services import services_of

EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers"

# node name -> interfaces it may announce on (None: any interface)
Allowed = dict[str, frozenset[str] | None]


def pool_has(cfg: ClusterConfig, pool: Item[m.IPAddressPool], ip_text: str) -> bool:
    """Whether MetalLB may hand out `ip_text` from `pool` (avoidBuggyIPs respected)."""
    ip = parse_ip(ip_text.strip())
    return ip is not None and services_of(cfg).index.admits(pool, family_value(ip))


def pool_containing(cfg: ClusterConfig, ip_text: str) -> Item[m.IPAddressPool] | None:
    """The pool MetalLB takes `ip_text` from (its poolFor), or None."""
    ip = parse_ip(ip_text.strip())
    return services_of(cfg).index.pool_for([family_value(ip)]) if ip is not None else None


def l2_allowed(
    cfg: ClusterConfig,
    pool: Item[m.IPAddressPool],
    nodes: Iterable[tuple[str, Mapping[str, str]]],
    service_labels: Mapping[str, str] | None = None,
) -> Allowed:
    """Nodes that may announce a service of `pool` in L2, with their interfaces.

    The L2 advertisements attached to the pool whose serviceSelectors match the service
    (service_labels None: ignore serviceSelectors) are combined per node: a node selected by
    one of them may announce; an advertisement without `interfaces` allows every interface,
    otherwise the union of the listed names. Nodes labelled exclude-from-external-load-balancers
    never announce.
    """
    ads: list[Item[Any]] = []
    for ad in cfg.sem.pool_l2advs[id(pool)]:
        sels = ad.model.spec.serviceSelectors
        if service_labels is None or (selectors_valid(sels) and any_matches(sels, service_labels)):
            ads.append(ad)
    out: Allowed = {}
    for name, labels in nodes:
        if EXCLUDE_LABEL in labels:
            continue
        selected = False
        every = False
        names: set[str] = set()
        for ad in ads:
            sels = ad.model.spec.nodeSelectors
            if not selectors_valid(sels) or not any_matches(sels, labels):
                continue
            selected = True
            if ad.model.spec.interfaces:
                names.update(ad.model.spec.interfaces)
            else:
                every = True
        if selected:
            out[name] = None if every else frozenset(names)
    return out
