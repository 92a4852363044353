"""A node selector matches no node of the cluster's inventory.

When a cluster lists its `nodes`, every node selector of its advertisements (the `l2:` and
`bgp:` shorthands and the full forms) and BGP peers is matched against them. A selector that
picks no node is almost always a typo in a label key or value: in a list of selectors it is
dead weight, and when it is the only one, the advertisement is announced from no node or the
peer session is opened from no node. MetalLB accepts it silently. Fix the label, or add the
node (with its labels) to the inventory. Invalid selectors are reported by their own rule and
skipped here.

When one label of the selector is what no node has, the message says which, and offers the
closest the nodes do have: `no node is named 'nod-a'; did you mean 'node-a'?`, `no node has
rack=r3 (they have r1, r2)`. A selector whose labels each match some node, but no node all of
them, gets no hint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gitops_lb.config import Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.intake import did_you_mean
from gitops_lb.metallb.models import LabelSelector
from gitops_lb.metallb.selectors import selector_problems
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.lower import HOSTNAME_LABEL
from gitops_lb.site.target import ClusterTarget
from gitops_lb.words import field_of

ID = "site-node-selector-no-node"
SHOWN = 5  # label keys or values listed in a hint


def listed(names: Sequence[str]) -> str:
    return ", ".join(names[:SHOWN]) + (" ..." if len(names) > SHOWN else "")


def key_hint(key: str, labels: Sequence[Mapping[str, str]]) -> str | None:
    """Why no node has label `key`, and the closest key they have; None when some node has it."""
    keys = sorted({k for node in labels for k in node})
    if key in keys:
        return None
    close = did_you_mean(key, keys)
    hint = f"; did you mean {close!r}?" if close else f" (they have {listed(keys)})"
    return f"; no node has label {key!r}{hint}"


def value_hint(key: str, wanted: Sequence[str], labels: Sequence[Mapping[str, str]]) -> str | None:
    """Why no node has `key` set to any of `wanted`, and the closest value they have; None when
    some node has one of them."""
    values = sorted({node[key] for node in labels if key in node})
    if not values or any(v in values for v in wanted):
        return None
    close = next((c for v in wanted if (c := did_you_mean(v, values))), None)
    value = wanted[0] if len(wanted) == 1 else None
    if key == HOSTNAME_LABEL:
        what = (
            f"no node is named {value!r}" if value is not None else "no node has one of the names"
        )
        hint = f"; did you mean {close!r}?" if close else f" (the nodes are {listed(values)})"
    else:
        what = (
            f"no node has {key}={value}"
            if value is not None
            else f"no node has one of the {key} values"
        )
        hint = f"; did you mean {key}={close}?" if close else f" (they have {listed(values)})"
    return f"; {what}{hint}"


def hint(sel: LabelSelector, labels: Sequence[Mapping[str, str]]) -> str:
    """The first label of the selector that no node has, with the closest ones they have."""
    for key, value in sel.matchLabels.items():
        found = key_hint(key, labels) or value_hint(key, [value], labels)
        if found:
            return found
    for expr in sel.matchExpressions:
        if expr.operator in ("In", "Exists"):
            found = key_hint(expr.key, labels)
            if found:
                return found
        if expr.operator == "In" and expr.values:
            found = value_hint(expr.key, expr.values, labels)
            if found:
                return found
    return ""


def check(target: ClusterTarget) -> Iterator[Finding]:
    cfg = target.config
    if not target.cluster.nodes or not semantics_of(cfg).nodes_known:
        return
    nodes = semantics_of(cfg).node_index
    labels = [node.model.metadata.labels for node in cfg.nodes]
    objects: list[Item[Any]] = [*cfg.l2advs, *cfg.bgpadvs, *cfg.peers]
    for obj in objects:
        for i, sel in enumerate(obj.model.spec.nodeSelectors):
            if next(selector_problems(sel), None) is not None:
                continue
            if not nodes.positions([sel]):
                path = ("spec", "nodeSelectors", i)
                yield Finding(
                    f"{field_of(obj, path)} matches none of the cluster's {len(nodes)} "
                    f"inventory nodes{hint(sel, labels)}",
                    obj,
                    path,
                )


RULE = Rule(
    ID,
    Severity.ERROR,
    "site",
    __doc__ or "",
    check_target=check,
    applies=SITES_ONLY,
)
