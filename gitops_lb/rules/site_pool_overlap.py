"""Pools of two clusters overlap (clusters that share no known network).

Overlapping pools on clusters that do not share an L2 segment do not fight over ARP, but the
same address is then routed to two places: through BGP both clusters announce it, and anything
that reaches it by routing reaches one of them only. It is usually a copy-paste mistake between
sites or clusters. All site spec files given to `validate` are compared with each other.
Overlaps between clusters that share a network are reported by
site-pool-overlap-shared-network (an error) instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, no_check
from gitops_lb.site.overlap import Overlap, overlaps, overlaps_across

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

ID = "site-pool-overlap"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    return findings(o for o in overlaps(targets) if o.shared is None)


def check_across(summaries: Sequence[SiteSummary]) -> Iterator[Finding]:
    return findings(overlaps_across([b for s in summaries for b in s.blocks]))


def findings(found: Iterable[Overlap]) -> Iterator[Finding]:
    for o in found:
        e = o.earlier
        yield Finding(
            o.message(),
            o.later.pool,
            ("spec", "addresses", o.later.entry),
            related=(
                Rel(f"pool {e.pool.name!r} of {e.cluster}", e.pool, ("spec", "addresses", e.entry)),
            ),
        )


RULE = Rule(
    ID,
    Severity.WARNING,
    "site",
    __doc__ or "",
    no_check,
    check_sites=check_sites,
    check_across=check_across,
)
