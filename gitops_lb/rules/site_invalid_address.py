"""An address in the site description (network, gateway, reserved entry, node, CIDRs) is invalid.

The site's own addresses are what pools are checked against: a network `cidr`, its `gateway`
(which must lie inside the network), its `reserved` entries (an address, a CIDR or a
`start-end` range), the clusters' `clusterCIDRs` and `serviceCIDRs`, and node interface
addresses (`ip` or `ip/prefix`, inside the interface's network when it names one). An entry
that cannot be parsed, or that contradicts its network, would make those checks blind, so it is
reported here. So is an IPv4 address written in IPv4-mapped IPv6 notation (`::ffff:a.b.c.d`):
it means the IPv4 address, with a 128-bit prefix length, so write the plain IPv4 form the
message gives. Pool addresses and Service IPs are checked by the MetalLB rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.ipnet import parse_cidr
from gitops_lb.metallb.mapped import plain_form
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import address_net, facts, ip_value, one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.diagnostics import FieldPath
    from gitops_lb.site.target import ClusterTarget

ID = "site-invalid-address"


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        yield from check_site(target)


def mapped(what: str, text: str, item: Item[Any], path: FieldPath) -> Iterator[Finding]:
    plain = plain_form(text)
    if plain is not None:
        yield Finding(
            f"{what} {text!r} uses IPv4-mapped IPv6 notation; write {plain!r}", item, path
        )


def check_site(target: ClusterTarget) -> Iterator[Finding]:
    item = site_item(target)
    sf = facts(target.site)
    for info in sf.networks:
        network = info.network
        where = f"network {network.name!r}:"
        if info.net is None:
            yield Finding(
                f"network {network.name!r}: invalid CIDR {network.cidr!r}",
                item,
                (*info.path, "cidr"),
            )
        else:
            yield from mapped(f"{where} cidr", network.cidr, item, (*info.path, "cidr"))
        if network.gateway is not None:
            gw = ip_value(network.gateway)
            if gw is None or "/" in network.gateway:
                yield Finding(
                    f"network {network.name!r}: invalid gateway address {network.gateway!r}",
                    item,
                    (*info.path, "gateway"),
                )
            elif info.net is not None and not info.net.contains(*gw):
                yield Finding(
                    f"network {network.name!r}: gateway {network.gateway} is outside "
                    f"{network.cidr}",
                    item,
                    (*info.path, "gateway"),
                )
            else:
                yield from mapped(
                    f"{where} gateway", network.gateway, item, (*info.path, "gateway")
                )
        for j, text in enumerate(network.reserved):
            if address_net(text) is None:
                yield Finding(
                    f"network {network.name!r}: invalid reserved entry {text!r} "
                    "(an address, a CIDR or a start-end range)",
                    item,
                    (*info.path, "reserved", j),
                )
            else:
                yield from mapped(
                    f"{where} reserved entry", text, item, (*info.path, "reserved", j)
                )
    for ci, cluster in enumerate(target.site.spec.clusters):
        for key in ("clusterCIDRs", "serviceCIDRs"):
            for j, text in enumerate(getattr(cluster, key)):
                path: FieldPath = ("spec", "clusters", ci, key, j)
                if parse_cidr(text) is None:
                    yield Finding(
                        f"cluster {cluster.name!r}: invalid CIDR {text!r} in {key}", item, path
                    )
                else:
                    yield from mapped(f"cluster {cluster.name!r}: {key} entry", text, item, path)
    yield from check_interfaces(target, item)


def check_interfaces(target: ClusterTarget, item: Item[Any]) -> Iterator[Finding]:
    for info in facts(target.site).interfaces:
        text = info.iface.address
        if text is None:
            continue
        path = (*info.path, info.index, "address")
        what = f"address {text!r} of interface {info.iface.name!r} on node {info.node.name!r}"
        if info.ip is None or ("/" in text and parse_cidr(text) is None):
            yield Finding(f"{what} is not an IP address (or ip/prefix)", item, path)
            continue
        net = info.network.net if info.network is not None else None
        if net is not None and info.iface.network is not None and not net.contains(*info.ip):
            yield Finding(
                f"{what} is outside its network {info.iface.network!r} ({net})", item, path
            )
        yield from mapped(
            f"interface {info.iface.name!r} on node {info.node.name!r}: address", text, item, path
        )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
