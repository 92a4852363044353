"""The speaker plan: per inventory node, which addresses it may announce, where and to whom.

L2: a node may answer ARP/NDP for a pool's addresses when an L2Advertisement attached to the
pool selects it (MetalLB elects one of those nodes per service), on the advertisement's
interfaces (all when it lists none). BGP: a node announces a pool's addresses when a
BGPAdvertisement attached to the pool selects it, to the peers active on that node (peers whose
nodeSelectors select it) restricted to the advertisement's `peers`. Speakers find each other
through memberlist, which needs TCP and UDP 7946 open between all nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_lb.config import Item
from gitops_lb.metallb import models as m
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
