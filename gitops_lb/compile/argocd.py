"""Argo CD Applications (app-of-apps children) and kustomizations of the compiled tree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gitops_lb.compile import waves
from gitops_lb.site.models import RetrySettings, Site
from gitops_lb.site.target import ClusterTarget

FINALIZER = "resources-finalizer.argocd.argoproj.io"  # deleting the Application cascades


def retry_policy(retry: RetrySettings) -> dict[str, Any]:
    """Retry failed syncs with backoff (a webhook that is not serving yet, a failed gate), as
    spec.argocd.retry says (default: 5 retries, from 10 s doubling up to 5 m)."""
    out: dict[str, Any] = {
        "limit": retry.limit,
        "backoff": {
            "duration": retry.backoff.duration,
            "factor": retry.backoff.factor,
            "maxDuration": retry.backoff.maxDuration,
        },
    }
    if retry.refresh:
        out["refresh"] = True
    return out


_UNITS = {"h": 3600, "m": 60, "s": 1}


def duration_seconds(text: str) -> int:
    """Seconds of an Argo CD backoff duration: "30" (seconds), "10s", "5m", "1m30s"."""
    if text.isdigit():
        return int(text)
    return sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"(\d+)([hms])", text))


def retry_waits(retry: RetrySettings) -> list[int]:
    """The waits, in seconds, before each retry (Argo CD: duration x factor^n, capped)."""
    if retry.limit < 0:
        raise ValueError("a negative retry limit retries without end")
    base = duration_seconds(retry.backoff.duration)
    cap = duration_seconds(retry.backoff.maxDuration)
    return [min(base * retry.backoff.factor**n, cap) for n in range(retry.limit)]


def give_up_seconds(retry: RetrySettings, gate_timeout: int) -> int:
    """How long automated sync keeps at one revision whose gate never opens: every attempt
    (the first and each retry) waits out the gate's timeout, with the backoff between them."""
    return (retry.limit + 1) * gate_timeout + sum(retry_waits(retry))


def application_name(target: ClusterTarget) -> str:
    return f"{target.site.metadata.name}-{target.cluster.name}"


def source_path(base: str, site: str, cluster: str) -> str:
    base = base.strip("/")
    return f"{base}/{site}/{cluster}" if base and base != "." else f"{site}/{cluster}"


def automated_policy() -> dict[str, Any]:
    """Sync automatically, pruning what Git no longer holds and undoing changes made live."""
    return {"automated": {"prune": True, "selfHeal": True}}


def application(
    target: ClusterTarget,
    name: str,
    source: dict[str, Any],
    policy: dict[str, Any],
    **more: Any,
) -> dict[str, Any]:
    """An Argo CD Application of the site's Argo CD project deploying `source` into MetalLB's
    namespace of the cluster; `more` adds fields to its spec."""
    return site_application(target.site, target.cluster.server, name, source, policy, **more)


def site_application(
    site: Site,
    server: str,
    name: str,
    source: dict[str, Any],
    policy: dict[str, Any],
    **more: Any,
) -> dict[str, Any]:
    """application() for a site and a destination server (the ApplicationSet's template
    passes placeholders)."""
    spec = site.spec
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": spec.argocd.namespace, "finalizers": [FINALIZER]},
        "spec": {
            "project": spec.argocd.project,
            "source": source,
            "destination": {"server": server, "namespace": spec.metallb.namespace},
            "syncPolicy": policy,
            **more,
        },
    }


def cluster_application(target: ClusterTarget) -> dict[str, Any]:
    """The Application that syncs DIR/<site>/<cluster>/ to the cluster."""
    site = target.site
    path = source_path(site.spec.argocd.path, site.metadata.name, target.cluster.name)
    obj = cluster_app(site, application_name(target), target.cluster.server, path)
    return waves.annotate(obj, waves.APP_CLUSTER)


def cluster_app(site: Site, name: str, server: str, path: str) -> dict[str, Any]:
    """The cluster Application without its sync wave: `name`, `server` and `path` are the
    cluster's (app-of-apps) or the ApplicationSet template's placeholders."""
    spec = site.spec
    argo = spec.argocd
    options = ["CreateNamespace=true"] if spec.platform == "metallb" else []
    # ACP: the plugin creates MetalLB's namespace; creating it first could clash with it
    policy = automated_policy()
    if options:
        policy["syncOptions"] = options
    policy["retry"] = retry_policy(argo.retry)
    source = {"repoURL": argo.repoURL, "targetRevision": argo.targetRevision, "path": path}
    return site_application(site, server, name, source, policy)


def kustomization(resources: Iterable[str]) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": list(resources),
    }
