"""The IPs a Service requests are not of the Service's IP family.

MetalLB requires the requested addresses to match the Service family exactly: one IPv4 address
for an IPv4 Service, one IPv6 address for an IPv6 Service, one of each for a dual-stack Service
(even with PreferDualStack). The family comes from spec.clusterIPs/clusterIP when written, else
from spec.ipFamilyPolicy and spec.ipFamilies (RequireDualStack, or PreferDualStack with both
families listed, means dual stack; otherwise the first listed family, IPv4 by default).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import family_name, services_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "service-ip-family-mismatch"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        request = view.desired
        if request is None or request.family is None or view.family is None:
            continue
        if request.family == view.family:
            continue
        yield Finding(
            f"{title(view.item)} is {family_name(view.family)} but requests "
            f"{family_name(request.family)} {request.shown()} in {request.label}",
            view.item,
            request.path,
        )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
