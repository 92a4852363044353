"""Nodes against the inventory, and who announces what in L2 against the plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.diagnostics import Location, Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.metallb.speakerplan import Speakers
from gitops_lb.reconcile.desired import Desired
from gitops_lb.reconcile.difference import Difference, difference, show
from gitops_lb.reconcile.normalize import metadata_differences
from gitops_lb.reconcile.services import ingress_ips, pool_containing
from gitops_lb.reconcile.state import LiveState, mapping, meta, name_of, namespace_of, str_map

NodeLabels = list[tuple[str, dict[str, str]]]


def live_nodes(live: LiveState) -> NodeLabels:
    nodes = ((name_of(o), str_map(meta(o).get("labels"))) for o in live.get("Node"))
    return sorted(nodes, key=lambda node: node[0])  # labels are not ordered: names only


def check_nodes(d: Desired, live: LiveState) -> Iterator[Difference]:
    """Inventory nodes present with the labels Git gives them, and every node selector of Git
    selecting the same nodes live as in the inventory (skipped without an inventory)."""
    cfg = d.config
    if not cfg.nodes or not live.readable("Node"):
        return
    nodes = live_nodes(live)
    labels_of = dict(nodes)
    for item in cfg.nodes:
        have = labels_of.get(item.name)
        if have is None:
            yield difference(
                "missing",
                Severity.WARNING,
                ("Node", None, item.name),
                f"Node {item.name} is in the inventory but not in the cluster",
                item=item,
            )
            continue
        want = {"labels": item.model.metadata.labels}
        for path, w, h in metadata_differences(want, {"labels": have}):
            yield difference(
                "node-labels",
                Severity.WARNING,
                ("Node", None, item.name),
                f"Node {item.name} label {path[2]}: inventory {show(w)}, live {show(h)}",
                path=path,
                desired=w,
                live=h,
                item=item,
            )
    planned = LabelIndex((n.name, n.model.metadata.labels) for n in cfg.nodes)
    running = LabelIndex(nodes)
    alike: set[tuple[int, int]] = set()  # answers found equal
    selecting: Sequence[tuple[str, Sequence[Any]]] = (
        ("L2Advertisement", cfg.l2advs),
        ("BGPAdvertisement", cfg.bgpadvs),
        ("BGPPeer", cfg.peers),
    )
    for kind, items in selecting:
        for item in items:
            sels = item.model.spec.nodeSelectors
            if not selectors_valid(sels):
                continue  # lint reports invalid selectors
            # the indexes answer each selector list once (the same tuple every time)
            planned_at, live_at = planned.positions(sels), running.positions(sels)
            if (id(planned_at), id(live_at)) in alike:
                continue
            want_nodes = sorted(planned.members[i] for i in planned_at)
            have_nodes = sorted(running.members[i] for i in live_at)
            if want_nodes == have_nodes:
                alike.add((id(planned_at), id(live_at)))
                continue
            gained = sorted(set(have_nodes) - set(want_nodes))
            lost = sorted(set(want_nodes) - set(have_nodes))
            change = "; ".join(
                part
                for part in (
                    f"also selects {', '.join(gained)}" if gained else "",
                    f"no longer selects {', '.join(lost)}" if lost else "",
                )
                if part
            )
            yield difference(
                "node-labels",
                Severity.ERROR,
                (kind, item.namespace, item.name),
                f"{kind} {item.namespace}/{item.name} nodeSelectors select other nodes live "
                f"than planned: {change}",
                path=("spec", "nodeSelectors"),
                desired=want_nodes,
                live=have_nodes,
                item=item,
            )


def check_l2_status(d: Desired, live: LiveState) -> Iterator[Difference]:
    """Every ServiceL2Status (who announces a Service in L2) from a node, and on interfaces,
    the plan allows for the Service's pool; the plan uses the inventory when there is one."""
    cfg = d.config
    if not live.readable("ServiceL2Status") or not live.readable("Service"):
        return
    if cfg.nodes:
        nodes: NodeLabels = [(n.name, n.model.metadata.labels) for n in cfg.nodes]
    elif live.readable("Node"):
        nodes = live_nodes(live)
    else:
        return
    speakers = Speakers(nodes)
    services = {(namespace_of(o), name_of(o)): o for o in live.get("Service")}
    for obj in sorted(live.get("ServiceL2Status"), key=name_of):
        status = mapping(obj, "status")
        node = status.get("node")
        svc_key = (str(status.get("serviceNamespace") or ""), str(status.get("serviceName") or ""))
        svc = services.get(svc_key)
        if not isinstance(node, str) or svc is None:
            continue  # stale: MetalLB deletes it when the Service goes
        pool = next(
            (p for ip in ingress_ips(svc) if (p := pool_containing(cfg, ip)) is not None), None
        )
        if pool is None:
            continue  # an address of no pool: reported on the Service
        raw = status.get("interfaces")
        interfaces = sorted(
            i["name"]
            for i in (raw if isinstance(raw, list) else [])
            if isinstance(i, dict) and isinstance(i.get("name"), str)
        )
        allowed = speakers.l2_allowed(cfg, pool, str_map(meta(svc).get("labels")))
        ref = f"Service {svc_key[0]}/{svc_key[1]} (pool {pool.name})"
        if node not in allowed:
            where = ", ".join(sorted(allowed)) or "no node"
            message = f"{ref} is announced from node {node}; the plan allows {where}"
            diff = _l2(obj, live, message, sorted(allowed), node)
            yield replace(diff, location=_plan_location(cfg, pool, "nodeSelectors"))
            continue
        plan = allowed[node]
        if plan is not None and (not interfaces or not set(interfaces) <= plan):
            shown = ", ".join(interfaces) if interfaces else "all interfaces"
            message = (
                f"{ref} is announced from node {node} on {shown}; the plan allows "
                f"{', '.join(sorted(plan))}"
            )
            diff = _l2(obj, live, message, sorted(plan), interfaces)
            yield replace(diff, location=_plan_location(cfg, pool, "interfaces"))


def _plan_location(cfg: ClusterConfig, pool: Item[m.IPAddressPool], field: str) -> Location:
    """Where Git plans the announcement: the pool's first L2 advertisement, else the pool."""
    ads = semantics_of(cfg).pool_l2advs[id(pool)]
    return ads[0].locate(("spec", field)) if ads else pool.locate()


def _l2(obj: Mapping[str, Any], live: LiveState, message: str, want: Any, have: Any) -> Difference:
    return difference(
        "l2-announcement",
        Severity.ERROR,
        ("ServiceL2Status", namespace_of(obj) or live.namespace, name_of(obj)),
        message,
        path=("status", "node") if isinstance(have, str) else ("status", "interfaces"),
        desired=want,
        live=have,
    )
