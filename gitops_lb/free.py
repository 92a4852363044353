"""Free address space in the networks of the site specs (`gitops-lb free`).

An address of a network is taken when anything of any site spec given holds it: a pool of any
cluster, a reservation (`networks[].reserved` of any network), a gateway, a node interface
address, an address a Service asks for (`services[].ips`), a cluster's clusterCIDRs and
serviceCIDRs. The network address and, for IPv4, the broadcast address are taken too (not for
a /31 or /32, RFC 3021); in IPv6 there is no broadcast, but the first address of the network is
its subnet-router anycast address (RFC 4291 2.6.1), which routers answer: it is taken as well.

The free space is the network minus what is taken (netaddr IPSet). Blocks of one prefix length
are listed lazily, lowest first, so that the /120s of a /64 are never enumerated past the
number asked for; their total is computed, not counted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from netaddr import IPAddress, IPNetwork, IPRange, IPSet

from gitops_lb.errors import UsageError
from gitops_lb.metallb.ipnet import parse_entry, parse_ip
from gitops_lb.site.models import Site

DEFAULT_COUNT = 20


def width(version: int) -> int:
    return 32 if version == 4 else 128


@dataclass(frozen=True, slots=True)
class SiteNetwork:
    """One network of one site, parsed."""

    site: str
    name: str
    cidr: IPNetwork

    @property
    def id(self) -> str:
        return f"{self.site}/{self.name}"


@dataclass(slots=True)
class FreeSpace:
    """The free part of one network."""

    network: SiteNetwork
    free: IPSet
    taken: IPSet = field(default_factory=IPSet)

    def ranges(self) -> list[IPRange]:
        return list(self.free.iter_ipranges())

    def addresses(self) -> int:
        return int(self.free.size)

    def blocks(self, prefixlen: int) -> Iterator[IPNetwork]:
        """The aligned /prefixlen blocks wholly free, lowest first, one at a time."""
        for cidr in self._cidrs():
            if cidr.prefixlen > prefixlen:
                continue
            step = 1 << (width(cidr.version) - prefixlen)
            first = int(cidr.first)
            for i in range(1 << (prefixlen - cidr.prefixlen)):
                yield IPNetwork((first + i * step, prefixlen), version=cidr.version)

    def block_count(self, prefixlen: int) -> int:
        """How many blocks blocks(prefixlen) yields, without enumerating them."""
        return sum(
            1 << (prefixlen - c.prefixlen) for c in self._cidrs() if c.prefixlen <= prefixlen
        )

    def _cidrs(self) -> Iterator[IPNetwork]:
        # each free range split into its largest aligned blocks: an aligned block inside the
        # range lies inside exactly one of them
        for r in self.free.iter_ipranges():
            yield from r.cidrs()


def _set_of(text: str) -> IPSet:
    """An IP, a CIDR or a `start-end` range, as MetalLB reads pool entries; empty when it does
    not parse (validation reports it)."""
    text = text.strip()
    if "/" not in text and "-" not in text:
        ip = parse_ip(text)
        return IPSet([IPAddress(str(ip))]) if ip is not None else IPSet()
    entry = parse_entry(text)
    out = IPSet()
    for net in entry.nets:
        if net.family == 4:
            out.add(IPRange(IPAddress(net.first, 4), IPAddress(net.last, 4)))
        else:
            out.add(IPRange(IPAddress(net.first, 6), IPAddress(net.last, 6)))
    return out


def _address_set(text: str | None) -> IPSet:
    """A node's address `ip` or `ip/prefix`, or a gateway: the one IP."""
    if not text:
        return IPSet()
    return _set_of(text.partition("/")[0])


def networks(sites: Sequence[Site]) -> list[SiteNetwork]:
    """Every network of the sites whose CIDR parses, in site then spec order."""
    out = []
    seen = set()
    for site in sites:
        for net in site.spec.networks:
            key = (site.metadata.name, net.name)
            if key in seen:
                continue
            seen.add(key)
            try:
                cidr = IPNetwork(net.cidr).cidr
            except (ValueError, TypeError):
                continue  # validation reports it
            out.append(SiteNetwork(site.metadata.name, net.name, cidr))
    return out


def sites_of(sites: Sequence[Site]) -> list[Site]:
    """The sites, once each (the first of a name), by name."""
    found: dict[str, Site] = {}
    for site in sites:
        found.setdefault(site.metadata.name, site)
    return [found[k] for k in sorted(found)]


def taken(sites: Sequence[Site]) -> IPSet:
    """Everything any site spec holds (see the module text), both families."""
    out = IPSet()
    for site in sites:
        for net in site.spec.networks:
            out |= _address_set(net.gateway)
            for entry in net.reserved:
                out |= _set_of(entry)
        for cluster in site.spec.clusters:
            for pool in cluster.pools:
                for entry in pool.addresses:
                    out |= _set_of(entry)
            for node in cluster.nodes:
                for iface in node.interfaces:
                    out |= _address_set(iface.address)
            for svc in cluster.services:
                for ip in svc.ips:
                    out |= _set_of(ip)
            for cidr in (*cluster.clusterCIDRs, *cluster.serviceCIDRs):
                out |= _set_of(cidr)
    return out


def edges(cidr: IPNetwork) -> IPSet:
    """The network's own addresses: network and broadcast (IPv4, shorter than /31), the
    subnet-router anycast address (IPv6, shorter than /127; RFC 6164 point-to-point links)."""
    if cidr.version == 4:
        if cidr.prefixlen >= 31:
            return IPSet()
        return IPSet([IPAddress(cidr.first, 4), IPAddress(cidr.last, 4)])
    if cidr.prefixlen >= 127:
        return IPSet()
    return IPSet([IPAddress(cidr.first, 6)])


def free_space(network: SiteNetwork, used: IPSet) -> FreeSpace:
    whole = IPSet([network.cidr])
    held = (used & whole) | edges(network.cidr)
    return FreeSpace(network, whole - held, held)


def pick_network(known: Sequence[SiteNetwork], wanted: str) -> SiteNetwork:
    """The network named NAME (unique across the sites) or SITE/NAME; a usage error naming the
    known ones otherwise."""
    found = [n for n in known if wanted in (n.id, n.name)]
    if len(found) == 1:
        return found[0]
    names = ", ".join(n.id for n in known) or "none"
    if found:
        raise UsageError(f"network {wanted!r} is ambiguous: name it SITE/NAME (networks: {names})")
    raise UsageError(f"no network {wanted!r} in the site specs (networks: {names})")


def check_size(network: SiteNetwork, prefixlen: int) -> None:
    top = width(network.cidr.version)
    if not network.cidr.prefixlen <= prefixlen <= top:
        raise UsageError(
            f"--size {prefixlen} does not fit network {network.id} ({network.cidr}): give a "
            f"prefix length from {network.cidr.prefixlen} to {top}"
        )


def first_blocks(space: FreeSpace, prefixlen: int, count: int) -> list[str]:
    return [str(b) for b in islice(space.blocks(prefixlen), count)]


def range_text(r: IPRange) -> str:
    """One address as itself, `a.b.c.d/n` when the range is one aligned block, else
    `first-last`."""
    if r.size == 1:
        return str(r[0])
    cidrs = r.cidrs()
    if len(cidrs) == 1:
        return str(cidrs[0])
    return f"{r[0]}-{r[-1]}"
