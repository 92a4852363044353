"""Site specs for compiler tests, as data, lowered by the real loader and lowering."""

from __future__ import annotations

import copy
from typing import Any

from gitops_lb.compile.yamlout import dump
from gitops_lb.site.load import sites_from_files
from gitops_lb.site.lower import lower_all
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import load_text

SITE: dict[str, Any] = {
    "apiVersion": "gitops-lb.io/v1alpha1",
    "kind": "Site",
    "metadata": {"name": "dc1"},
    "spec": {
        "platform": "acp",
        "argocd": {"repoURL": "https://git.example.com/lb.git", "targetRevision": "main"},
        "clusters": [
            {
                "name": "prod",
                "server": "https://10.0.0.10:6443",
                "nodes": [
                    {
                        "name": "node-a",
                        "labels": {"kubernetes.io/hostname": "node-a"},
                        "interfaces": [{"name": "eth3", "address": "192.168.10.11"}],
                    },
                    {"name": "node-b", "labels": {"kubernetes.io/hostname": "node-b"}},
                ],
                "pools": [
                    {
                        "name": "web",
                        "addresses": ["192.168.10.64/27"],
                        "l2": {
                            "nodeSelectors": [
                                {"matchLabels": {"kubernetes.io/hostname": "node-a"}}
                            ],
                            "interfaces": ["eth3"],
                        },
                    },
                    {
                        "name": "edge",
                        "addresses": ["203.0.113.0/28"],
                        "autoAssign": False,
                        "bgp": {"peers": ["tor1"], "localPref": 100},
                    },
                ],
                "bgpPeers": [
                    {"name": "tor1", "myASN": 64512, "peerASN": 64513, "peerAddress": "10.0.0.1"}
                ],
                "services": [
                    {
                        "name": "nginx",
                        "namespace": "web",
                        "pool": "web",
                        "ips": ["192.168.10.70"],
                        "ports": [{"port": 80, "targetPort": 8080}],
                        "selector": {"app": "nginx"},
                    },
                    {"name": "elsewhere", "namespace": "web", "pool": "web", "emit": False},
                ],
            }
        ],
    },
}


def site_dict(**spec: Any) -> dict[str, Any]:
    out = copy.deepcopy(SITE)
    out["spec"].update(spec)
    return out


def targets(data: dict[str, Any] | None = None) -> list[ClusterTarget]:
    """The lowered clusters of a site spec given as data (written out as YAML first)."""
    load = sites_from_files([load_text(dump(data or SITE), "site.yaml")])
    assert load.sites, load.intake.intake
    return lower_all(load)
