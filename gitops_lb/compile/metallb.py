"""The MetalLB objects and Services of one cluster, as they go into its Argo CD source tree."""

from __future__ import annotations

from typing import Any

from gitops_lb.compile import waves
from gitops_lb.config import Item
from gitops_lb.site.target import ClusterTarget


def _object(item: Item[Any], wave: int, namespace: str | None, **extra: str) -> dict[str, Any]:
    """apiVersion/kind/spec from the model (only what the site spec set), fresh metadata."""
    body: dict[str, Any] = item.model.model_dump(mode="json", exclude_unset=True)
    source = item.model.metadata
    meta: dict[str, Any] = {"name": item.name}
    if namespace:
        meta["namespace"] = namespace
    if source.labels:
        meta["labels"] = dict(source.labels)
    if source.annotations:
        meta["annotations"] = dict(source.annotations)
    obj: dict[str, Any] = {"apiVersion": body["apiVersion"], "kind": body["kind"], "metadata": meta}
    for key, value in body.items():
        if key not in ("apiVersion", "kind", "metadata", "status"):
            obj[key] = value
    return waves.annotate(obj, wave, **extra)


def metallb_objects(target: ClusterTarget) -> list[dict[str, Any]]:
    """Pools, peers, communities, BFD profiles and advertisements, each in its wave."""
    cfg = target.config
    groups: list[tuple[list[Any], int]] = [
        (cfg.bfdprofiles, waves.REFERENCED),
        (cfg.communities, waves.REFERENCED),
        (cfg.pools, waves.CONFIG),
        (cfg.peers, waves.CONFIG),
        (cfg.l2advs, waves.ADVERTISE),
        (cfg.bgpadvs, waves.ADVERTISE),
    ]
    return [
        _object(
            item, wave, cfg.namespace, **{waves.SYNC_OPTIONS: waves.sync_options(item.model.kind)}
        )
        for items, wave in groups
        for item in items
        if item.model is not None
    ]


def services(target: ClusterTarget) -> list[dict[str, Any]]:
    """The Services the site spec owns (emit: true); the others only reserve addresses."""
    emitted = {(s.namespace, s.name) for s in target.cluster.services if s.emit}
    out = []
    for item in target.config.services:
        if item.model is None or (item.namespace or "default", item.name) not in emitted:
            continue
        out.append(_object(item, waves.SERVICES, item.namespace or "default"))
    return out
