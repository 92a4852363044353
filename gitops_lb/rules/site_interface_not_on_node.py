"""An L2 advertisement names an interface that none of its selected nodes has.

`interfaces` restricts the interfaces MetalLB answers ARP/NDP on. When the cluster lists its
nodes with their interfaces, each name is checked against the nodes the advertisement
selects: a name no selected node has (a typo, `eth3` instead of `ens3`) means MetalLB announces
nothing for the pool and only logs an `announceFailed` event. Nodes whose interfaces are not
listed could have any interface, so the rule stays silent when a selected node lists none.
The message says which interfaces the selected nodes do have (`they have eth3, ens4`).
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import selector_identity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import inventory_nodes
from gitops_lb.site.models import Node
from gitops_lb.site.target import ClusterTarget
from gitops_lb.words import field_of

ID = "site-interface-not-on-node"
SHOWN = 3  # node and interface names in a message


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    sem = semantics_of(cfg)
    if not target.cluster.nodes or not sem.nodes_known:
        return
    inventory = inventory_nodes(target)
    # advertisements with the same node selectors select the same nodes: look once
    seen: dict[tuple[object, ...], tuple[list[Node], set[str] | None]] = {}
    for adv in cfg.l2advs:
        names = adv.model.spec.interfaces
        if not names or not adv.sure(("spec", "nodeSelectors")):
            continue
        sels = adv.model.spec.nodeSelectors
        key = tuple(selector_identity(s) for s in sels)
        if key not in seen:
            selected = sem.selected_nodes(sels)
            nodes = [inventory[n.name] for n in selected]
            listed = nodes and all(node.interfaces for node in nodes)
            # interfaces not read as written (schema errors): cannot tell
            listed = listed and all(n.sure(("status", "addresses")) for n in selected)
            seen[key] = (
                nodes,
                ({iface.name for node in nodes for iface in node.interfaces} if listed else None),
            )
        nodes, present = seen[key]
        if present is None:
            continue
        shown = ", ".join(node.name for node in nodes[:SHOWN]) + (
            " ..." if len(nodes) > SHOWN else ""
        )
        count = f"{len(nodes)} " if len(nodes) > SHOWN else ""
        have = sorted(present)
        they = ", ".join(have[:SHOWN]) + (" ..." if len(have) > SHOWN else "")
        for j, name in enumerate(names):
            if name not in present:
                path = ("spec", "interfaces", j)
                yield Finding(
                    f"interface {name!r} in {field_of(adv, path[:2])} is on none of the "
                    f"{count}selected nodes ({shown}); they have {they}",
                    adv,
                    path,
                )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_target=check, applies=SITES_ONLY)
