"""An inventory interface names a network the site does not declare.

`interfaces[].network` must be the name of one of the site's `networks`. A misspelt name cuts
the interface off from every check that needs its subnet (pools on the node's network, pools
clear of node addresses, overlaps between clusters sharing a segment). Declare the network
under `spec.networks` or fix the name.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.intake import did_you_mean
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import cluster_index, facts, site_item
from gitops_lb.site.target import NETWORK, ClusterTarget

ID = "site-unknown-network"


def check(target: ClusterTarget) -> Iterator[Finding]:
    sf = facts(target.site)
    names = list(sf.network_by_name)
    for info in sf.cluster_interfaces(cluster_index(target)):
        wanted = info.iface.network
        if (
            wanted is None
            or wanted in sf.network_by_name
            or target.config.may_exist(NETWORK, wanted)
        ):
            continue
        hint = did_you_mean(wanted, names)
        yield Finding(
            f"interface {info.iface.name!r} of node {info.node.name!r} is on network "
            f"{wanted!r}, which the site does not declare"
            + (f"; did you mean {hint!r}?" if hint else ""),
            site_item(target),
            (*info.path, info.index, "network"),
        )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
