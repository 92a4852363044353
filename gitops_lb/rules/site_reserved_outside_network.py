"""An entry of a network's `reserved` list lies outside that network's `cidr`.

`reserved` lists the addresses of a network that pools must keep clear of (routers, DHCP
ranges, appliances). An entry outside the network's own `cidr`, or only partly inside it, is
almost always a typo (`192.168.11.5` in the network 192.168.10.0/24): the address that was
meant to be protected is not, and a pool may hand it out. Every reserved entry (an address, a
CIDR or a `start-end` range) must lie entirely inside the network it is listed under. Move the
entry to the network it belongs to, or correct it. Entries that do not parse are reported by
site-invalid-address.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import address_net, contains, facts, one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-reserved-outside-network"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        item = site_item(target)
        for info in facts(target.site).networks:
            net, network = info.net, info.network
            if net is None:
                continue
            for j, text in enumerate(network.reserved):
                entry = address_net(text)
                if entry is None or contains(net, entry):
                    continue
                how = "partly outside" if entry.overlaps(net) else "outside"
                yield Finding(
                    f"reserved entry {text} of network {network.name!r} is {how} its cidr "
                    f"{network.cidr}",
                    item,
                    (*info.path, "reserved", j),
                    related=(Rel(f"cidr of network {network.name!r}", item, (*info.path, "cidr")),),
                )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
