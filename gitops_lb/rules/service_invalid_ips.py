"""A Service requests IPs in a form MetalLB cannot parse.

The `metallb.io/loadBalancerIPs` annotation (or the deprecated `metallb.universe.tf` one) is
split on commas and each element, trimmed, must be an IP address: an empty element such as a
trailing comma is invalid. It holds one address, or two of different families (one IPv4 and
one IPv6, for a dual-stack Service). `spec.loadBalancerIP` must be exactly one address, without
spaces. MetalLB gives an unparsable Service no address at all and only says so in an event.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "service-invalid-ips"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        for request in view.requests:
            if request.error is not None:
                yield Finding(f"{title(view.item)}: {request.error}", view.item, request.path)


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
