"""A nodeSelectors list selects none of the Nodes in the input.

Checked only when the input contains Node objects (for example a `kubectl get nodes -o yaml`
dump next to the manifests). An L2Advertisement whose node selectors match no node is announced
from nowhere; a BGPAdvertisement then has no next hop; a BGPPeer opens its session on no node.
MetalLB accepts all of these without a word. Compare the labels with `kubectl get nodes
--show-labels`: the usual culprits are a hostname written in another case than the
`kubernetes.io/hostname` label, or a label that only some clusters carry. Invalid selectors are
reported by `selector-invalid` and skipped here.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field_of, from_site

ID = "node-selector-matches-nothing"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    if not cfg.nodes or not sem.nodes_known:
        return
    names = [n.name for n in cfg.nodes]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    objects: list[Item[Any]] = [*cfg.l2advs, *cfg.bgpadvs, *cfg.peers]
    for obj in objects:
        sels = obj.model.spec.nodeSelectors
        if not sels or not selectors_valid(sels) or sem.selected_nodes(sels):
            continue
        if not obj.sure(("spec", "nodeSelectors")):
            continue  # a selector that could not be read may match
        single = len(sels) == 1  # point at the selector, or at the list of several
        path = ("spec", "nodeSelectors", 0) if single else ("spec", "nodeSelectors")
        nodes = "nodes of the cluster's inventory" if from_site(obj) else "Nodes in the input"
        selectors = field_of(obj, ("spec", "nodeSelectors"), "nodeSelectors")
        yield Finding(
            f"the {selectors} match none of the {len(names)} {nodes} ({shown})",
            obj,
            path,
            key=not single,
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "silent",
    __doc__ or "",
    check,
    applies=Applicability(sites_replaced_by="site-node-selector-no-node"),
)
