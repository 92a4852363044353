"""A CIDR of the site description is written with host bits set (`10.11.0.5/24`).

A CIDR names a block by its first address: `10.11.0.5/24` means 10.11.0.0/24, and every check
reads it that way, but the text suggests something else was meant (a node's address pasted
where the network goes, or the wrong prefix length). The message gives the block the CIDR
stands for. Checked: a network's `cidr`, the CIDR entries of its `reserved` list, and a
cluster's `clusterCIDRs` and `serviceCIDRs`. A node interface's `ip/prefix` is an address, so
its host bits are expected and not reported. A CIDR that does not parse, or that is written in
IPv4-mapped IPv6 notation, is reported by site-invalid-address instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import facts, host_bits, one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.diagnostics import FieldPath
    from gitops_lb.site.target import ClusterTarget

ID = "site-cidr-host-bits"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        item = site_item(target)
        for info in facts(target.site).networks:
            where = f"of network {info.network.name!r}"
            yield from _one(f"cidr {{}} {where}", info.network.cidr, item, (*info.path, "cidr"))
            for j, text in enumerate(info.network.reserved):
                if "/" in text and "-" not in text:
                    what = f"reserved entry {{}} {where}"
                    yield from _one(what, text, item, (*info.path, "reserved", j))
        for ci, cluster in enumerate(target.site.spec.clusters):
            for key in ("clusterCIDRs", "serviceCIDRs"):
                for j, text in enumerate(getattr(cluster, key)):
                    what = f"{key} entry {{}} of cluster {cluster.name!r}"
                    yield from _one(what, text, item, ("spec", "clusters", ci, key, j))


def _one(what: str, text: str, item: Item[Any], path: FieldPath) -> Iterator[Finding]:
    meant = host_bits(text)
    if meant is not None:
        yield Finding(f"{what.format(text)} has host bits set; did you mean {meant}?", item, path)


RULE = Rule(
    ID, Severity.WARNING, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY
)
