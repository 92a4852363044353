"""Generate a realistic fleet, deterministically: site specs and the same fleet as manifests.

    python -m benchmarks.fleet OUT [--sites 10] [--clusters 10] [--pools 50] [--services 200]
                                   [--nodes 6] [--seed 1] [--overlaps] [--selectors]

writes OUT/sites/<site>.yaml (one site spec per file) and OUT/manifests/<site>/<cluster>/*.yaml
(the MetalLB objects, Services and Nodes that site spec describes, as Kubernetes manifests).

Each site has four dual-stack L2 segments shared by its clusters (each cluster sits on two of
them, neighbours share one), a node inventory with an interface on both, L2 pools cut from those
segments (shorthand advertisements, plus a full-form one selecting pools by label), BGP pools
from a routed block announced to two peers with a BFD profile, dual-stack pools, and Services:
automatic and requested addresses, shared IPs, reservations (`emit: false`), Local traffic
policy, namespace-restricted pools. With `--overlaps` every pool also takes a block of its
neighbour, so the fleet carries thousands of overlap findings. With `--selectors` the fleet
leans on label selectors the way large clusters do: every pool is announced by a full-form
advertisement selecting it by its labels (matchLabels for L2, an In expression for BGP), every
Service carries its own app label and its team, the namespace-restricted pools also select
Services by team, and the BGP peers select their nodes.

Site s with the same seed is the same whatever --sites says, so a fleet twice as large contains
the smaller one.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

NAMESPACE = "metallb-system"
SEGMENTS = 4  # L2 segments per site
TEAMS = ("payments", "search", "web", "data", "ops")
SPEAKER = "lb.example.com/speaker"
POOL_LABEL = "lb.example.com/pool"
APP = "app.kubernetes.io/name"
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
HEAD = 32  # per segment: network address, gateway, peers and reserved range come first
V4_L2_BASE = int(ipaddress.IPv4Address("10.0.0.0"))
V4_BGP_BASE = int(ipaddress.IPv4Address("100.64.0.0"))
V6_BASE = int(ipaddress.IPv6Address("fd00::"))


@dataclass(frozen=True)
class Params:
    sites: int = 10
    clusters: int = 10  # per site
    pools: int = 50  # per cluster
    services: int = 200  # per cluster
    nodes: int = 6  # per cluster
    seed: int = 1
    overlaps: bool = False
    selectors: bool = False


def v4(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


def v6(value: int) -> str:
    return str(ipaddress.IPv6Address(value))


def pow2(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


@dataclass
class Segment:
    name: str
    first: int  # IPv4 network address
    size: int
    v6first: int  # the segment's IPv6 /64
    nodes_next: int = 0
    pools_next: int = 0

    def node_address(self) -> tuple[str, str]:
        i = self.nodes_next
        self.nodes_next += 1
        return v4(self.first + HEAD + i), v6(self.v6first + 0x100 + i)


@dataclass
class PoolPlan:
    name: str
    index: int
    kind: str  # "l2" or "bgp"
    v4first: int
    block: int
    v6first: int | None
    segment: int  # 0 or 1: which of the cluster's two segments (L2 pools)
    addresses: list[str] = field(default_factory=list)
    taken: int = 0  # addresses handed to Services that request one

    def request(self) -> tuple[str, str | None]:
        """An address for a Service that asks for one: counted down from the top."""
        self.taken += 1
        ip4 = v4(self.v4first + self.block - 1 - self.taken)
        ip6 = v6(self.v6first + 0x10 - 1 - self.taken) if self.v6first is not None else None
        return ip4, ip6


class Allocator:
    """Aligned IPv4 blocks from a cursor (sizes are powers of two)."""

    def __init__(self, base: int) -> None:
        self.cursor = base

    def take(self, size: int) -> int:
        start = -(-self.cursor // size) * size
        self.cursor = start + size
        return start


class Fleet:
    def __init__(self, p: Params) -> None:
        self.p = p
        self.services_per_pool = -(-p.services // max(1, p.pools))
        self.block = max(16, pow2(2 * self.services_per_pool + 4))
        kinds = [pool_kind(i) for i in range(p.pools)]
        self.l2_pools = sum(1 for k in kinds if k == "l2")
        self.bgp_pools = p.pools - self.l2_pools
        # a segment carries side 0 of every fourth cluster and side 1 of the one before
        self.pools_on_segment = -(-p.clusters // SEGMENTS) * self.l2_pools
        head = HEAD + p.clusters * p.nodes
        self.pool_start = -(-head // self.block) * self.block
        self.segment_size = pow2(self.pool_start + (self.pools_on_segment + 1) * self.block)
        self.l2 = Allocator(V4_L2_BASE)
        self.bgp = Allocator(V4_BGP_BASE)

    # --- one site ---------------------------------------------------------------------------

    def site(self, s: int) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
        """The site spec and, per cluster, its manifests."""
        rng = random.Random(self.p.seed * 1_000_003 + s)
        name = f"site-{s:03d}"
        mode = "frr" if s % 2 == 0 else "frr-k8s"
        segments = [
            Segment(
                f"vlan{100 + i}",
                self.l2.take(self.segment_size),
                self.segment_size,
                V6_BASE + (s << 80) + (i << 64),
            )
            for i in range(SEGMENTS)
        ]
        bgp_v4 = self.bgp.take(pow2(self.p.clusters * (self.bgp_pools + 1) * self.block))
        networks: list[dict[str, Any]] = []
        for seg in segments:
            networks.append(
                {
                    "name": seg.name,
                    "cidr": f"{v4(seg.first)}/{32 - seg.size.bit_length() + 1}",
                    "gateway": v4(seg.first + 1),
                    "reserved": [f"{v4(seg.first + 1)}-{v4(seg.first + HEAD - 1)}"],
                }
            )
            networks.append(
                {
                    "name": f"{seg.name}-v6",
                    "cidr": f"{v6(seg.v6first)}/64",
                    "gateway": v6(seg.v6first + 1),
                }
            )
        clusters: list[dict[str, Any]] = []
        manifests: dict[str, list[dict[str, Any]]] = {}
        for c in range(self.p.clusters):
            attached = (segments[c % SEGMENTS], segments[(c + 1) % SEGMENTS])
            spec, objs = self.cluster(s, c, attached, bgp_v4, rng)
            clusters.append(spec)
            manifests[spec["name"]] = objs
        site = {
            "apiVersion": "gitops-lb.io/v1alpha1",
            "kind": "Site",
            "metadata": {"name": name},
            "spec": {
                "platform": "acp" if s % 3 else "metallb",
                "bgpMode": mode,
                "metallb": {"namespace": NAMESPACE, "annotationPrefix": "metallb.io"},
                "argocd": {
                    "namespace": "argocd",
                    "project": "network",
                    "repoURL": "https://git.example.com/platform/lb.git",
                    "targetRevision": "main",
                    "path": "deploy",
                },
                "networks": networks,
                "clusters": clusters,
            },
        }
        return site, manifests

    # --- one cluster --------------------------------------------------------------------------

    def cluster(
        self,
        s: int,
        c: int,
        attached: tuple[Segment, Segment],
        bgp_v4: int,
        rng: random.Random,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        cname = f"c{c:03d}"
        nodes = self.nodes(cname, attached, rng)
        pools = self.plan_pools(s, c, attached, bgp_v4)
        peers = [
            {
                "name": peer,
                "myASN": 64512 + s % 1000,
                "peerASN": 65000 + i,
                "peerAddress": v4(attached[0].first + 2 + i),
                "bfdProfile": "fast",
            }
            for i, peer in enumerate(("tor-a", "tor-b"))
        ]
        if self.p.selectors:  # peers pick their nodes by label
            for peer in peers:
                peer["nodeSelectors"] = [{"matchLabels": {SPEAKER: "true"}}]
        pool_specs = [self.pool_spec(pl, rng) for pl in pools]
        l2_full, bgp_full = selecting_advertisements(pool_specs) if self.p.selectors else ([], [])
        shared_l2 = {
            "name": "shared-l2",
            "ipAddressPoolSelectors": [{"matchLabels": {"tier": "shared"}}],
            "nodeSelectors": [{"matchLabels": {SPEAKER: "true"}}],
            "interfaces": ["eth1", "eth2"],
        }
        communities = [
            {"name": "well-known", "communities": [{"name": "no-export", "value": "65535:65281"}]}
        ]
        bfd = [
            {"name": "fast", "receiveInterval": 300, "transmitInterval": 300, "detectMultiplier": 3}
        ]
        services = self.services(pools, rng)
        spec: dict[str, Any] = {
            "name": cname,
            "server": f"https://172.31.{s % 256}.{c % 256}:6443",
            "clusterCIDRs": ["172.20.0.0/16"],
            "serviceCIDRs": ["172.21.0.0/16"],
            "nodes": nodes,
            "pools": pool_specs,
            "bgpPeers": peers,
            "l2Advertisements": ([shared_l2] if any(pl.index % 6 == 3 for pl in pools) else [])
            + l2_full,
            "communities": communities,
            "bfdProfiles": bfd,
            "services": services,
        }
        if bgp_full:
            spec["bgpAdvertisements"] = bgp_full
        return spec, manifests_of(spec)

    def nodes(
        self, cname: str, attached: tuple[Segment, Segment], rng: random.Random
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n in range(self.p.nodes):
            name = f"{cname}-node{n:02d}"
            labels = {HOSTNAME: name, ZONE: f"zone-{n % 3}"}
            if n < 2 or rng.random() < 0.5:  # at least two speakers
                labels[SPEAKER] = "true"
            interfaces: list[dict[str, Any]] = []
            for i, seg in enumerate(attached):
                a4, a6 = seg.node_address()
                interfaces.append({"name": f"eth{i + 1}", "network": seg.name, "address": a4})
                interfaces.append(
                    {"name": f"eth{i + 1}", "network": f"{seg.name}-v6", "address": a6}
                )
            out.append({"name": name, "labels": labels, "interfaces": interfaces})
        return out

    def plan_pools(
        self, s: int, c: int, attached: tuple[Segment, Segment], bgp_v4: int
    ) -> list[PoolPlan]:
        p = self.p
        out: list[PoolPlan] = []
        bgp_i = 0
        for i in range(p.pools):
            kind = pool_kind(i)
            name = f"{'l2' if kind == 'l2' else 'bgp'}-{i:03d}"
            dual = i % 4 == 1
            if kind == "l2":
                side = i % 2
                seg = attached[side]
                slot = seg.pools_next
                seg.pools_next += 1
                assert slot < self.pools_on_segment, "segment sized too small"
                first = seg.first + self.pool_start + slot * self.block
                v6first = seg.v6first + 0x10000 + slot * 0x10 if dual else None
            else:
                side = 0
                slot = c * (self.bgp_pools + 1) + bgp_i
                bgp_i += 1
                first = bgp_v4 + slot * self.block
                v6first = V6_BASE + (s << 80) + (0xFF << 64) + slot * 0x10 if dual else None
            out.append(PoolPlan(name, i, kind, first, self.block, v6first, side))
        for i, pl in enumerate(out):
            cidr = f"{v4(pl.v4first)}/{33 - pl.block.bit_length()}"
            if i % 3 == 2:  # some written as ranges
                cidr = f"{v4(pl.v4first)}-{v4(pl.v4first + pl.block - 1)}"
            pl.addresses.append(cidr)
            if pl.v6first is not None:
                pl.addresses.append(f"{v6(pl.v6first)}/124")
            if p.overlaps and i > 0:  # the neighbour's first address as well: one overlap each
                pl.addresses.append(f"{v4(out[i - 1].v4first)}/32")
        return out

    def pool_spec(self, pl: PoolPlan, rng: random.Random) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": pl.name, "addresses": list(pl.addresses)}
        if pl.index % 10 == 9:
            spec["autoAssign"] = False
        if pl.index % 7 == 3:
            spec["serviceAllocation"] = {"priority": 10, "namespaces": [team_of(pl.index)]}
            if self.p.selectors:
                spec["serviceAllocation"]["serviceSelectors"] = [
                    {"matchLabels": {"team": team_of(pl.index)}}
                ]
        if self.p.selectors:
            spec["labels"] = {POOL_LABEL: pl.name, "kind": pl.kind}
        if pl.kind == "l2":
            if pl.index % 6 == 3:  # announced by the full-form shared-l2
                spec["labels"] = {**spec.get("labels", {}), "tier": "shared"}
            else:
                l2: dict[str, Any] = {"interfaces": [f"eth{pl.segment + 1}"]}
                if rng.random() < 0.7:
                    l2 = {"nodeSelectors": [{"matchLabels": {SPEAKER: "true"}}], **l2}
                spec["l2"] = l2
        else:
            bgp: dict[str, Any] = {"peers": ["tor-a", "tor-b"]}
            if rng.random() < 0.5:
                bgp["communities"] = ["no-export"]
            spec["bgp"] = bgp
        return spec

    def services(self, pools: Sequence[PoolPlan], rng: random.Random) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        previous: dict[str, Any] | None = None
        for j in range(self.p.services):
            kind = j % 20
            pl = pools[j % len(pools)] if pools else None
            svc: dict[str, Any] = {"name": f"svc-{j:04d}"}
            port = {"name": "https", "port": 443, "targetPort": 8443}
            if pl is None or kind == 5:  # no pool named: any pool that will take it
                svc["namespace"] = TEAMS[j % len(TEAMS)]
                if pl is not None and pl.index % 7 == 3:
                    svc["namespace"] = team_of(pl.index)
            elif kind == 2 and previous is not None and "sharingKey" in previous:
                svc.update(
                    namespace=previous["namespace"],
                    pool=previous["pool"],
                    ips=list(previous["ips"]),
                    sharingKey=previous["sharingKey"],
                )
                for key in ("ipFamilyPolicy", "ipFamilies"):
                    if key in previous:
                        svc[key] = previous[key]
                port = {"name": "http", "port": 80, "targetPort": 8080}
            else:
                svc["namespace"] = team_of(pl.index)
                svc["pool"] = pl.name
                if kind in (0, 1, 3) and pl.taken < pl.block // 2 - 2:
                    ip4, ip6 = pl.request()
                    svc["ips"] = [ip4] if ip6 is None else [ip4, ip6]
                    if kind == 1:
                        svc["sharingKey"] = f"share-{j:04d}"
                    if kind == 3:
                        svc["emit"] = False
                if pl.v6first is not None:
                    svc["ipFamilyPolicy"] = (
                        "RequireDualStack" if "ips" in svc else "PreferDualStack"
                    )
                    svc["ipFamilies"] = ["IPv4", "IPv6"]
            svc["ports"] = [port]
            svc["selector"] = {"app": svc["name"]}
            if kind == 7:
                svc["externalTrafficPolicy"] = "Local"
            if rng.random() < 0.2:
                svc["labels"] = {"team": svc["namespace"]}
            if self.p.selectors:  # every Service its own app label, as Helm charts write them
                svc["labels"] = {APP: svc["name"], "team": svc["namespace"]}
            out.append(svc)
            previous = svc
        return out


def selecting_advertisements(
    pools: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pools' shorthand advertisements (taken off them) as full forms selecting the pool by
    its label: L2 by matchLabels, BGP by an In expression."""
    l2: list[dict[str, Any]] = []
    bgp: list[dict[str, Any]] = []
    for pool in pools:
        name = pool["name"]
        sel: dict[str, Any]
        if "l2" in pool:
            sel = {"matchLabels": {POOL_LABEL: name}}
            l2.append({"name": f"sel-{name}", "ipAddressPoolSelectors": [sel], **pool.pop("l2")})
        if "bgp" in pool:
            sel = {"matchExpressions": [{"key": POOL_LABEL, "operator": "In", "values": [name]}]}
            bgp.append({"name": f"sel-{name}", "ipAddressPoolSelectors": [sel], **pool.pop("bgp")})
    return l2, bgp


def pool_kind(i: int) -> str:
    return "bgp" if i % 3 == 1 else "l2"


def team_of(pool_index: int) -> str:
    return TEAMS[pool_index % len(TEAMS)]


# --- the same cluster as Kubernetes manifests ----------------------------------------------------


def meta(name: str, namespace: str | None = NAMESPACE, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if namespace is not None:
        out["namespace"] = namespace
    out.update({k: v for k, v in extra.items() if v})
    return out


def crd(
    kind: str, name: str, spec: dict[str, Any], version: str = "v1beta1", **m: Any
) -> dict[str, Any]:
    return {
        "apiVersion": f"metallb.io/{version}",
        "kind": kind,
        "metadata": meta(name, **m),
        "spec": spec,
    }


def manifests_of(cluster: dict[str, Any]) -> list[dict[str, Any]]:
    """What the site spec's cluster means in MetalLB objects, Services and Nodes."""
    out: list[dict[str, Any]] = []
    pool_keys = ("addresses", "autoAssign", "avoidBuggyIPs", "serviceAllocation")
    for pool in cluster["pools"]:
        spec = {k: pool[k] for k in pool_keys if k in pool}
        out.append(crd("IPAddressPool", pool["name"], spec, labels=pool.get("labels")))
    for pool in cluster["pools"]:
        for key, kind in (("l2", "L2Advertisement"), ("bgp", "BGPAdvertisement")):
            if key in pool:
                out.append(crd(kind, pool["name"], {"ipAddressPools": [pool["name"]], **pool[key]}))
    full = (
        ("l2Advertisements", "L2Advertisement", "v1beta1"),
        ("bgpAdvertisements", "BGPAdvertisement", "v1beta1"),
        ("bgpPeers", "BGPPeer", "v1beta2"),
        ("communities", "Community", "v1beta1"),
        ("bfdProfiles", "BFDProfile", "v1beta1"),
    )
    for key, kind, version in full:
        for item in cluster.get(key, ()):
            spec = {k: v for k, v in item.items() if k != "name"}
            out.append(crd(kind, item["name"], spec, version))
    for svc in cluster["services"]:
        out.append(service_manifest(svc, "metallb.io"))
    for node in cluster["nodes"]:
        addresses = [{"type": "InternalIP", "address": i["address"]} for i in node["interfaces"]]
        out.append(
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": meta(node["name"], None, labels=node["labels"]),
                "status": {"addresses": addresses},
            }
        )
    return out


def service_manifest(svc: dict[str, Any], prefix: str) -> dict[str, Any]:
    annotations: dict[str, str] = {}
    if "pool" in svc:
        annotations[f"{prefix}/address-pool"] = svc["pool"]
    if svc.get("ips"):
        annotations[f"{prefix}/loadBalancerIPs"] = ",".join(svc["ips"])
    if "sharingKey" in svc:
        annotations[f"{prefix}/allow-shared-ip"] = svc["sharingKey"]
    spec: dict[str, Any] = {"type": "LoadBalancer"}
    for key in ("ports", "selector", "externalTrafficPolicy", "ipFamilyPolicy", "ipFamilies"):
        if key in svc:
            spec[key] = svc[key]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(
            svc["name"], svc["namespace"], labels=svc.get("labels"), annotations=annotations
        ),
        "spec": spec,
    }


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Written:
    site_files: list[str] = field(default_factory=list)
    cluster_dirs: list[tuple[str, str]] = field(default_factory=list)  # (dir, bgp mode)
    site_bytes: int = 0
    manifest_bytes: int = 0


MANIFEST_FILES = (
    ("pools.yaml", ("IPAddressPool",)),
    ("advertisements.yaml", ("L2Advertisement", "BGPAdvertisement")),
    ("bgp.yaml", ("BGPPeer", "Community", "BFDProfile")),
    ("services.yaml", ("Service",)),
    ("nodes.yaml", ("Node",)),
)


class _PlainDumper(_Dumper):
    """Writes shared Python objects out in full, as people write YAML (no &id anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(docs: Sequence[Any], *, flow: bool | None) -> str:
    text: str = yaml.dump_all(
        docs, Dumper=_PlainDumper, sort_keys=False, default_flow_style=flow, width=120
    )
    return text


def write_fleet(p: Params, out: str) -> Written:
    fleet = Fleet(p)
    written = Written()
    os.makedirs(os.path.join(out, "sites"), exist_ok=True)
    for s in range(p.sites):
        site, manifests = fleet.site(s)
        name = site["metadata"]["name"]
        path = os.path.join(out, "sites", f"{name}.yaml")
        text = "# yaml-language-server: $schema=../../schemas/site.schema.json\n"
        text += dump([site], flow=None)
        written.site_bytes += _write(path, text)
        written.site_files.append(path)
        for cname, objs in manifests.items():
            folder = os.path.join(out, "manifests", name, cname)
            os.makedirs(folder, exist_ok=True)
            for fname, kinds in MANIFEST_FILES:
                docs = [o for o in objs if o["kind"] in kinds]
                written.manifest_bytes += _write(
                    os.path.join(folder, fname), dump(docs, flow=False)
                )
            written.cluster_dirs.append((folder, site["spec"]["bgpMode"]))
    return written


def _write(path: str, text: str) -> int:
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    d = Params()
    parser.add_argument("--sites", type=int, default=d.sites, help="sites (default %(default)s)")
    parser.add_argument(
        "--clusters", type=int, default=d.clusters, help="clusters per site (default %(default)s)"
    )
    parser.add_argument(
        "--pools", type=int, default=d.pools, help="pools per cluster (default %(default)s)"
    )
    parser.add_argument(
        "--services",
        type=int,
        default=d.services,
        help="services per cluster (default %(default)s)",
    )
    parser.add_argument(
        "--nodes", type=int, default=d.nodes, help="nodes per cluster (default %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument(
        "--overlaps", action="store_true", help="every pool overlaps its neighbour (many findings)"
    )
    parser.add_argument(
        "--selectors",
        action="store_true",
        help="advertisements select pools by label, pools select Services by label",
    )


def params_from(args: argparse.Namespace) -> Params:
    return Params(
        sites=args.sites,
        clusters=args.clusters,
        pools=args.pools,
        services=args.services,
        nodes=args.nodes,
        seed=args.seed,
        overlaps=args.overlaps,
        selectors=args.selectors,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fleet", description=__doc__)
    parser.add_argument("out", help="folder to write sites/ and manifests/ into")
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    w = write_fleet(params_from(args), args.out)
    print(
        f"{len(w.site_files)} site specs ({w.site_bytes / 1e6:.1f} MB), "
        f"{len(w.cluster_dirs)} clusters of manifests ({w.manifest_bytes / 1e6:.1f} MB) "
        f"in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
