"""Argo CD sync waves of the compiled tree, and the annotations that carry them.

Argo CD applies a wave, waits until everything in it is healthy, then moves on; a resource
without a health check counts as healthy once applied. The readiness gate (a Sync hook Job,
which does have a health check) is what makes the MetalLB objects wait for MetalLB itself.
Objects that others reference (BFD profiles, communities) sit in a wave below the objects that
reference them. Argo CD reverses the waves only among the prune tasks of one sync: an object
pruned in the same sync as its users are *updated* (not pruned) is deleted in its own, earlier
wave. For the one kind whose deletion MetalLB's webhook refuses while it is referenced, the
BFD profile, PRUNE_LAST moves its prune after the last wave (see sync_options()).
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
PRUNE_LAST = "PruneLast=true"

# Kinds pruned after the last wave. Argo CD reads the option from the live object, so it is
# written from the first sync on. Only BFDProfile: MetalLB's webhook refuses to delete a profile
# a BGPPeer still names, and peers are updated a wave later. The other referenced kinds must
# NOT wait: a renamed pool or Community is created while the old one would still exist, and
# MetalLB refuses overlapping pools and duplicate community aliases (docs/compile.md).
PRUNE_LAST_KINDS = frozenset({"BFDProfile"})


def sync_options(kind: str) -> str:
    """The sync-options annotation of a metallb.io object of `kind` (comma-separated)."""
    options = [SKIP_DRY_RUN]
    if kind in PRUNE_LAST_KINDS:
        options.append(PRUNE_LAST)
    return ",".join(options)


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
