"""The pool a Service asks for does not admit it (serviceAllocation).

A pool with `spec.serviceAllocation` serves only Services in its `namespaces` or in Namespaces
its `namespaceSelectors` match, and, if it has `serviceSelectors`, only Services whose labels
match one of them. MetalLB applies this also to explicit requests: a Service naming the pool in
its address-pool annotation, or requesting an address that lies in it, stays pending ("pool ...
not compatible for ip assignment"). Move the Service, extend the serviceAllocation, or use
another pool. When the Service has no namespace, or a namespaceSelector needs a Namespace object
that is not in the input, the rule does not guess.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import services_of
from gitops_lb.rules._base import Rule

ID = "service-pool-incompatible"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    ss = services_of(cfg)
    for view in ss.views:
        if view.requests:
            if view.desired is None:
                continue
            pool = ss.index.pool_for(view.desired.ips)
            path, how = view.desired.path, f"requests {view.desired.shown()} from"
        elif view.pool_annotation is not None:
            pool = cfg.sem.pools_by_name.get(view.pool_annotation.value)
            path, how = view.pool_annotation.path, "names"
        else:
            continue
        if pool is None or ss.compatible(pool, view) is not False:
            continue
        yield Finding(
            f"Service {view.ref} {how} pool {pool.name!r}, but {ss.why_incompatible(pool, view)}",
            view.item,
            path,
            related=(Rel("serviceAllocation defined here", pool, ("spec", "serviceAllocation")),),
        )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
