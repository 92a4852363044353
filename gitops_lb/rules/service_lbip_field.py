"""A Service requests its address with the deprecated `spec.loadBalancerIP`.

Kubernetes deprecated `spec.loadBalancerIP` in 1.24: its meaning was never specified for
dual-stack Services and each implementation reads it its own way. MetalLB reads it still, but
its documented way to request addresses is the `loadBalancerIPs` annotation
(`metallb.io/loadBalancerIPs` from v0.14.9, `metallb.universe.tf/loadBalancerIPs` before),
which also takes one address of each family for a dual-stack Service. Move the address to the
annotation; `gitops-lb fix` does it when no annotation of that name is already written with
another value. Reported only when the field is the Service's only request (with the annotation
too, see `service-lbip-and-annotation`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import LB_IPS, services_of
from gitops_lb.rules._base import MANIFESTS_ONLY, Rule
from gitops_lb.words import title

ID = "service-lbip-field"
FIELD = ("spec", "loadBalancerIP")


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        requests = view.requests
        if len(requests) != 1 or requests[0].path != FIELD:
            continue
        key = f"{view.prefixes[0]}/{LB_IPS}"
        yield Finding(
            f"{title(view.item)} requests {requests[0].text!r} with spec.loadBalancerIP, "
            f"deprecated by Kubernetes; use the {key} annotation",
            view.item,
            FIELD,
            key=True,
        )


# site specs write a Service's addresses as `ips:`, which compile turns into the annotation
RULE = Rule(ID, Severity.WARNING, "service", __doc__ or "", check, applies=MANIFESTS_ONLY)
