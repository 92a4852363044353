"""A two-cluster fleet (dc1/prod and dc1/stage of the scenario's site spec) for the fleet tests:
live-dir dumps, kubeconfigs with one context per cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.reconcile.helpers import TOKEN
from tests.reconcile.scenario import SITE, Objects, _meta, dump, metallb

PLUGIN = {
    "apiVersion": "cluster.alauda.io/v1alpha1",
    "kind": "ClusterPluginInstance",
    "metadata": _meta("metallb", None),
    "spec": {"pluginName": "metallb"},
}


def stage_in_sync() -> Objects:
    """The live objects of dc1/stage when it matches Git: its pool and the ACP plugin."""
    return [
        metallb("IPAddressPool", "stage", {"addresses": ["192.168.20.0/28"]}),
        dict(PLUGIN),
    ]


def write_live_dir(root: Path, clusters: dict[str, Objects | None]) -> Path:
    """root/live/SITE/CLUSTER/live.yaml for each "SITE/CLUSTER" (None: no folder)."""
    live = root / "live"
    live.mkdir(exist_ok=True)
    for cluster, objects in clusters.items():
        if objects is None:
            continue
        folder = live / cluster
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "live.yaml").write_text(dump(objects))
    return live


def site_with_contexts(root: Path, **contexts: str) -> Path:
    """The scenario's site spec, with clusters[].context set for the clusters named."""
    text = SITE
    for cluster, context in contexts.items():
        marker = f"    - name: {cluster}\n"
        assert marker in text
        text = text.replace(marker, f"{marker}      context: {context}\n")
    path = root / "site.yaml"
    path.write_text(text)
    return path


def multi_kubeconfig(
    root: Path,
    servers: dict[str, str],
    *,
    current: str | None = None,
    insecure: bool = False,
    name: str = "kubeconfig",
) -> Path:
    """A kubeconfig with one context (and cluster, and user) per entry of `servers`."""
    cluster_extra: dict[str, Any] = {"insecure-skip-tls-verify": True} if insecure else {}
    data = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": c, "cluster": {"server": url, **cluster_extra}} for c, url in servers.items()
        ],
        "users": [{"name": f"{c}-user", "user": {"token": TOKEN}} for c in servers],
        "contexts": [{"name": c, "context": {"cluster": c, "user": f"{c}-user"}} for c in servers],
        "current-context": current or next(iter(servers)),
    }
    path = root / name
    path.write_text(yaml.safe_dump(data))
    return path
