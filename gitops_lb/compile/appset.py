"""The ApplicationSet layout (`argocd.layout: applicationset`): one ApplicationSet per site.

DIR/<site>/<cluster>/cluster.json   the cluster's parameters (flat strings, PARAMETERS)
DIR/argocd/<site>.applicationset.yaml
    a git files generator over DIR/<site>/*/cluster.json; a Go template that uses only those
    parameters (missingkey=error: a missing one fails generation instead of writing "<no
    value>"); the RollingSync strategy whose steps come from argocd.rollout.

Each generated Application is the app-of-apps layout's cluster Application (same source,
destination, sync policy and finalizer) plus labels naming its site, cluster and rollout step
and the manifest-generate-paths annotation; the RollingSync steps select by the step label.
"""

from __future__ import annotations

import json
from typing import Any

from gitops_lb.compile import argocd, waves
from gitops_lb.site.models import Site
from gitops_lb.site.rollout import Step, plan_steps
from gitops_lb.site.target import ClusterTarget

LAYOUT = "applicationset"
PARAMS_FILE = "cluster.json"
GENERATE_PATHS = "argocd.argoproj.io/manifest-generate-paths"
SITE_LABEL = "gitops-lb.io/site"
CLUSTER_LABEL = "gitops-lb.io/cluster"
STEP_LABEL = "gitops-lb.io/rollout-step"
# the keys of every cluster.json, all strings; the template uses these and nothing else
PARAMETERS = ("application", "cluster", "server", "site", "sourcePath", "step")


def placeholder(key: str) -> str:
    return "{{ ." + key + " }}"


def uses_applicationset(site: Site) -> bool:
    return site.spec.argocd.layout == LAYOUT


def parameters(target: ClusterTarget, step: int) -> dict[str, str]:
    site = target.site
    name = site.metadata.name
    return {
        "application": argocd.application_name(target),
        "cluster": target.cluster.name,
        "server": target.cluster.server,
        "site": name,
        "sourcePath": argocd.source_path(site.spec.argocd.path, name, target.cluster.name),
        "step": str(step),
    }


def parameter_file(target: ClusterTarget) -> bytes:
    """DIR/<site>/<cluster>/cluster.json: what the git files generator reads."""
    _, step_of = plan_steps(target.site)
    params = parameters(target, step_of[target.cluster.name])
    assert tuple(sorted(params)) == tuple(sorted(PARAMETERS))
    return (json.dumps(params, indent=2, sort_keys=True) + "\n").encode("utf-8")


def files_glob(site: Site) -> str:
    return argocd.source_path(site.spec.argocd.path, site.metadata.name, f"*/{PARAMS_FILE}")


def template(site: Site) -> dict[str, Any]:
    """The Application template: the cluster Application with placeholders, its labels and
    the manifest-generate-paths annotation ('.': the Application's own source path)."""
    app = argocd.cluster_app(
        site, placeholder("application"), placeholder("server"), placeholder("sourcePath")
    )
    meta = app["metadata"]
    meta["labels"] = {
        SITE_LABEL: placeholder("site"),
        CLUSTER_LABEL: placeholder("cluster"),
        STEP_LABEL: placeholder("step"),
    }
    meta["annotations"] = {GENERATE_PATHS: "."}
    return {"metadata": meta, "spec": app["spec"]}


def rolling_sync(steps: list[Step]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for step in steps:
        match = {"key": STEP_LABEL, "operator": "In", "values": [str(step.number)]}
        entry: dict[str, Any] = {"matchExpressions": [match]}
        if step.max_update is not None:
            entry["maxUpdate"] = step.max_update
        out.append(entry)
    return {"type": "RollingSync", "rollingSync": {"steps": out}}


def applicationset_name(site: Site) -> str:
    return site.metadata.name


def applicationset(site: Site) -> dict[str, Any]:
    """The site's ApplicationSet, in the cluster Applications' sync wave of DIR/argocd/ (after
    the MetalLB Helm Applications)."""
    argo = site.spec.argocd
    steps, _ = plan_steps(site)
    obj = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": applicationset_name(site), "namespace": argo.namespace},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [
                {
                    "git": {
                        "repoURL": argo.repoURL,
                        "revision": argo.targetRevision,
                        "files": [{"path": files_glob(site)}],
                    }
                }
            ],
            "strategy": rolling_sync(steps),
            "template": template(site),
        },
    }
    return waves.annotate(obj, waves.APP_CLUSTER)
