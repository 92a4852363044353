"""Pools of two clusters overlap (clusters that share no known network).

Overlapping pools on clusters that do not share an L2 segment do not fight over ARP, but the
same address is then routed to two places: through BGP both clusters announce it, and anything
that reaches it by routing reaches one of them only. It is usually a copy-paste mistake between
sites or clusters. All site spec files given to `validate` are compared with each other.
Overlaps between clusters that share a network are reported by
site-pool-overlap-shared-network (an error) instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.overlap import overlap_findings, overlaps_across

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

ID = "site-pool-overlap"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    return overlap_findings(targets, shared=False)


def check_across(summaries: Sequence[SiteSummary]) -> Iterator[Finding]:
    """Clusters of two different sites (which never share a network)."""
    return (o.finding() for o in overlaps_across([b for s in summaries for b in s.blocks]))


RULE = Rule(
    ID,
    Severity.WARNING,
    "site",
    __doc__ or "",
    check_sites=check_sites,
    applies=SITES_ONLY,
    check_across=check_across,
)
