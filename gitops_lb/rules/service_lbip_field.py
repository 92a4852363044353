"""A Service requests its address with the deprecated `spec.loadBalancerIP`.

Kubernetes deprecated `spec.loadBalancerIP` in 1.24: its meaning was never specified for
dual-stack Services and each implementation reads it its own way. MetalLB reads it still, but
its documented way to request addresses is the `loadBalancerIPs` annotation
(`metallb.io/loadBalancerIPs` from v0.14.9, `metallb.universe.tf/loadBalancerIPs` before),
which also takes one address of each family for a dual-stack Service. Move the address to the
annotation; `gitops-lb fix` does it when no annotation of that name is already written with
another value. Reported only when the field is the Service's only request (with the annotation
too, see `service-lbip-and-annotation`), and once the request is otherwise right: while another
rule reports the field (an invalid address, one outside every pool, a family the Service does
not have...), that finding comes first.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import LB_IPS, services_of
from gitops_lb.rules import all_rules  # loaded: the registry imports rules when called
from gitops_lb.rules._base import MANIFESTS_ONLY, Input, Rule
from gitops_lb.words import title

ID = "service-lbip-field"
FIELD = ("spec", "loadBalancerIP")


# the rules that report a Service's requested addresses where they are written
ABOUT_THE_ADDRESS = (
    "service-invalid-ips",
    "service-ipv4-mapped",
    "service-ip-family-mismatch",
    "service-ip-outside-pool",
    "service-ip-sharing",
    "service-pool-incompatible",
    "pool-exhausted",
)


def reported_elsewhere(cfg: ClusterConfig) -> set[int]:
    """The Services (by id of their item) whose spec.loadBalancerIP another rule reports."""
    out: set[int] = set()
    for rule_id in ABOUT_THE_ADDRESS:
        rule = all_rules()[rule_id]
        if not rule.applies.covers(Input.MANIFESTS, cfg.bgp_mode, (), cfg.metallb_version):
            continue
        for finding in rule.check(cfg):
            if finding.item is not None and finding.path[: len(FIELD)] == FIELD:
                out.add(id(finding.item))
    return out


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    lone = [
        view
        for view in services_of(cfg).views
        if len(view.requests) == 1 and view.requests[0].path == FIELD
    ]
    skip = reported_elsewhere(cfg) if lone else set()
    for view in lone:
        requests = view.requests
        if id(view.item) in skip:
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
