"""Pools of two clusters overlap, and the clusters share a network.

Two MetalLB installations that hand out the same address on the same L2 segment answer ARP/NDP
for it from two clusters at once: traffic goes to whichever answered last. Clusters share a
network when nodes of both have an interface on the same declared network, or when the
overlapping addresses lie inside a network the site declares. Every site spec given to
`validate` is compared, so overlaps across files are found. Give each cluster its own part of
the network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.overlap import overlap_findings

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-pool-overlap-shared-network"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    return overlap_findings(targets, shared=True)


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
