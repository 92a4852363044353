"""An L2 pool's IPv6 (or IPv4) addresses are announced from nodes without IPv6 (IPv4) there.

In layer 2 mode the node that wins a service address answers NDP for an IPv6 address and ARP
for an IPv4 address, on the interfaces its advertisements allow (all of them when one of the
pool's advertisements selecting the node lists no `interfaces`). A node with no address of
the pool's family on those interfaces is not on a network of that family there: the segment's
router has no route of that family towards it, the node has no source address to answer
from, and for IPv6 MetalLB does not even start an NDP responder on an interface without an
IPv6 link-local address (IPv6 disabled). While such a node holds the address, the Service is
unreachable over that family.

The inventory gives each node's addresses: an interface's `address`, or the family of the
`network` it names (an interface with both families is listed twice, once per family). Every
address block of an L2 pool is checked against each node its advertisements select. Nodes
that list no interfaces, or whose announcing interfaces have an entry of unknown family (no
address, no network), could have any address and are skipped; so are nodes that have none of
the interfaces named (site-interface-not-on-node). Give the nodes an address of that family on
the interface, announce the pool from an interface that has one, or select other nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import (
    InterfaceInfo,
    cluster_index,
    facts,
    interface_family,
    site_item,
)
from gitops_lb.site.target import ClusterTarget

ID = "site-l2-pool-family-not-on-node"
SHOWN = 3
FAMILY = {4: "IPv4", 6: "IPv6"}


def announcing(
    by_node: dict[str, list[InterfaceInfo]], pool_advs: list[tuple[list[str], list[str]]]
) -> dict[str, tuple[frozenset[int], str, list[InterfaceInfo]]]:
    """Node name -> (families, interfaces text, interface entries) of each node that may
    announce the pool and whose announcing interfaces all have a known family.

    by_node: the inventory interfaces of the cluster's nodes; pool_advs: (names of the
    selected nodes, interfaces) of each L2 advertisement of the pool.
    """
    wanted: dict[str, set[str] | None] = {}  # None: every interface
    for nodes, interfaces in pool_advs:
        for name in nodes:
            if not interfaces:
                wanted[name] = None
            elif name not in wanted:
                wanted[name] = set(interfaces)
            elif (names := wanted[name]) is not None:
                names.update(interfaces)
    out: dict[str, tuple[frozenset[int], str, list[InterfaceInfo]]] = {}
    for name, names in wanted.items():
        ifaces = by_node.get(name, [])
        if names is not None:
            ifaces = [i for i in ifaces if i.iface.name in names]
        families = {interface_family(i) for i in ifaces}
        if not ifaces or None in families:
            continue  # could have any address, or announces nowhere
        where = "any interface" if names is None else ", ".join(sorted(names))
        out[name] = (frozenset(f for f in families if f is not None), where, ifaces)
    return out


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    if not target.cluster.nodes:
        return
    sem = semantics_of(cfg)
    item = site_item(target)
    by_node: dict[str, list[InterfaceInfo]] = {}
    for info in facts(target.site).cluster_interfaces(cluster_index(target)):
        by_node.setdefault(info.node.name, []).append(info)
    for pool in cfg.pools:
        advs = sem.pool_l2advs[id(pool)]
        if not advs:
            continue
        nodes = announcing(
            by_node,
            [
                (
                    # nodes whose interfaces were not read as written are not judged
                    [
                        n.name
                        for n in sem.selected_nodes(a.model.spec.nodeSelectors)
                        if n.sure(("status", "addresses"))
                    ],
                    list(a.model.spec.interfaces),
                )
                for a in advs
                if a.sure(("spec", "nodeSelectors"), ("spec", "interfaces"))
            ],
        )
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            family = entry.family
            if family is None or entry.mixed_family:
                continue
            lacking = sorted(name for name, (fams, _, _) in nodes.items() if family not in fams)
            if not lacking:
                continue
            wheres = {nodes[name][1] for name in lacking}
            where = wheres.pop() if len(wheres) == 1 else "the interfaces they announce from"
            shown = ", ".join(lacking[:SHOWN]) + (" ..." if len(lacking) > SHOWN else "")
            fam = FAMILY[family]
            related = tuple(
                Rel(
                    f"node {name!r} has no {fam} address on {nodes[name][1]}",
                    item,
                    (*nodes[name][2][0].path, nodes[name][2][0].index),
                )
                for name in lacking[:SHOWN]
            )
            yield Finding(
                f"{entry.text} in L2 pool {pool.name!r} of cluster {target.cluster.name!r} is "
                f"{fam}, but {len(lacking)} node(s) announcing it have no {fam} address on "
                f"{where} ({shown})",
                pool,
                ("spec", "addresses", i),
                related=related,
            )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
