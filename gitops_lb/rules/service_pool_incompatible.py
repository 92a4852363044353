"""The pool a Service asks for cannot serve it (serviceAllocation, or no address of its family).

A pool with `spec.serviceAllocation` serves only Services in its `namespaces` or in Namespaces
its `namespaceSelectors` match, and, if it has `serviceSelectors`, only Services whose labels
match one of them. MetalLB applies this also to explicit requests: a Service naming the pool in
its address-pool annotation, or requesting an address that lies in it, stays pending ("pool ...
not compatible for ip assignment"). Move the Service, extend the serviceAllocation, or use
another pool. When the Service has no namespace, or a namespaceSelector needs a Namespace object
that is not in the input, the rule does not guess.

A pool named in the address-pool annotation must also have addresses of the Service's family:
an IPv6 Service naming an IPv4-only pool, or a RequireDualStack Service naming a pool without
both families, stays pending too (PreferDualStack is content with either family).
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import ServiceSemantics, ServiceView, family_name, services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "service-pool-incompatible"


def missing_family(ss: ServiceSemantics, pool: Item[Any], view: ServiceView) -> str | None:
    """Why the named pool has no address for the Service's family, if it has none."""
    if view.family is None:
        return None
    have = ss.families(pool)
    if (view.prefer_dual and have & view.family) or view.family <= have:
        return None
    missing = " and ".join(family_name(f) for f in sorted(view.family - have))
    return f"it lacks {missing} addresses for this {family_name(view.family)} Service"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    ss = services_of(cfg)
    for view in ss.views:
        if not view.choice_known:
            continue
        if view.requests:
            if view.desired is None:
                continue
            pool = ss.index.pool_for(view.desired.ips)
            path, how = view.desired.path, f"requests {view.desired.shown()} from"
        elif view.pool_annotation is not None:
            pool = sem.pools_by_name.get(view.pool_annotation.value)
            path, how = view.pool_annotation.path, "names"
        else:
            continue
        if pool is None:
            continue
        compatible = ss.compatible(pool, view)
        if compatible is False:
            yield Finding(
                f"{title(view.item)} {how} pool {pool.name!r}, but "
                f"{ss.why_incompatible(pool, view)}",
                view.item,
                path,
                related=(
                    Rel("serviceAllocation defined here", pool, ("spec", "serviceAllocation")),
                ),
            )
            continue
        why = None if view.requests else missing_family(ss, pool, view)
        if why is not None:
            yield Finding(
                f"{title(view.item)} names pool {pool.name!r}, but {why}",
                view.item,
                path,
                related=(Rel("addresses defined here", pool, ("spec", "addresses")),),
            )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
