"""Compare MetalLB configurations object by object, the way MetalLB reads them."""

from __future__ import annotations

from typing import Any

from gitops_lb.config import ClusterConfig
from gitops_lb.metallb.services import annotation_value as service_annotation


def _service(it: Any) -> dict[str, Any]:
    meta, spec = it.model.metadata, it.model.spec
    ips = service_annotation(meta.annotations, "loadBalancerIPs") or spec.loadBalancerIP
    others = {
        k: v
        for k, v in meta.annotations.items()
        if not k.startswith(("metallb.io/", "metallb.universe.tf/"))
    }
    return {
        "pool": service_annotation(meta.annotations, "address-pool"),
        "ips": ips.split(",") if ips else [],
        "sharing": service_annotation(meta.annotations, "allow-shared-ip"),
        "labels": meta.labels,
        "annotations": others,
        "spec": spec.model_dump(mode="json", exclude={"loadBalancerIP", "clusterIP", "clusterIPs"}),
    }


def objects(cfg: ClusterConfig, *, services: bool = True) -> dict[tuple[str, str], Any]:
    """(kind, name) -> what MetalLB reads of that object (defaults filled in)."""
    out: dict[tuple[str, str], Any] = {}
    for items in (
        cfg.pools,
        cfg.l2advs,
        cfg.bgpadvs,
        cfg.peers,
        cfg.communities,
        cfg.bfdprofiles,
    ):
        for it in items:
            value: dict[str, Any] = {
                "namespace": it.namespace,
                "spec": it.model.spec.model_dump(mode="json"),
            }
            if it.kind == "IPAddressPool":
                value["labels"] = it.model.metadata.labels
            out[(it.kind, it.name)] = value
    if services:
        for svc in cfg.services:
            out[("Service", f"{svc.namespace or 'default'}/{svc.name}")] = _service(svc)
    for node in cfg.nodes:
        out[("Node", node.name)] = node.model.metadata.labels
    return out
