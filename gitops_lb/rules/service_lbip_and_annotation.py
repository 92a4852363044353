"""A Service sets both spec.loadBalancerIP and the loadBalancerIPs annotation.

MetalLB refuses such a Service outright ("service can not have both ..."): it gets no address
at all, whatever the two values are. Keep only the `metallb.io/loadBalancerIPs` annotation (it
also takes two addresses for dual stack; `spec.loadBalancerIP` is deprecated by Kubernetes).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "service-lbip-and-annotation"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        if len(view.requests) < 2:
            continue
        ann, field = view.requests
        yield Finding(
            f"{title(view.item)} sets both {ann.label} {ann.text!r} and {field.label} "
            f"{field.text!r}; MetalLB then assigns no address: keep only the annotation",
            view.item,
            ann.path,
            related=(Rel("spec.loadBalancerIP set here", view.item, field.path),),
        )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
