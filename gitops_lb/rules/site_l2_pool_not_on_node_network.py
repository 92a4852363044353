"""An L2 pool's addresses are not on the network of every node that may announce them.

In layer 2 mode one of the nodes an L2 advertisement selects wins the election for a service
address and answers ARP/NDP for it on its interfaces (only the listed `interfaces`, when the
advertisement lists some). If that node has no interface on a subnet holding the address, the
address is unreachable while that node holds it. Using the inventory, each address of an L2
pool is checked against the networks of the interfaces of every selected node.

Nodes whose relevant interfaces are not all known (no network, no address prefix) are skipped,
as are address families a node has no known network of. Addresses outside every network of
the site are left to site-pool-outside-network. Fix the pool, the advertisement's node
selectors or interfaces, or the inventory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import Net
from gitops_lb.metallb.selectors import selector_identity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import InterfaceInfo, cluster_index, contains, facts
from gitops_lb.site.target import NETWORK, ClusterTarget
from gitops_lb.words import short, title

ID = "site-l2-pool-not-on-node-network"

# nodes grouped by their known subnets (nodes on the same networks are checked once)
Groups = list[tuple[tuple[Net, ...], list[str]]]


def node_nets(
    cfg: ClusterConfig, adv: m.L2Advertisement, by_node: dict[str, list[InterfaceInfo]]
) -> dict[str, list[Net]]:
    """Known subnets per selected node able to announce (None-free: unknown nodes left out)."""
    sem = semantics_of(cfg)
    out: dict[str, list[Net]] = {}
    wanted = set(adv.spec.interfaces)
    for node in sem.selected_nodes(adv.spec.nodeSelectors):
        if not node.sure(("status", "addresses")):
            continue  # interfaces not read as written (schema errors): unknown
        ifaces = by_node.get(node.name, [])
        if wanted:
            ifaces = [i for i in ifaces if i.iface.name in wanted]
            if not ifaces and by_node.get(node.name):
                continue  # cannot announce at all: site-interface-not-on-node
        if not ifaces or any(i.net is None for i in ifaces):
            continue  # unknown
        out[node.name] = [i.net for i in ifaces if i.net is not None]
    return out


def announcer(pool: Item[Any], adv: Item[Any]) -> str:
    """The advertisement, as a message about the pool names it: "its l2" for its shorthand."""
    a, p = adv.origin, pool.origin
    if a is not None and p is not None and a.frame and a.path == p.path:
        return f"its {a.frame[0]}"
    return short(adv)


def grouped(nets: dict[str, list[Net]]) -> Groups:
    groups: dict[tuple[Net, ...], list[str]] = {}
    for name, known in nets.items():
        groups.setdefault(tuple(known), []).append(name)
    return list(groups.items())


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    sem = semantics_of(cfg)
    if not target.cluster.nodes or cfg.incomplete(NETWORK):
        return
    sf = facts(target.site)
    families = sf.network_families()
    by_node: dict[str, list[InterfaceInfo]] = {}
    for info in sf.cluster_interfaces(cluster_index(target)):
        by_node.setdefault(info.node.name, []).append(info)
    # advertisements with the same node selectors and interfaces see the same nodes
    seen: dict[tuple[object, ...], Groups] = {}
    for pool in cfg.pools:
        for adv in sem.pool_l2advs[id(pool)]:
            if not adv.sure(("spec", "nodeSelectors"), ("spec", "interfaces")):
                continue  # read in part (schema errors): the nodes it uses are not known
            spec = adv.model.spec
            key = (
                tuple(selector_identity(s) for s in spec.nodeSelectors),
                frozenset(spec.interfaces),
            )
            groups = seen.get(key)
            if groups is None:
                groups = seen[key] = grouped(node_nets(cfg, adv.model, by_node))
            for i, entry in enumerate(sem.pool_entries[id(pool)]):
                blocks = [
                    n for n in entry.nets if n.family not in families or sf.network_holding(n)
                ]
                missing = sorted(
                    name
                    for known, names in groups
                    if any(
                        any(k.family == b.family for k in known)
                        and not any(contains(k, b) for k in known)
                        for b in blocks
                    )
                    for name in names
                )
                if not missing:
                    continue
                shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
                yield Finding(
                    f"{entry.text} in L2 {title(pool)} is on no network of "
                    f"{len(missing)} node(s) {announcer(pool, adv)} selects ({shown})",
                    pool,
                    ("spec", "addresses", i),
                    related=(Rel(short(adv), adv, ("metadata", "name")),),
                )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
