"""How MetalLB itself gets installed, and the read-only role for the reconciliation checker.

platform acp: the ClusterPluginInstance of Alauda's guide, in the cluster's own tree.
platform metallb: an Argo CD Application for MetalLB's Helm chart at the pinned version, in
DIR/argocd/ (MetalLB's manifests are fetched by Argo CD from the chart repository at sync
time, never copied into the compiled tree).
"""

from __future__ import annotations

from typing import Any

from gitops_lb.compile import gate, waves
from gitops_lb.compile.argocd import application, automated_policy, retry_policy
from gitops_lb.site.target import ClusterTarget

CHART_REPO = "https://metallb.github.io/metallb"
CHART = "metallb"
IMAGE_REPO = "quay.io/metallb"
READER = "gitops-lb-reconcile-reader"
METALLB_RESOURCES = (
    "bfdprofiles",
    "bgpadvertisements",
    "bgppeers",
    "communities",
    "configurationstates",
    "ipaddresspools",
    "l2advertisements",
    "servicebgpstatuses",
    "servicel2statuses",
)
READ = ["get", "list", "watch"]


def plugin_instance() -> dict[str, Any]:
    """Alauda's ClusterPluginInstance for MetalLB (cluster-scoped, no status to wait on)."""
    obj = {
        "apiVersion": "cluster.alauda.io/v1alpha1",
        "kind": "ClusterPluginInstance",
        "metadata": {
            "name": "metallb",
            "annotations": {"cpaas.io/display-name": "metallb"},
            "labels": {
                "create-by": "cluster-transformer",
                "manage-delete-by": "cluster-transformer",
                "manage-update-by": "cluster-transformer",
            },
        },
        "spec": {"pluginName": "metallb"},
    }
    return waves.annotate(obj, waves.INSTALL)


def reader_role(platform: str) -> dict[str, Any]:
    """Read-only access to everything `gitops-lb reconcile` compares (bind it to its user)."""
    rules: list[dict[str, Any]] = [
        {"apiGroups": ["metallb.io"], "resources": list(METALLB_RESOURCES), "verbs": READ},
        {"apiGroups": [""], "resources": ["namespaces", "nodes", "services"], "verbs": READ},
    ]
    if platform == "acp":
        rules.append(
            {
                "apiGroups": ["cluster.alauda.io"],
                "resources": ["clusterplugininstances"],
                "verbs": READ,
            }
        )
    obj = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": READER, "labels": {"app.kubernetes.io/name": "gitops-lb"}},
        "rules": rules,
    }
    return waves.annotate(obj, waves.INSTALL)


def cluster_objects(target: ClusterTarget) -> list[dict[str, Any]]:
    """Everything of the install and gate waves that goes into the cluster's own tree."""
    spec = target.site.spec
    ns = spec.metallb.namespace
    out: list[dict[str, Any]] = []
    if spec.platform == "acp":
        out.append(plugin_instance())
    out.append(reader_role(spec.platform))
    out += gate.rbac(spec.platform, ns)
    out.append(gate.job(spec.platform, ns, spec.argocd.gateImage, spec.argocd.gateTimeoutSeconds))
    return out


def helm_values(version: str, bgp_mode: str | None) -> dict[str, Any]:
    """Chart values that pin the images and select the BGP implementation explicitly."""
    frr = bgp_mode == "frr"
    frrk8s = bgp_mode == "frr-k8s"
    return {
        "controller": {"image": {"repository": f"{IMAGE_REPO}/controller", "tag": version}},
        "speaker": {
            "image": {"repository": f"{IMAGE_REPO}/speaker", "tag": version},
            "frr": {"enabled": frr},
        },
        "frrk8s": {"enabled": frrk8s},
    }


def helm_application_name(target: ClusterTarget) -> str:
    return f"{target.site.metadata.name}-{target.cluster.name}-metallb"


def helm_application(target: ClusterTarget) -> dict[str, Any]:
    """Argo CD Application installing MetalLB's chart at metallb.version (platform metallb)."""
    spec = target.site.spec
    version = spec.metallb.version
    source = {
        "repoURL": CHART_REPO,
        "chart": CHART,
        "targetRevision": version.removeprefix("v"),  # chart versions have no "v"
        "helm": {
            "releaseName": gate.HELM_RELEASE,
            "valuesObject": helm_values(version, spec.bgpMode),
        },
    }
    policy = automated_policy()
    policy["syncOptions"] = [
        "CreateNamespace=true",
        "RespectIgnoreDifferences=true",
        "ServerSideApply=true",
    ]
    # the speaker needs host networking and NET_RAW: privileged pod security
    policy["managedNamespaceMetadata"] = {
        "labels": {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "privileged",
            "pod-security.kubernetes.io/warn": "privileged",
        }
    }
    policy["retry"] = retry_policy(spec.argocd.retry)
    # MetalLB's controller writes the CA bundle into its CRDs and webhook configuration
    ignore = [
        {
            "group": "apiextensions.k8s.io",
            "kind": "CustomResourceDefinition",
            "jqPathExpressions": [".spec.conversion.webhook.clientConfig.caBundle"],
        },
        {
            "group": "admissionregistration.k8s.io",
            "kind": "ValidatingWebhookConfiguration",
            "jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"],
        },
    ]
    name = helm_application_name(target)
    obj = application(target, name, source, policy, ignoreDifferences=ignore)
    return waves.annotate(obj, waves.APP_INSTALL)
