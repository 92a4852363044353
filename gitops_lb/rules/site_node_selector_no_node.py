"""A node selector matches no node of the cluster's inventory.

When a cluster lists its `nodes`, every node selector of its advertisements (the `l2:` and
`bgp:` shorthands and the full forms) and BGP peers is matched against them. A selector that
picks no node is almost always a typo in a label key or value: in a list of selectors it is
dead weight, and when it is the only one, the advertisement is announced from no node or the
peer session is opened from no node. MetalLB accepts it silently. Fix the label, or add the
node (with its labels) to the inventory. Invalid selectors are reported by their own rule and
skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import selector_problems
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.target import ClusterTarget

ID = "site-node-selector-no-node"


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    if not target.cluster.nodes or not semantics_of(cfg).nodes_known:
        return
    nodes = semantics_of(cfg).node_index
    objects: list[Item[Any]] = [*cfg.l2advs, *cfg.bgpadvs, *cfg.peers]
    for obj in objects:
        for i, sel in enumerate(obj.model.spec.nodeSelectors):
            if next(selector_problems(sel), None) is not None:
                continue
            if not nodes.positions([sel]):
                yield Finding(
                    f"nodeSelectors[{i}] of {obj.kind} {obj.name!r} matches none of the "
                    f"{len(nodes)} inventory nodes of cluster {cfg.name}",
                    obj,
                    ("spec", "nodeSelectors", i),
                )


RULE = Rule(
    ID,
    Severity.ERROR,
    "site",
    __doc__ or "",
    check_target=check,
    applies=SITES_ONLY,
)
