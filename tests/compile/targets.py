"""ClusterTargets built by hand for emitter tests (a stand-in for site lowering)."""

from __future__ import annotations

import copy
from typing import Any

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.metallb import models as m
from gitops_lb.site.models import Site
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import LocMap

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


def _item(cfg: ClusterConfig, model: type[Any], data: dict[str, Any]) -> Item[Any]:
    obj = model.model_validate(data)
    meta = data["metadata"]
    return Item(obj, data["kind"], meta["name"], meta.get("namespace"), "site.yaml", LocMap())


def _res(kind: str, name: str, ns: str, spec: dict[str, Any], version: str = "v1beta1") -> Any:
    return {
        "apiVersion": f"metallb.io/{version}",
        "kind": kind,
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }


def targets(data: dict[str, Any] | None = None) -> list[ClusterTarget]:
    site = Site.model_validate(data or SITE)
    spec = site.spec
    ns = spec.metallb.namespace
    prefix = spec.metallb.annotationPrefix
    out = []
    for i, cluster in enumerate(spec.clusters):
        cfg = ClusterConfig(name=f"{site.metadata.name}/{cluster.name}", namespace=ns)
        cfg.bgp_mode = spec.bgpMode
        for pool in cluster.pools:
            pspec = pool.model_dump(exclude_unset=True, exclude={"name", "l2", "bgp", "labels"})
            data_ = _res("IPAddressPool", pool.name, ns, pspec)
            if pool.labels:
                data_["metadata"]["labels"] = pool.labels
            cfg.pools.append(_item(cfg, m.IPAddressPool, data_))
            if pool.l2 is not None:
                l2 = {"ipAddressPools": [pool.name], **pool.l2.model_dump(exclude_unset=True)}
                cfg.l2advs.append(
                    _item(cfg, m.L2Advertisement, _res("L2Advertisement", pool.name, ns, l2))
                )
            if pool.bgp is not None:
                bgp = {"ipAddressPools": [pool.name], **pool.bgp.model_dump(exclude_unset=True)}
                cfg.bgpadvs.append(
                    _item(cfg, m.BGPAdvertisement, _res("BGPAdvertisement", pool.name, ns, bgp))
                )
        for kind, model, entries, version, target in (
            ("BGPPeer", m.BGPPeer, cluster.bgpPeers, "v1beta2", cfg.peers),
            ("L2Advertisement", m.L2Advertisement, cluster.l2Advertisements, "v1beta1", cfg.l2advs),
            (
                "BGPAdvertisement",
                m.BGPAdvertisement,
                cluster.bgpAdvertisements,
                "v1beta1",
                cfg.bgpadvs,
            ),
            ("Community", m.Community, cluster.communities, "v1beta1", cfg.communities),
            ("BFDProfile", m.BFDProfile, cluster.bfdProfiles, "v1beta1", cfg.bfdprofiles),
        ):
            for entry in entries:
                body = entry.model_dump(mode="json", exclude_unset=True, exclude={"name"})
                target.append(_item(cfg, model, _res(kind, entry.name, ns, body, version)))
        for svc in cluster.services:
            annotations = dict(svc.annotations)
            if svc.pool:
                annotations[f"{prefix}/address-pool"] = svc.pool
            if svc.ips:
                annotations[f"{prefix}/loadBalancerIPs"] = ",".join(svc.ips)
            sspec: dict[str, Any] = {"type": "LoadBalancer"}
            if svc.ports:
                sspec["ports"] = [p.model_dump(exclude_unset=True) for p in svc.ports]
            if svc.selector:
                sspec["selector"] = svc.selector
            meta: dict[str, Any] = {"name": svc.name, "namespace": svc.namespace}
            if annotations:
                meta["annotations"] = annotations
            sdata = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": sspec}
            cfg.services.append(_item(cfg, m.Service, sdata))
        for node in cluster.nodes:
            ndata = {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": node.name, "labels": node.labels},
            }
            cfg.nodes.append(_item(cfg, m.Node, ndata))
        cfg.sort()
        out.append(
            ClusterTarget(site, cluster, "site.yaml", LocMap(), ("spec", "clusters", i), cfg)
        )
    return out
