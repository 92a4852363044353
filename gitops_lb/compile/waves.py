"""Argo CD sync waves of the compiled tree, and the annotations that carry them.

Argo CD applies a wave, waits until everything in it is healthy, then moves on; a resource
without a health check counts as healthy once applied. The readiness gate (a Sync hook Job,
which does have a health check) is what makes the MetalLB objects wait for MetalLB itself.
Prune runs in the reverse order, so objects that others reference (BFD profiles, communities)
sit in a wave below the objects that reference them and are deleted after them.
"""

from __future__ import annotations

from typing import Any

INSTALL = 0  # ACP ClusterPluginInstance; the reconcile reader ClusterRole
GATE_RBAC = 1  # ServiceAccount and RBAC of the readiness gate
GATE = 2  # the readiness gate Job (Sync hook): waits for MetalLB and its webhook
REFERENCED = 3  # BFDProfiles, Communities: referenced by peers and BGP advertisements
CONFIG = 4  # IPAddressPools, BGPPeers
ADVERTISE = 5  # L2Advertisements, BGPAdvertisements
SERVICES = 6  # Services that take addresses from the pools

# DIR/argocd/: the MetalLB Helm Application (platform metallb) before the cluster Applications
APP_INSTALL = 0
APP_CLUSTER = 1

NAMES = {
    INSTALL: "install",
    GATE_RBAC: "readiness gate RBAC",
    GATE: "readiness gate",
    REFERENCED: "BFD profiles, communities",
    CONFIG: "pools, peers",
    ADVERTISE: "advertisements",
    SERVICES: "services",
}

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
SKIP_DRY_RUN = "SkipDryRunOnMissingResource=true"


def annotate(obj: dict[str, Any], wave: int, **extra: str) -> dict[str, Any]:
    """Set the sync-wave annotation (a quoted integer, as Argo CD expects) and others."""
    meta = obj.setdefault("metadata", {})
    annotations = meta.setdefault("annotations", {})
    annotations[SYNC_WAVE] = str(wave)
    annotations.update(extra)
    return obj


def wave_of(obj: dict[str, Any]) -> int:
    value = obj.get("metadata", {}).get("annotations", {}).get(SYNC_WAVE, "0")
    try:
        return int(value)
    except ValueError:  # pragma: no cover - we only write integers
        return 0
