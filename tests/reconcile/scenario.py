"""One site spec cluster and a live state in sync with it, plus one mutation per kind of drift.

Each mutation changes a copy of the live objects the way a real cluster drifts and names the
differences (type, kind, name) reconcile must report for it, and nothing else.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml

NS = "metallb-system"
CLUSTER = "dc1/prod"

SITE = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata:
  name: dc1
spec:
  platform: acp
  argocd: {repoURL: https://git.example.com/lb.git}
  clusters:
    - name: prod
      server: https://10.0.0.10:6443
      nodes:
        - name: node-a
          labels: {lb: "yes"}
          interfaces: [{name: eth3, address: 192.168.10.11}]
        - name: node-b
          labels: {lb: "yes"}
        - name: node-c
      pools:
        - name: web
          addresses: [192.168.10.64/27]
          l2:
            nodeSelectors: [{matchLabels: {lb: "yes"}}]
            interfaces: [eth3]
        - name: spare
          addresses: [192.168.10.128/28]
          autoAssign: false
      services:
        - {name: nginx, namespace: web, pool: web, ips: [192.168.10.70], ports: [{port: 80}]}
        - {name: api, namespace: web, pool: web, ports: [{port: 443}]}
        - {name: shop, namespace: web, pool: web, ports: [{port: 80}]}
        - {name: blog, namespace: web, pool: web, ports: [{port: 80}]}
        - {name: cart, namespace: web, pool: web, ports: [{port: 80}]}
        - {name: legacy, namespace: apps, pool: spare, emit: false}
    - name: stage
      server: https://10.0.1.10:6443
      pools:
        - {name: stage, addresses: [192.168.20.0/28]}
"""

# what Argo CD, the API server and MetalLB add to every object: never a difference
SERVER_META = {
    "uid": "0f7d5c1e-2b1c-4a43-9d4e-5b1f0c0a8e11",
    "resourceVersion": "4711",
    "generation": 2,
    "creationTimestamp": "2026-11-01T10:00:00Z",
    "managedFields": [{"manager": "argocd-controller", "operation": "Apply"}],
    "labels": {"app.kubernetes.io/instance": "dc1-prod"},
    "annotations": {
        "argocd.argoproj.io/tracking-id": "dc1-prod:metallb.io/IPAddressPool:metallb-system/x",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
    },
}


def _meta(name: str, namespace: str | None = NS, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = copy.deepcopy(SERVER_META)
    out["name"] = name
    if namespace is not None:
        out["namespace"] = namespace
    for key in ("labels", "annotations"):
        out[key].update(extra.pop(key, {}))
    out.update(extra)
    return out


def metallb(kind: str, name: str, spec: dict[str, Any], version: str = "v1beta1") -> dict[str, Any]:
    return {
        "apiVersion": f"metallb.io/{version}",
        "kind": kind,
        "metadata": _meta(name),
        "spec": spec,
    }


def service(
    ns: str, name: str, ips: list[str], *, annotations: dict[str, str], type_: str = "LoadBalancer"
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, ns, annotations=annotations),
        "spec": {
            "type": type_,
            "clusterIP": "10.96.0.10",
            "ports": [{"port": 80, "protocol": "TCP", "nodePort": 31080}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"} for ip in ips]}},
    }


def pool_annotation(pool: str, **more: str) -> dict[str, str]:
    return {"metallb.io/address-pool": pool, "metallb.io/ip-allocated-from-pool": pool, **more}


def node(name: str, **labels: str) -> dict[str, Any]:
    base = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": _meta(name, None, labels={**base, **labels}),
        "status": {"addresses": [{"type": "InternalIP", "address": "192.168.10.11"}]},
    }


def in_sync() -> list[dict[str, Any]]:
    """The live objects of cluster dc1/prod when everything matches Git."""
    return [
        metallb(
            "IPAddressPool",
            "web",
            {"addresses": ["192.168.10.64/27"], "autoAssign": True, "avoidBuggyIPs": False},
        )
        | {"status": {"assignedIPv4": 5, "availableIPv4": 27, "assignedIPv6": 0}},
        metallb(
            "IPAddressPool",
            "spare",
            {"addresses": ["192.168.10.128/28"], "autoAssign": False, "avoidBuggyIPs": False},
        ),
        metallb(
            "L2Advertisement",
            "web",
            {
                "ipAddressPools": ["web"],
                "nodeSelectors": [{"matchLabels": {"lb": "yes"}}],
                "interfaces": ["eth3"],
            },
        ),
        metallb("ConfigurationState", "controller", {})
        | {"status": {"result": "Valid", "conditions": [_condition("poolReconcilerValid")]}},
        metallb("ConfigurationState", "speaker-node-a", {})
        | {"status": {"result": "Valid", "conditions": [_condition("configReconcilerValid")]}},
        metallb("ServiceL2Status", "l2-x7k2p", {})
        | {
            "status": {
                "node": "node-a",
                "serviceName": "nginx",
                "serviceNamespace": "web",
                "interfaces": [{"name": "eth3"}],
            }
        },
        service(
            "web",
            "nginx",
            ["192.168.10.70"],
            annotations=pool_annotation("web", **{"metallb.io/loadBalancerIPs": "192.168.10.70"}),
        ),
        service("web", "api", ["192.168.10.65"], annotations=pool_annotation("web")),
        service("web", "shop", ["192.168.10.66"], annotations=pool_annotation("web")),
        service("web", "blog", ["192.168.10.67"], annotations=pool_annotation("web")),
        service("web", "cart", ["192.168.10.68"], annotations=pool_annotation("web")),
        service("apps", "legacy", ["192.168.10.129"], annotations=pool_annotation("spare")),
        service("kube-system", "kube-dns", [], annotations={}, type_="ClusterIP"),
        service("other", "ingress", ["203.0.113.5"], annotations={}),  # not from a managed pool
        node("node-a", lb="yes"),
        node("node-b", lb="yes"),
        node("node-c"),
        {
            "apiVersion": "cluster.alauda.io/v1alpha1",
            "kind": "ClusterPluginInstance",
            "metadata": _meta("metallb", None),
            "spec": {"pluginName": "metallb"},
        },
    ]


def _condition(type_: str) -> dict[str, Any]:
    return {
        "type": type_,
        "status": "True",
        "reason": "Reconciled",
        "message": "",
        "lastTransitionTime": "2026-11-01T10:00:00Z",
    }


Objects = list[dict[str, Any]]
Expected = set[tuple[str, str, str]]


def find(objects: Objects, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
    for obj in objects:
        meta = obj["metadata"]
        same = obj["kind"] == kind and meta["name"] == name
        if same and (namespace is None or meta.get("namespace") == namespace):
            return obj
    raise KeyError(f"{kind} {name}")


def remove(objects: Objects, kind: str, name: str, namespace: str | None = None) -> None:
    objects.remove(find(objects, kind, name, namespace))


def _missing(o: Objects) -> Expected:
    remove(o, "IPAddressPool", "spare")
    return {("missing", "IPAddressPool", "spare")}


def _extra(o: Objects) -> Expected:
    o.append(metallb("L2Advertisement", "rogue", {"ipAddressPools": ["spare"]}))
    return {("extra", "L2Advertisement", "rogue")}


def _changed(o: Objects) -> Expected:
    find(o, "IPAddressPool", "web")["spec"]["autoAssign"] = False
    find(o, "L2Advertisement", "web")["spec"]["interfaces"] = ["eth3", "eth4"]
    return {("changed", "IPAddressPool", "web"), ("changed", "L2Advertisement", "web")}


def _service_missing(o: Objects) -> Expected:
    remove(o, "Service", "blog", "web")
    return {("missing", "Service", "blog")}


def _service_type(o: Objects) -> Expected:
    svc = find(o, "Service", "shop", "web")
    svc["spec"]["type"] = "ClusterIP"
    svc["status"] = {"loadBalancer": {}}
    return {("changed", "Service", "shop")}


def _annotation(o: Objects) -> Expected:
    find(o, "Service", "cart", "web")["metadata"]["annotations"]["metallb.io/address-pool"] = "x"
    return {("changed", "Service", "cart")}


def _unassigned(o: Objects) -> Expected:
    find(o, "Service", "api", "web")["status"] = {"loadBalancer": {}}
    return {("unassigned", "Service", "api")}


def _misassigned(o: Objects) -> Expected:
    find(o, "Service", "nginx", "web")["status"]["loadBalancer"]["ingress"][0]["ip"] = (
        "192.168.10.71"
    )
    return {("misassigned", "Service", "nginx")}


def _unmanaged(o: Objects) -> Expected:
    o.append(service("team", "rogue", ["192.168.10.90"], annotations={}))
    return {("unmanaged", "Service", "rogue")}


def _node_labels(o: Objects) -> Expected:
    find(o, "Node", "node-c")["metadata"]["labels"]["lb"] = "yes"
    return {("node-labels", "L2Advertisement", "web")}


def _l2_announcement(o: Objects) -> Expected:
    find(o, "ServiceL2Status", "l2-x7k2p")["status"]["interfaces"] = [{"name": "eth0"}]
    o.append(
        metallb("ServiceL2Status", "l2-q9w4z", {})
        | {"status": {"node": "node-c", "serviceName": "cart", "serviceNamespace": "web"}}
    )
    return {("l2-announcement", "ServiceL2Status", n) for n in ("l2-x7k2p", "l2-q9w4z")}


def _config_error(o: Objects) -> Expected:
    find(o, "ConfigurationState", "speaker-node-a")["status"] = {
        "result": "Invalid",
        "errorSummary": 'configuration error: peer tor1: invalid hold time "1s"',
        "conditions": [],
    }
    return {("config-error", "ConfigurationState", "speaker-node-a")}


def _plugin_missing(o: Objects) -> Expected:
    remove(o, "ClusterPluginInstance", "metallb")
    return {("plugin-missing", "ClusterPluginInstance", "metallb")}


DRIFTS: dict[str, Callable[[Objects], Expected]] = {
    "missing": _missing,
    "extra": _extra,
    "changed": _changed,
    "service-missing": _service_missing,
    "service-type": _service_type,
    "service-annotation": _annotation,
    "unassigned": _unassigned,
    "misassigned": _misassigned,
    "unmanaged": _unmanaged,
    "node-labels": _node_labels,
    "l2-announcement": _l2_announcement,
    "config-error": _config_error,
    "plugin-missing": _plugin_missing,
}
WARNINGS_ONLY = {"unmanaged"}


def drifted(*names: str) -> tuple[Objects, Expected]:
    objects = in_sync()
    expected: Expected = set()
    for name in names:
        expected |= DRIFTS[name](objects)
    return objects, expected


def dump(objects: Objects) -> str:
    """The objects as `kubectl get ... -o yaml` prints them: one List."""
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objects}, sort_keys=False)
