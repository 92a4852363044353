"""What the site rules derive from a site spec: parsed networks, interfaces, node addresses.

Every function tolerates invalid input (site-invalid-address reports it) by leaving the
unparsable part out. Paths are relative to the site document, for findings on `site_item`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from gitops_lb.config import Item
from gitops_lb.diagnostics import FieldPath
from gitops_lb.memo import per_object
from gitops_lb.metallb.ipnet import (
    Net,
    family_value,
    is_mapped,
    parse_cidr,
    parse_entry,
    parse_ip,
)

if TYPE_CHECKING:
    from gitops_lb.site.models import Interface, Network, Node, Site, SiteSpec
    from gitops_lb.site.target import ClusterTarget


def site_item(target: ClusterTarget) -> Item[Site]:
    """The site document as an Item, for findings on site fields (networks, inventory...)."""
    site, doc = target.site, target.site_doc
    return Item(
        site,
        "Site",
        site.metadata.name,
        None,
        target.file,
        doc,
        unsure=target.site_unsure,
        partial=target.site_partial,
    )


def one_per_site(targets: Iterable[ClusterTarget]) -> Iterator[ClusterTarget]:
    """The first cluster of each site document: for checks of the site's own fields."""
    seen: set[int] = set()
    for target in targets:
        if id(target.site_doc) not in seen:
            seen.add(id(target.site_doc))
            yield target


def ip_value(text: str | None) -> tuple[int, int] | None:
    """(family, integer) of an address written `ip` or `ip/prefix`."""
    if not text:
        return None
    ip = parse_ip(text.partition("/")[0])
    return family_value(ip) if ip is not None else None


def address_net(text: str) -> Net | None:
    """An address-or-range entry (reserved list): an IP, a CIDR or a `start-end` range."""
    if "/" not in text and "-" not in text:
        value = ip_value(text)
        if value is None:
            return None
        return Net(value[0], value[1], value[1], 32 if value[0] == 4 else 128)
    entry = parse_entry(text)
    if entry.error or not entry.nets:
        return None
    nets = entry.nets
    return Net(nets[0].family, nets[0].first, nets[-1].last, nets[0].prefixlen)


def contains(outer: Net, inner: Net) -> bool:
    return outer.family == inner.family and outer.first <= inner.first and inner.last <= outer.last


@dataclass(frozen=True, slots=True)
class NetworkInfo:
    index: int
    network: Network
    net: Net | None

    @property
    def path(self) -> FieldPath:
        return ("spec", "networks", self.index)


@dataclass(frozen=True, slots=True)
class InterfaceInfo:
    """One inventory interface of a node, with the network it is on (when known)."""

    cluster_index: int
    node_index: int
    index: int
    node: Node
    iface: Interface
    network: NetworkInfo | None  # declared network (by name, or the one holding its address)
    net: Net | None  # the subnet it is on: its network's CIDR, else the address's /prefix
    ip: tuple[int, int] | None

    @property
    def path(self) -> FieldPath:
        return ("spec", "clusters", self.cluster_index, "nodes", self.node_index, "interfaces")


class SiteFacts:
    """Parsed view of one site (networks, every node interface of every cluster).

    Kept by `facts` while its Site lives, it holds the site's spec, not the Site itself (see
    gitops_lb.memo)."""

    def __init__(self, spec: SiteSpec) -> None:
        self.spec = spec

    @cached_property
    def networks(self) -> list[NetworkInfo]:
        return [NetworkInfo(i, n, parse_cidr(n.cidr)) for i, n in enumerate(self.spec.networks)]

    @cached_property
    def network_by_name(self) -> dict[str, NetworkInfo]:
        out: dict[str, NetworkInfo] = {}
        for info in self.networks:
            out.setdefault(info.network.name, info)
        return out

    def network_holding(self, net: Net) -> NetworkInfo | None:
        for info in self.networks:
            if info.net is not None and contains(info.net, net):
                return info
        return None

    def network_families(self) -> set[int]:
        return {info.net.family for info in self.networks if info.net is not None}

    @cached_property
    def interfaces(self) -> list[InterfaceInfo]:
        out: list[InterfaceInfo] = []
        for ci, cluster in enumerate(self.spec.clusters):
            for ni, node in enumerate(cluster.nodes):
                for ii, iface in enumerate(node.interfaces):
                    out.append(self._interface(ci, ni, ii, node, iface))
        return out

    def _interface(self, ci: int, ni: int, ii: int, node: Node, iface: Interface) -> InterfaceInfo:
        ip = ip_value(iface.address)
        network: NetworkInfo | None = None
        if iface.network is not None:
            network = self.network_by_name.get(iface.network)
        elif ip is not None:
            network = self.network_holding(Net(ip[0], ip[1], ip[1], 0))
        net = network.net if network is not None else None
        if net is None and iface.address and "/" in iface.address:
            net = parse_cidr(iface.address)
        return InterfaceInfo(ci, ni, ii, node, iface, network, net, ip)

    def cluster_interfaces(self, cluster_index: int) -> list[InterfaceInfo]:
        return [i for i in self.interfaces if i.cluster_index == cluster_index]


@per_object
def facts(site: Site) -> SiteFacts:
    """SiteFacts of a site, computed once per Site object (all its clusters share it)."""
    return SiteFacts(site.spec)


def cluster_index(target: ClusterTarget) -> int:
    index = target.cluster_path[-1]
    assert isinstance(index, int)
    return index


def inventory_nodes(target: ClusterTarget) -> dict[str, Node]:
    """Inventory nodes of a lowered cluster by name (first wins)."""
    out: dict[str, Node] = {}
    for node in target.cluster.nodes:
        out.setdefault(node.name, node)
    return out


def interface_family(info: InterfaceInfo) -> int | None:
    """The address family of an inventory interface entry: that of its address, else that of
    its network; None when neither is known."""
    if info.ip is not None:
        return info.ip[0]
    if info.network is not None and info.network.net is not None:
        return info.network.net.family
    return None


def host_bits(text: str) -> Net | None:
    """The network a CIDR with host bits set means (`10.11.0.5/24` -> 10.11.0.0/24); None for
    a CIDR without host bits, one that does not parse, or one in IPv4-mapped notation."""
    net = parse_cidr(text)
    ip = parse_ip(text.partition("/")[0])
    if net is None or ip is None or is_mapped(ip):
        return None
    return net if int(ip) != net.first else None


def url_ip(url: str) -> tuple[int, int] | None:
    """(family, integer) of a URL's host when it is an IP literal (`https://10.0.0.5:6443`,
    `https://[fd00::5]:6443`); None for a host name or a URL that does not parse."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return ip_value(host) if host else None
