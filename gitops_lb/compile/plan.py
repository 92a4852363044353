"""The speaker plan: per inventory node, which addresses it may announce, where and to whom.

L2: a node may answer ARP/NDP for a pool's addresses when an L2Advertisement attached to the
pool selects it (MetalLB elects one of those nodes per service), on the advertisement's
interfaces (all when it lists none). BGP: a node announces a pool's addresses when a
BGPAdvertisement attached to the pool selects it, to the peers active on that node (peers whose
nodeSelectors select it) restricted to the advertisement's `peers`. Speakers find each other
through memberlist, which needs TCP and UDP 7946 open between all nodes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

from gitops_lb.config import Item
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import family_value, parse_ip
from gitops_lb.metallb.services import services_of
from gitops_lb.metallb.speakerplan import (
    EXCLUDE_LABEL,
    Speakers,
    bgp_advertisements,
    excluded,
    l2_advertisements,
)
from gitops_lb.site.models import Node as InventoryNode
from gitops_lb.site.target import ClusterTarget

MEMBERLIST_PORT = 7946


def _node_entry(node: InventoryNode, labels: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": node.name}
    if node.interfaces:
        entry["interfaces"] = [
            {k: v for k, v in i.model_dump().items() if v is not None} for i in node.interfaces
        ]
    if excluded(labels):
        entry["excluded"] = f"labelled {EXCLUDE_LABEL}: MetalLB announces nothing from it"
    return entry


def _l2_entry(
    pool: Item[m.IPAddressPool], adv: Item[m.L2Advertisement], node: InventoryNode
) -> dict[str, Any]:
    known = [i.name for i in node.interfaces]
    listed = adv.model.spec.interfaces
    entry: dict[str, Any] = {
        "pool": pool.name,
        "addresses": list(pool.model.spec.addresses),
        "advertisement": adv.name,
    }
    if listed:
        entry["interfaces"] = [i for i in listed if not known or i in known]
        missing = [i for i in listed if known and i not in known]
        if missing:
            entry["missingInterfaces"] = missing
    else:
        entry["interfaces"] = known
        entry["allInterfaces"] = True
    if adv.model.spec.serviceSelectors:
        entry["servicesSelected"] = True
    return entry


def _bgp_entry(
    pool: Item[m.IPAddressPool],
    adv: Item[m.BGPAdvertisement],
    active_peers: list[Item[m.BGPPeer]],
) -> dict[str, Any]:
    spec = adv.model.spec
    named = set(spec.peers)
    peers = [p.name for p in active_peers if not named or p.name in named]
    entry: dict[str, Any] = {
        "pool": pool.name,
        "addresses": list(pool.model.spec.addresses),
        "advertisement": adv.name,
        "peers": peers,
        "aggregationLength": spec.aggregationLength,
        "aggregationLengthV6": spec.aggregationLengthV6,
    }
    if spec.localPref:
        entry["localPref"] = spec.localPref
    if spec.communities:
        entry["communities"] = list(spec.communities)
    if spec.serviceSelectors:
        entry["servicesSelected"] = True
    return entry


def speaker_plan(target: ClusterTarget) -> dict[str, Any]:
    """The plan of one cluster as plain data (the speaker-plan.yaml spec, `plan --format json`)."""
    cfg = target.config
    inventory = target.cluster.nodes
    # the labels the Node objects carry (lowering adds kubernetes.io/hostname like the kubelet)
    lowered = {n.name: n.model.metadata.labels for n in cfg.nodes if n.model is not None}
    valid_peers = [p for p in cfg.peers if p.model is not None]
    # each selector list is matched against the inventory once, not once per node
    speakers = Speakers((n.name, lowered.get(n.name, n.labels)) for n in inventory)
    peer_nodes = [speakers.index.positions(p.model.spec.nodeSelectors) for p in valid_peers]
    active: list[list[Item[m.BGPPeer]]] = [[] for _ in inventory]
    for peer, positions in zip(valid_peers, peer_nodes, strict=True):
        for i in positions:
            active[i].append(peer)
    l2: list[list[dict[str, Any]]] = [[] for _ in inventory]
    bgp: list[list[dict[str, Any]]] = [[] for _ in inventory]
    for pool in (p for p in cfg.pools if p.model is not None):
        for l2adv in l2_advertisements(cfg, pool):
            for i in speakers.announcers(l2adv):
                l2[i].append(_l2_entry(pool, l2adv, inventory[i]))
        for bgpadv in bgp_advertisements(cfg, pool):
            for i in speakers.announcers(bgpadv):
                bgp[i].append(_bgp_entry(pool, bgpadv, active[i]))
    nodes = []
    for i, node in enumerate(inventory):
        entry = _node_entry(node, speakers.index.labels[i])
        entry["l2"] = l2[i]
        entry["bgp"] = bgp[i]
        nodes.append(entry)
    peers = [
        {
            "name": p.name,
            "peerAddress": p.model.spec.peerAddress or p.model.spec.interface,
            "peerASN": p.model.spec.peerASN,
            "myASN": p.model.spec.myASN,
            "nodes": [inventory[i].name for i in positions],
        }
        for p, positions in zip(valid_peers, peer_nodes, strict=True)
    ]
    return {
        "site": target.site.metadata.name,
        "cluster": target.cluster.name,
        "memberlist": {
            "port": MEMBERLIST_PORT,
            "protocols": ["TCP", "UDP"],
            "between": [n.name for n in inventory],
        },
        "nodes": nodes,
        "bgpPeers": peers,
    }


def plan_document(target: ClusterTarget) -> dict[str, Any]:
    """speaker-plan.yaml: a typed document `lint` skips and nothing applies.

    Its group is not gitops-lb.io, the site spec's, so a site loader never mistakes it for one.
    """
    return {
        "apiVersion": "plan.gitops-lb.io/v1alpha1",
        "kind": "SpeakerPlan",
        "metadata": {"name": f"{target.site.metadata.name}-{target.cluster.name}"},
        "spec": speaker_plan(target),
    }


def render_text(plan: dict[str, Any]) -> str:
    """The plan for people: one block per node."""
    out = [f"{plan['site']}/{plan['cluster']}\n"]
    ml = plan["memberlist"]
    if ml["between"]:
        out.append(
            f"  memberlist: open TCP and UDP {ml['port']} between {', '.join(ml['between'])}\n"
        )
    else:
        out.append(
            f"  memberlist: open TCP and UDP {ml['port']} between all nodes\n"
            "  no node inventory: declare the cluster's nodes to see what each one announces\n"
        )
    for node in plan["nodes"]:
        ifaces = ", ".join(_iface_text(i) for i in node.get("interfaces", []))
        out.append(f"  {node['name']}" + (f" ({ifaces})" if ifaces else "") + "\n")
        if "excluded" in node:
            out.append(f"    nothing: {node['excluded']}\n")
            continue
        if not node["l2"] and not node["bgp"]:
            out.append("    nothing to announce\n")
        for e in node["l2"]:
            where = "all interfaces" if e.get("allInterfaces") else ", ".join(e["interfaces"])
            line = f"    L2   {e['pool']}: {', '.join(e['addresses'])} on {where or 'no interface'}"
            if e.get("missingInterfaces"):
                line += f" (node lacks {', '.join(e['missingInterfaces'])})"
            out.append(f"{line} [L2Advertisement {e['advertisement']}]\n")
        for e in node["bgp"]:
            to = ", ".join(e["peers"]) if e["peers"] else "no peer on this node"
            out.append(
                f"    BGP  {e['pool']}: {', '.join(e['addresses'])} to {to} "
                f"[BGPAdvertisement {e['advertisement']}]\n"
            )
    for p in plan["bgpPeers"]:
        out.append(
            f"  peer {p['name']}: {p['peerAddress']} AS{p['peerASN']} (local AS{p['myASN']})"
            + (f" from {', '.join(p['nodes'])}" if p["nodes"] else "")
            + "\n"
        )
    return "".join(out)


def _iface_text(iface: dict[str, Any]) -> str:
    parts = [iface["name"], iface.get("address"), iface.get("network")]
    return " ".join(str(p) for p in parts if p)


# --- plan for big clusters: filters and the compact table ----------------------------------------

COMPACT_NODES = 20  # more nodes than this: `plan` prints the compact table unless --full
SHOWN_NAMES = 3  # node names written out per row of the compact table; the rest counted


def matches(name: str, patterns: Sequence[str]) -> bool:
    """Whether a name matches one of the shell-style patterns (fnmatch, case-sensitive)."""
    return any(fnmatchcase(name, p) for p in patterns)


def service_pools(target: ClusterTarget, patterns: Sequence[str]) -> set[str] | None:
    """The pools of the Services of Git named NAMESPACE/NAME by the patterns: the pool a
    Service names, else the pools that hold the addresses it asks for, else every pool MetalLB
    may assign it from (autoAssign). None when no Service matches."""
    found = [s for s in target.cluster.services if matches(f"{s.namespace}/{s.name}", patterns)]
    if not found:
        return None
    pools = [p for p in target.config.pools if p.model is not None]
    out: set[str] = set()
    for svc in found:
        if svc.pool:
            out.add(svc.pool)
        elif svc.ips:
            out.update(p.name for ip in svc.ips if (p := _pool_of(target, ip)) is not None)
        else:
            out.update(p.name for p in pools if p.model.spec.autoAssign)
    return out


def _pool_of(target: ClusterTarget, ip: str) -> Item[m.IPAddressPool] | None:
    """The pool MetalLB takes the address from (its poolFor)."""
    parsed = parse_ip(ip.strip())
    if parsed is None:
        return None
    return services_of(target.config).index.pool_for([family_value(parsed)])


def filter_plan(
    plan: dict[str, Any], *, nodes: Sequence[str] = (), pools: set[str] | None = None
) -> dict[str, Any]:
    """The plan restricted to the nodes matching `nodes` (all when empty) and to the
    announcements of `pools` (all when None; then a node left with nothing is left out too).
    The BGP peers shown are those of the nodes shown (and, with pools, named by what is left)."""
    kept = []
    for node in plan["nodes"]:
        if nodes and not matches(node["name"], nodes):
            continue
        entry = node
        if pools is not None:
            entry = {
                **node,
                "l2": [e for e in node["l2"] if e["pool"] in pools],
                "bgp": [e for e in node["bgp"] if e["pool"] in pools],
            }
            if not entry["l2"] and not entry["bgp"]:
                continue
        kept.append(entry)
    names = {n["name"] for n in kept}
    named = {p for n in kept for e in n["bgp"] for p in e["peers"]}
    peers = [
        p
        for p in plan["bgpPeers"]
        if (pools is None or p["name"] in named) and names & set(p["nodes"])
    ]
    return {**plan, "nodes": kept, "bgpPeers": peers}


def _announces(node: dict[str, Any]) -> tuple[str, str]:
    """What a node announces, in two cells: L2 pools (interfaces) and BGP pools -> peers."""
    if "excluded" in node:
        return "excluded", "excluded"
    l2 = []
    for e in node["l2"]:
        where = "all" if e.get("allInterfaces") else ",".join(e["interfaces"]) or "none"
        l2.append(f"{e['pool']} ({where})")
    bgp = [f"{e['pool']} -> {','.join(e['peers']) or 'no peer'}" for e in node["bgp"]]
    return "; ".join(l2) or "-", "; ".join(bgp) or "-"


def render_compact(plan: dict[str, Any]) -> str:
    """The plan as a table, one row per set of nodes that announce the same (big clusters)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for node in plan["nodes"]:
        groups.setdefault(_announces(node), []).append(node["name"])
    count = len(plan["nodes"])
    out = [
        f"{plan['site']}/{plan['cluster']}: {_nodes(count)}\n",
        f"  memberlist: open TCP and UDP {plan['memberlist']['port']} between all "
        f"{_nodes(len(plan['memberlist']['between']))}\n",
    ]
    rows = [["NODES", "L2 (interfaces)", "BGP (peers)"]]
    for (l2, bgp), names in sorted(groups.items(), key=lambda g: g[1][0]):
        shown = ", ".join(names[:SHOWN_NAMES])
        if len(names) > SHOWN_NAMES:
            shown += f" and {len(names) - SHOWN_NAMES} more"
        rows.append([f"{len(names)}: {shown}", l2, bgp])
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        out.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.append("\n")
    for p in plan["bgpPeers"]:
        out.append(
            f"  peer {p['name']}: {p['peerAddress']} AS{p['peerASN']} (local AS{p['myASN']}) "
            f"from {_nodes(len(p['nodes']))}\n"
        )
    return "".join(out)


def _nodes(count: int) -> str:
    return "1 node" if count == 1 else f"{count} nodes"
